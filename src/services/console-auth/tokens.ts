// Bearer secrets of the console: session tokens, CSRF tokens, one-time sign-in tokens. 32 random
// bytes, base64url. The database keeps only SHA-256 of a token, so reading the database (or a
// backup of it) does not let anyone sign in; a 256-bit random token needs no slow hash.
import { createHash, randomBytes } from 'node:crypto';

const TOKEN = /^[A-Za-z0-9_-]{43}$/;

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The stored id of a token; null when the text cannot be one of ours (so nothing is looked up). */
export function tokenId(token: string): string | null {
  return typeof token === 'string' && TOKEN.test(token) ? createHash('sha256').update(token, 'utf8').digest('hex') : null;
}
