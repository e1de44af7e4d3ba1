// Real pieces for the account tests: argon2id, the account file in a temp folder, a clock tests move.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock, PasswordHasher } from '../../../src/services/ports.ts';
import { AccountService } from '../../../src/services/accounts/account-service.ts';
import { Argon2Hasher } from '../../../src/storage/crypto/argon2-hasher.ts';
import { AccountFile } from '../../../src/storage/files/account-file.ts';

export const GROUPS = new Set(['pupils-ks1', 'pupils-ks2', 'staff', 'technical', 'guests']);

/** Time stands still until a test moves it. */
export class TestClock implements Clock {
  constructor(private ms = Date.parse('2024-09-02T08:00:00Z')) {}
  now(): Date {
    return new Date(this.ms);
  }
  advance(seconds: number): void {
    this.ms += seconds * 1000;
  }
}

/** The real argon2id hasher, counting the calls that reach it. */
export class CountingHasher implements PasswordHasher {
  hashes = 0;
  verifies = 0;
  private readonly real = new Argon2Hasher();
  hash(password: string): Promise<string> {
    this.hashes++;
    return this.real.hash(password);
  }
  verify(hash: string, password: string): Promise<boolean> {
    this.verifies++;
    return this.real.verify(hash, password);
  }
}

export async function accountsFixture() {
  const dir = await mkdtemp(join(tmpdir(), 'rf-accounts-'));
  const clock = new TestClock();
  const hasher = new CountingHasher();
  const store = new AccountFile(join(dir, 'data'));
  const service = new AccountService({ store, hasher, clock, knownGroups: GROUPS });
  return { dir, clock, hasher, store, service, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}
