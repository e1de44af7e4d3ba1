// `Proxy-Authorization: Basic base64(user-id ":" password)` (RFC 7617, RFC 7235 §4.4), strictly:
// the scheme in any case, one or more spaces, canonical base64 of UTF-8 text, split at the first
// colon (so a password may hold colons, a user-id may not), no control characters.
import { decodeBase64Strict, encodeBase64 } from './base64.ts';

/**
 * Longest header value read. A 1024-character password (at most 4 bytes each) and a 64-character
 * username fit in about 5.8 KiB of base64; anything longer is not ours to decode.
 */
export const PROXY_AUTHORIZATION_MAX = 8192;

export type BasicCredentials = { readonly ok: true; readonly username: string; readonly password: string };
export type ParseFailure = { readonly ok: false; readonly reason: string };

const SCHEME = /^basic +/i;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const CONTROL = /\p{Cc}/u;

/** The user-id and password exactly as sent (not canonicalised), or why the value is not Basic credentials. */
export function parseProxyAuthorization(value: string): BasicCredentials | ParseFailure {
  if (value.length > PROXY_AUTHORIZATION_MAX) return fail(`the header is longer than ${PROXY_AUTHORIZATION_MAX} characters`);
  // HTTP parsers drop the header's leading and trailing spaces and tabs; allow callers that do not.
  const text = value.replace(/^[ \t]+|[ \t]+$/g, '');
  const scheme = SCHEME.exec(text);
  if (!scheme) {
    const name = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/.exec(text)?.[0];
    if (name === undefined) return fail('no authentication scheme');
    if (name.toLowerCase() === 'basic') return fail(text.length > name.length ? 'expected a space between "Basic" and the credentials' : 'no credentials after "Basic"');
    return fail(`unsupported authentication scheme ${JSON.stringify(name.slice(0, 20))} (only Basic)`);
  }
  const encoded = text.slice(scheme[0].length);
  if (encoded === '') return fail('no credentials after "Basic"');
  const bytes = decodeBase64Strict(encoded);
  if (!bytes) return fail('the credentials are not valid base64');
  let decoded: string;
  try {
    decoded = utf8.decode(bytes);
  } catch {
    return fail('the credentials are not valid UTF-8');
  }
  const colon = decoded.indexOf(':');
  if (colon < 0) return fail('the credentials have no ":" between user-id and password');
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (username === '') return fail('the user-id is empty');
  if (password === '') return fail('the password is empty');
  if (CONTROL.test(username)) return fail('the user-id contains control characters');
  if (CONTROL.test(password)) return fail('the password contains control characters');
  return { ok: true, username, password };
}

/** The header value a client sends for these credentials (tests, benchmarks, a health check). */
export function basicProxyAuthorization(username: string, password: string): string {
  return `Basic ${encodeBase64(new TextEncoder().encode(`${username}:${password}`))}`;
}

function fail(reason: string): ParseFailure {
  return { ok: false, reason };
}
