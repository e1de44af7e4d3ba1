// Secrets kept in the database (TOTP secrets) encrypted with AES-256-GCM under a key kept outside
// it (DATA/keys/mfa.key), so a copy of the database alone does not let anyone make codes. Each value
// is bound to a context (the account id) as associated data: a sealed secret copied onto another
// account's row does not open there.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { SecretBox } from '../../services/ports.ts';

export const SECRET_KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const PREFIX = 'v1.';

export class AesGcmSecretBox implements SecretBox {
  readonly #key: Buffer;

  constructor(key: Uint8Array) {
    if (key.length !== SECRET_KEY_BYTES) throw new RingfenceError(ErrorCodes.SECRET_KEY_INVALID, `a secret key must be ${SECRET_KEY_BYTES} bytes, not ${key.length}`);
    this.#key = Buffer.from(key);
  }

  /** "v1." + base64url(iv) + "." + base64url(ciphertext + tag); a fresh random IV every time. */
  seal(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}${iv.toString('base64url')}.${body.toString('base64url')}`;
  }

  /** Throws RF_SECRET_UNREADABLE when the value is malformed, altered, sealed for another context or under another key. */
  open(sealed: string, context: string): string {
    const parts = sealed.startsWith(PREFIX) ? sealed.slice(PREFIX.length).split('.') : [];
    const iv = parts.length === 2 ? Buffer.from(parts[0]!, 'base64url') : Buffer.alloc(0);
    const body = parts.length === 2 ? Buffer.from(parts[1]!, 'base64url') : Buffer.alloc(0);
    if (iv.length !== IV_BYTES || body.length < TAG_BYTES) throw unreadable('it is not a sealed secret of a format this version knows');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.#key, iv);
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
      return Buffer.concat([decipher.update(body.subarray(0, body.length - TAG_BYTES)), decipher.final()]).toString('utf8');
    } catch {
      throw unreadable('it was sealed under another key (was DATA/keys/mfa.key replaced?) or has been altered');
    }
  }
}

function unreadable(why: string): RingfenceError {
  return new RingfenceError(ErrorCodes.SECRET_UNREADABLE, `a stored secret cannot be decrypted: ${why}`);
}
