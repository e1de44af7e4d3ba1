// The audit log's seal key: 32 random bytes in a file outside the database (DATA/keys/audit.key by
// default), readable by the owner only. Whoever holds it can write entries that verify, so keep it
// away from database administrators and back it up separately from the database: without it the log
// can no longer be verified. Lives beside the SQL audit repository because it is the other half of
// the audit store (the checkpoint file sits next to the key).
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { AuditSealFunctions } from '../../core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';

export const AUDIT_KEY_BYTES = 32;

export function defaultAuditKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'audit.key');
}

/** The checkpoint sits beside the key: DATA/keys/audit.key → DATA/keys/audit.checkpoint. */
export function auditCheckpointPath(keyPath: string): string {
  const name = basename(keyPath);
  return join(dirname(keyPath), `${name.endsWith('.key') ? name.slice(0, -'.key'.length) : name}.checkpoint`);
}

/** The key, or null when the file does not exist. */
export function readAuditKey(path: string): Buffer | null {
  let key: Buffer;
  try {
    key = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new RingfenceError(ErrorCodes.AUDIT_KEY_INVALID, `cannot read the audit key ${path}: ${(e as Error).message}`, path);
  }
  if (key.length !== AUDIT_KEY_BYTES) {
    throw new RingfenceError(ErrorCodes.AUDIT_KEY_INVALID, `the audit key ${path} holds ${key.length} bytes, not ${AUDIT_KEY_BYTES}: restore it from your backup`, path);
  }
  return key;
}

/** The key, created (mode 0600, in a 0700 folder) if there is none yet. Safe when several processes race. */
export function loadOrCreateAuditKey(path: string): Buffer {
  const existing = readAuditKey(path);
  if (existing) return existing;
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  // Written in full under a private name, then linked into place: link fails if another process
  // got there first, so nobody ever reads a half-written key or overwrites another's.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, randomBytes(AUDIT_KEY_BYTES));
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
  const key = readAuditKey(path);
  if (!key) throw new Error(`the audit key ${path} vanished while it was being created`);
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

/** SHA-256 and HMAC-SHA-256 under `key`, as the core's seal needs them. */
export function auditSealFunctions(key: Uint8Array): AuditSealFunctions {
  const secret = Buffer.from(key);
  return {
    sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
    hmacHex: (text) => createHmac('sha256', secret).update(text, 'utf8').digest('hex'),
  };
}
