// The key that seals stored secrets: 32 random bytes in DATA/keys/mfa.key, mode 0600 in a 0700
// folder, created on first use. Back it up with (but apart from) the database: without it every
// enrolled account must enrol its authenticator app again.
import { join } from 'node:path';
import { ErrorCodes } from '../../core/errors.ts';
import { loadOrCreateKeyFile, readKeyFile, type KeyFileKind } from './key-file.ts';
import { SECRET_KEY_BYTES } from './secret-box.ts';

export function defaultMfaKeyPath(dataDir: string): string {
  return join(dataDir, 'keys', 'mfa.key');
}

const SECRET_KEY: KeyFileKind = { what: 'secret key', bytes: SECRET_KEY_BYTES, invalid: ErrorCodes.SECRET_KEY_INVALID };

/** The key, or null when the file does not exist. */
export function readSecretKey(path: string): Buffer | null {
  return readKeyFile(path, SECRET_KEY);
}

/** The key, created (mode 0600, in a 0700 folder) if there is none yet. Safe when several processes race. */
export function loadOrCreateSecretKey(path: string): Buffer {
  return loadOrCreateKeyFile(path, SECRET_KEY);
}
