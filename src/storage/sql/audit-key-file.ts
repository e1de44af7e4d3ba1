// The audit log's seal key: 32 random bytes in a file outside the database (DATA/keys/audit.key by
// default), readable by the owner only. Whoever holds it can write entries that verify, so keep it
// away from database administrators and back it up separately from the database: without it the log
// can no longer be verified. Lives beside the SQL audit repository because it is the other half of
// the audit store (the checkpoint file sits next to the key).
import { createHash, createHmac } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { AuditSealFunctions } from '../../core/audit/seal.ts';
import { ErrorCodes } from '../../core/errors.ts';
import { loadOrCreateKeyFile, readKeyFile, type KeyFileKind } from '../crypto/key-file.ts';

export const AUDIT_KEY_BYTES = 32;

export function defaultAuditKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'audit.key');
}

/** The checkpoint sits beside the key: DATA/keys/audit.key → DATA/keys/audit.checkpoint. */
export function auditCheckpointPath(keyPath: string): string {
  const name = basename(keyPath);
  return join(dirname(keyPath), `${name.endsWith('.key') ? name.slice(0, -'.key'.length) : name}.checkpoint`);
}

const AUDIT_KEY: KeyFileKind = { what: 'audit key', bytes: AUDIT_KEY_BYTES, invalid: ErrorCodes.AUDIT_KEY_INVALID };

/** The key, or null when the file does not exist. */
export function readAuditKey(path: string): Buffer | null {
  return readKeyFile(path, AUDIT_KEY);
}

/** The key, created (mode 0600, in a 0700 folder) if there is none yet. Safe when several processes race. */
export function loadOrCreateAuditKey(path: string): Buffer {
  return loadOrCreateKeyFile(path, AUDIT_KEY);
}

/** SHA-256 and HMAC-SHA-256 under `key`, as the core's seal needs them. */
export function auditSealFunctions(key: Uint8Array): AuditSealFunctions {
  const secret = Buffer.from(key);
  return {
    sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
    hmacHex: (text) => createHmac('sha256', secret).update(text, 'utf8').digest('hex'),
  };
}
