// The key that seals stored secrets: 32 random bytes in DATA/keys/mfa.key, mode 0600 in a 0700
// folder, created on first use. Back it up with (but apart from) the database: without it every
// enrolled account must enrol its authenticator app again.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { SECRET_KEY_BYTES } from './secret-box.ts';

export function defaultMfaKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'mfa.key');
}

/** The key, or null when the file does not exist. */
export function readSecretKey(path: string): Buffer | null {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RingfenceError(ErrorCodes.SECRET_KEY_INVALID, `cannot read the secret key ${path}: ${(e as Error).message}`, path);
  }
  if (key.length !== SECRET_KEY_BYTES) {
    throw new RingfenceError(ErrorCodes.SECRET_KEY_INVALID, `the secret key ${path} holds ${key.length} bytes, not ${SECRET_KEY_BYTES}: restore it from your backup`, path);
  }
  return key;
}

/** The key, created if there is none yet. Safe when several processes race (as audit-key-file.ts). */
export function loadOrCreateSecretKey(path: string): Buffer {
  const existing = readSecretKey(path);
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Written in full under a private name, then linked into place: link fails if another process got
  // there first, so nobody reads a half-written key or overwrites another's.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(SECRET_KEY_BYTES));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    const dir = openSync(dirname(path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const key = readSecretKey(path);
  if (!key) throw new Error(`the secret key ${path} vanished while it was being created`);
  return key;
}
