// The last good copy of the device register (DATA/last-good/client-register.json): what the DNS
// server and the proxy identify clients by when the database cannot be read. A SHA-256 over the
// contents detects a damaged file; it is then reported and never read as "no clients".
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { ClientRegister } from '../../services/directory/client-register.ts';
import { writeFileAtomic } from './atomic.ts';
import { lastGoodDir } from './last-good-policy.ts';

const FORMAT = 1;

export interface SavedClientRegister {
  readonly register: ClientRegister;
  /** ISO-8601 instant it was read from the database. */
  readonly fetchedAt: string;
}

const checksum = (register: unknown, fetchedAt: unknown) => createHash('sha256').update(JSON.stringify({ fetchedAt, register })).digest('hex');

export function clientRegisterPath(dataDir: string): string {
  return join(lastGoodDir(dataDir), 'client-register.json');
}

export class ClientRegisterFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = clientRegisterPath(dataDir);
  }

  /** Null when none was ever saved; LAST_GOOD_DAMAGED when the file is not whole. */
  read(): SavedClientRegister | null {
    if (!existsSync(this.path)) return null;
    const damaged = (why: string) => new RingfenceError(ErrorCodes.LAST_GOOD_DAMAGED, `client register ${this.path} ${why}`, this.path);
    let data: { format?: unknown; fetchedAt?: unknown; sha256?: unknown; register?: unknown };
    try {
      data = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (e) {
      throw damaged(`cannot be read: ${(e as Error).message}`);
    }
    if (data === null || typeof data !== 'object' || data.format !== FORMAT) throw damaged(`is not a format ${FORMAT} client register`);
    if (data.sha256 !== checksum(data.register, data.fetchedAt)) throw damaged('fails its checksum (the file was changed or cut short)');
    const r = data.register as Partial<ClientRegister> | null;
    if (typeof data.fetchedAt !== 'string' || !r || typeof r.schoolId !== 'string' || !Array.isArray(r.devices) || !Array.isArray(r.networks) || !Array.isArray(r.people)) {
      throw damaged('is missing parts');
    }
    return { register: r as ClientRegister, fetchedAt: data.fetchedAt };
  }

  write(saved: SavedClientRegister): void {
    const register = JSON.parse(JSON.stringify(saved.register)) as unknown;
    writeFileAtomic(this.path, JSON.stringify({ format: FORMAT, fetchedAt: saved.fetchedAt, sha256: checksum(register, saved.fetchedAt), register }) + '\n');
  }
}
