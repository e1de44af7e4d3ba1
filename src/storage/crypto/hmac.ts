// HMAC-SHA-256 under a key that lives only in this process, for caches that must recognise
// credentials without keeping them.
import { createHmac, randomBytes } from 'node:crypto';
import type { Hmac } from '../../services/ports.ts';

/** A fresh random 256-bit key unless one is given (tests give one to get repeatable output). */
export function processHmac(key: Uint8Array = randomBytes(32)): Hmac {
  if (key.length < 32) throw new RangeError('an HMAC key needs at least 32 bytes');
  const secret = Buffer.from(key);
  return (message) => createHmac('sha256', secret).update(message, 'utf8').digest('base64');
}
