// Managing accounts: create, change password, disable/enable, remove, list. Every input is checked
// here (username, password rules, groups the policy defines) whichever adapter calls it.
import { canonicalUsername, checkDisplayName, checkGroups, summarise, type Account, type AccountSummary } from '../../core/accounts/account.ts';
import { checkPassword } from '../../core/accounts/password-rules.ts';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import type { AccountStore, Clock, PasswordHasher } from '../ports.ts';

export interface AccountServiceDeps {
  readonly store: AccountStore;
  readonly hasher: PasswordHasher;
  readonly clock: Clock;
  /** Group ids the policy in force defines; accounts may only join these. */
  readonly knownGroups: ReadonlySet<string>;
}

export interface NewAccount {
  readonly username: string;
  readonly password: string;
  readonly groups: readonly string[];
  readonly displayName?: string;
}

export class AccountService {
  constructor(private readonly deps: AccountServiceDeps) {}

  /** Throws RF_ACCOUNT_EXISTS when the (canonical) username is taken. */
  async createAccount(input: NewAccount): Promise<AccountSummary> {
    const { username, groups, displayName } = await this.checkNewAccount(input);
    const password = checkPassword(input.password);
    const now = this.now();
    const account: Account = {
      username,
      ...(displayName !== undefined ? { displayName } : {}),
      groups,
      passwordHash: await this.deps.hasher.hash(password),
      disabled: false,
      createdAt: now,
      updatedAt: now,
    };
    await this.deps.store.put(account);
    return summarise(account);
  }

  /**
   * Everything createAccount checks but the password, so a command can refuse before asking for one.
   * Throws RF_USERNAME_INVALID, RF_GROUP_UNKNOWN, RF_ARGUMENT_INVALID or RF_ACCOUNT_EXISTS.
   */
  async checkNewAccount(input: Omit<NewAccount, 'password'>): Promise<{ username: string; groups: string[]; displayName: string | undefined }> {
    const username = canonicalUsername(input.username);
    const groups = checkGroups(input.groups, this.deps.knownGroups);
    const displayName = checkDisplayName(input.displayName);
    if (await this.deps.store.get(username)) {
      throw new RingfenceError(ErrorCodes.ACCOUNT_EXISTS, `there is already an account ${quoteInput(username)} (change its password with \`ringfence accounts passwd\`)`, input.username);
    }
    return { username, groups, displayName };
  }

  /** The account without its hash; throws RF_ACCOUNT_UNKNOWN when there is none. */
  async getAccount(username: string): Promise<AccountSummary> {
    return summarise(await this.find(username));
  }

  async setPassword(username: string, password: string): Promise<void> {
    const account = await this.find(username);
    const checked = checkPassword(password);
    await this.deps.store.put({ ...account, passwordHash: await this.deps.hasher.hash(checked), updatedAt: this.now() });
  }

  /** The account stays (with its groups) but cannot sign in. False when it was disabled already. */
  disableAccount(username: string): Promise<boolean> {
    return this.setDisabled(username, true);
  }

  /** False when it was enabled already. */
  enableAccount(username: string): Promise<boolean> {
    return this.setDisabled(username, false);
  }

  /** Throws RF_ACCOUNT_UNKNOWN when there is no such account. */
  async removeAccount(username: string): Promise<void> {
    const name = canonicalUsername(username);
    if (!(await this.deps.store.remove(name))) throw unknown(username, name);
  }

  async listAccounts(): Promise<AccountSummary[]> {
    return (await this.deps.store.list()).map(summarise);
  }

  private async setDisabled(username: string, disabled: boolean): Promise<boolean> {
    const account = await this.find(username);
    if (account.disabled === disabled) return false;
    await this.deps.store.put({ ...account, disabled, updatedAt: this.now() });
    return true;
  }

  private async find(username: string): Promise<Account> {
    const name = canonicalUsername(username);
    const account = await this.deps.store.get(name);
    if (!account) throw unknown(username, name);
    return account;
  }

  private now(): string {
    return this.deps.clock.now().toISOString();
  }
}

function unknown(input: string, name: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ACCOUNT_UNKNOWN, `there is no account ${quoteInput(name)} (see \`ringfence accounts list\`)`, input);
}
