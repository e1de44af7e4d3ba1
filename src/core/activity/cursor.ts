// The opaque cursor of a keyset page: the (time, id) of the last entry shown. The next page starts
// strictly after it in newest-first order, so pages never repeat or skip rows, however many share a
// millisecond, and a page costs an index seek rather than an OFFSET scan.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';

export interface ActivityCursor {
  /** Unix milliseconds of the last entry shown. */
  readonly atMs: number;
  /** Its row id (ids break ties between entries of the same millisecond). */
  readonly id: number;
}

const VERSION = 'a1';
const MAX_LENGTH = 64;

function toBase64Url(text: string): string {
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function encodeCursor(c: ActivityCursor): string {
  return toBase64Url(`${VERSION}.${c.atMs.toString(36)}.${c.id.toString(36)}`);
}

function invalid(text: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ACTIVITY_CURSOR_INVALID, `cursor ${quoteInput(text, 40)} is not one this server gave out: start again from the first page`, text);
}

/** Reads a cursor made by encodeCursor; anything else (altered, truncated, foreign) is refused. */
export function decodeCursor(text: string): ActivityCursor {
  if (text.length === 0 || text.length > MAX_LENGTH || !/^[A-Za-z0-9_-]+$/.test(text)) throw invalid(text);
  let plain: string;
  try {
    plain = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  } catch {
    throw invalid(text);
  }
  const m = /^a1\.([0-9a-z]{1,11})\.([0-9a-z]{1,11})$/.exec(plain);
  if (!m) throw invalid(text);
  const atMs = parseInt(m[1]!, 36);
  const id = parseInt(m[2]!, 36);
  if (!Number.isSafeInteger(atMs) || !Number.isSafeInteger(id) || id < 1) throw invalid(text);
  const cursor = { atMs, id };
  // One text per cursor: leading zeros or padding variants would be a second spelling.
  if (encodeCursor(cursor) !== text) throw invalid(text);
  return cursor;
}
