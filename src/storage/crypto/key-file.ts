// A key kept in a file of its own, outside the database (the audit seal key, the key that seals
// TOTP secrets): random bytes, mode 0600 in a 0700 folder, created on first use. Creation is safe
// when several processes race: the key is written in full under a private name, then linked into
// place; the link fails if another process got there first, so nobody ever reads a half-written
// key or overwrites another's.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { RingfenceError, type ErrorCode } from '../../core/errors.ts';

export interface KeyFileKind {
  /** For messages: "audit key", "secret key". */
  readonly what: string;
  readonly bytes: number;
  /** The code of the error for a key that cannot be read or has the wrong length. */
  readonly invalid: ErrorCode;
}

/** The key, or null when the file does not exist. */
export function readKeyFile(path: string, kind: KeyFileKind): Buffer | null {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RingfenceError(kind.invalid, `cannot read the ${kind.what} ${path}: ${(e as Error).message}`, path);
  }
  if (key.length !== kind.bytes) {
    throw new RingfenceError(kind.invalid, `the ${kind.what} ${path} holds ${key.length} bytes, not ${kind.bytes}: restore it from your backup`, path);
  }
  return key;
}

/** The key, created if there is none yet. */
export function loadOrCreateKeyFile(path: string, kind: KeyFileKind): Buffer {
  const existing = readKeyFile(path, kind);
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(kind.bytes));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(tmp, path);
    syncFolder(dirname(path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    rmSync(tmp, { force: true });
  }
  const key = readKeyFile(path, kind);
  if (!key) throw new Error(`the ${kind.what} ${path} vanished while it was being created`);
  return key;
}

function syncFolder(folder: string): void {
  const fd = openSync(folder, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
