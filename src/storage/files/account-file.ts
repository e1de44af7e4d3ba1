// Accounts as DATA/accounts.json, readable by the owner only (it holds password hashes), until the
// control plane's database holds them. A damaged file is an error, never "no accounts": treating it
// as empty would let `accounts add` overwrite everyone.
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseAccount, type Account } from '../../core/accounts/account.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { AccountStore } from '../../services/ports.ts';
import { writeFileAtomic } from './atomic.ts';

export const ACCOUNT_FILE_FORMAT = 1;

const byUsername = (a: Account, b: Account) => (a.username < b.username ? -1 : a.username > b.username ? 1 : 0);

interface Loaded {
  readonly key: string;
  readonly accounts: ReadonlyMap<string, Account>;
}

export class AccountFile implements AccountStore {
  readonly path: string;
  /** The last parse, reused while the file is the same one (the proxy reads on every cache miss). */
  private loaded: Loaded | null = null;
  /** Writes in this process, one at a time, so two puts do not lose each other. */
  private writing: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.path = join(dataDir, 'accounts.json');
  }

  async get(username: string): Promise<Account | null> {
    return (await this.read()).get(username) ?? null;
  }

  async list(): Promise<Account[]> {
    return [...(await this.read()).values()].sort(byUsername);
  }

  async put(account: Account): Promise<void> {
    const checked = this.check(account);
    await this.update((accounts) => {
      accounts.set(checked.username, checked);
      return true;
    });
  }

  remove(username: string): Promise<boolean> {
    return this.update((accounts) => accounts.delete(username));
  }

  private check(account: Account): Account {
    try {
      return parseAccount(account);
    } catch (e) {
      throw new RingfenceError(ErrorCodes.ACCOUNT_FILE_INVALID, `refusing to store a bad account: ${(e as Error).message}`, account.username);
    }
  }

  private update(change: (accounts: Map<string, Account>) => boolean): Promise<boolean> {
    const run = this.writing.then(async () => {
      const accounts = new Map(await this.read());
      const changed = change(accounts);
      if (changed) this.write([...accounts.values()]);
      return changed;
    });
    this.writing = run.catch(() => undefined);
    return run;
  }

  private async read(): Promise<ReadonlyMap<string, Account>> {
    let info;
    try {
      info = await stat(this.path, { bigint: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw this.damaged((e as Error).message);
    }
    // A write renames a new file into place, so a new inode means new contents.
    const key = `${info.ino}:${info.size}:${info.mtimeNs}`;
    if (this.loaded?.key === key) return this.loaded.accounts;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      throw this.damaged((e as Error).message);
    }
    const accounts = this.parse(text);
    this.loaded = { key, accounts };
    return accounts;
  }

  private parse(text: string): Map<string, Account> {
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (e) {
      throw this.damaged(`not JSON (${(e as Error).message})`);
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) throw this.damaged('expected an object with "format" and "accounts"');
    const { format, accounts } = data as { format?: unknown; accounts?: unknown };
    if (format !== ACCOUNT_FILE_FORMAT) throw this.damaged(`"format" is ${JSON.stringify(format) ?? 'missing'}; this version of Ringfence reads format ${ACCOUNT_FILE_FORMAT}`);
    if (!Array.isArray(accounts)) throw this.damaged('"accounts" is not an array');
    const byName = new Map<string, Account>();
    accounts.forEach((raw, i) => {
      let account: Account;
      try {
        account = parseAccount(raw);
      } catch (e) {
        throw this.damaged(`accounts[${i}]: ${(e as Error).message}`);
      }
      if (byName.has(account.username)) throw this.damaged(`accounts[${i}]: username ${JSON.stringify(account.username)} appears twice`);
      byName.set(account.username, account);
    });
    return byName;
  }

  private write(accounts: Account[]): void {
    accounts.sort(byUsername);
    // 0600: the file holds password hashes.
    writeFileAtomic(this.path, JSON.stringify({ format: ACCOUNT_FILE_FORMAT, accounts }, null, 1) + '\n', { mode: 0o600 });
    this.loaded = null;
  }

  private damaged(what: string): RingfenceError {
    return new RingfenceError(ErrorCodes.ACCOUNT_FILE_INVALID, `the account file ${this.path} is damaged: ${what} (fix or restore it; nothing was changed)`, this.path);
  }
}

