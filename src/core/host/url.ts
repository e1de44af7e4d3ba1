// A small URL parser for filtering: scheme, canonical host, port and path+query, read the way the
// WHATWG URL Standard reads http(s) URLs where it matters for not being fooled (backslashes, user
// info, stray whitespace, dot segments). Also takes scheme-less `host/path` and bare `host`.
import { RingfenceError, ErrorCodes, quoteInput } from '../errors.ts';
import { splitHostPort } from './hostport.ts';
import type { CanonicalHost } from './canonical.ts';

export interface ParsedUrl {
  /** Lower-case, e.g. 'http'; 'http' for scheme-less input. */
  readonly scheme: string;
  readonly host: CanonicalHost;
  /** null when absent, empty, or the scheme's default (80 for http, 443 for https…). */
  readonly port: number | null;
  /**
   * Path + query, always starting with '/', fragment removed; '/' when absent. As browsers send it:
   * '\' read as '/', `.`/`..` segments resolved, spaces, controls and non-ASCII percent-encoded (UTF-8).
   */
  readonly path: string;
}

const DEFAULT_PORT: Readonly<Record<string, number>> = { http: 80, https: 443, ws: 80, wss: 443, ftp: 21 };

/** Index of the ':' ending a leading `[a-zA-Z][a-zA-Z0-9+.-]*:`, or -1. */
function schemeEnd(s: string): number {
  const c0 = s.charCodeAt(0) | 0x20;
  if (c0 < 0x61 || c0 > 0x7a) return -1;
  for (let i = 1; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x3a) return i;
    const l = c | 0x20;
    if (!((l >= 0x61 && l <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return -1;
  }
  return -1;
}

/** The special scheme (lower-case) whose name ends at `colon`, or null. No allocation for http(s). */
function specialScheme(s: string, colon: number): string | null {
  if (
    (colon === 4 || colon === 5) &&
    (s.charCodeAt(0) | 0x20) === 0x68 &&
    (s.charCodeAt(1) | 0x20) === 0x74 &&
    (s.charCodeAt(2) | 0x20) === 0x74 &&
    (s.charCodeAt(3) | 0x20) === 0x70
  ) {
    if (colon === 4) return 'http';
    if ((s.charCodeAt(4) | 0x20) === 0x73) return 'https';
  }
  const name = s.slice(0, colon).toLowerCase();
  return DEFAULT_PORT[name] !== undefined ? name : null;
}

/** WHATWG: strip leading/trailing C0 controls and spaces, remove tabs and newlines anywhere. */
function clean(input: string): string {
  let start = 0;
  let end = input.length;
  while (start < end && input.charCodeAt(start) <= 0x20) start++;
  while (end > start && input.charCodeAt(end - 1) <= 0x20) end--;
  return input.slice(start, end).replace(/[\t\n\r]/g, '');
}

/**
 * Parses an absolute URL (`scheme://…`; for http, https, ws, wss and ftp also `http:host` and
 * backslashes, as browsers do), a scheme-less `host[:port]/path`, or a bare host (read as http).
 * Throws RingfenceError: HOST_INVALID for a bad host or port, URL_INVALID for an empty URL.
 */
export function parseUrl(input: string): ParsedUrl {
  const len = input.length;
  if (len > 0 && input.charCodeAt(0) > 0x20 && input.charCodeAt(len - 1) > 0x20) {
    const parsed = parse(input, input);
    if (parsed !== null) return parsed;
  }
  const s = clean(input);
  if (s === '') throw new RingfenceError(ErrorCodes.URL_INVALID, `URL ${quoteInput(input)} is empty`, input);
  return parse(s, input)!;
}

const BACKSLASH = 1;
const DOT = 2;
const ENCODE_PATH = 4;
const ENCODE_QUERY = 8;

function isTabOrNewline(c: number): boolean {
  return c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Parses a URL without leading/trailing spaces; null when it holds a tab or newline (clean it first). */
function parse(s: string, input: string): ParsedUrl | null {
  const len = s.length;
  let scheme = 'http';
  let special = true;
  let pos = 0;
  const colon = schemeEnd(s);
  if (colon > 0) {
    const name = specialScheme(s, colon);
    if (name !== null) {
      // Special schemes: any run of '/' and '\' (even none) precedes the authority, as in browsers.
      scheme = name;
      pos = colon + 1;
      while (pos < len && (s.charCodeAt(pos) === 0x2f || s.charCodeAt(pos) === 0x5c)) pos++;
    } else if (s.charCodeAt(colon + 1) === 0x2f && s.charCodeAt(colon + 2) === 0x2f) {
      scheme = s.slice(0, colon).toLowerCase();
      special = false;
      pos = colon + 3;
    }
    // Otherwise it is no scheme but `host:port…` without one.
  }
  if (pos === 0 && s.charCodeAt(0) === 0x2f && s.charCodeAt(1) === 0x2f) pos = 2; // `//host/path`

  // Authority: up to the first '/', '\', '?' or '#'; user info is whatever precedes the last '@'.
  let end = pos;
  let at = -1;
  for (; end < len; end++) {
    const c = s.charCodeAt(end);
    if (c === 0x2f || c === 0x5c || c === 0x3f || c === 0x23) break;
    if (c === 0x40) at = end;
    else if (isTabOrNewline(c)) return null;
  }

  // Path and query in one pass: where '?' and '#' are, and whether any rewriting is needed.
  let q = -1;
  let hash = len;
  let flags = 0;
  let prev = 0x2f;
  for (let i = end; i < len; i++) {
    const c = s.charCodeAt(i);
    const afterSlash = prev === 0x2f || prev === 0x5c;
    prev = c;
    if (c === 0x23) {
      hash = i;
      break;
    }
    if (isTabOrNewline(c)) return null;
    if (q < 0) {
      if (c === 0x3f) q = i;
      else if (c === 0x5c) flags |= BACKSLASH;
      // Dot segments (".", "..", "%2e" …) always start a segment: only then can the path need them removed.
      else if ((c === 0x2e || c === 0x25) && afterSlash) flags |= DOT;
      else if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x3c || c === 0x3e || c === 0x60 || c === 0x7b || c === 0x7d) {
        flags |= ENCODE_PATH;
      }
    } else if (c <= 0x20 || c >= 0x7f || c === 0x22 || c === 0x3c || c === 0x3e || (special && c === 0x27)) {
      flags |= ENCODE_QUERY;
    }
  }
  for (let i = hash + 1; i < len; i++) if (isTabOrNewline(s.charCodeAt(i))) return null;

  const { host, port } = splitHostPort(s.slice(at >= 0 ? at + 1 : pos, end), input, true);

  const pathEnd = q >= 0 ? q : hash;
  let path = pathEnd > end ? s.slice(end, pathEnd) : '/';
  if (flags & BACKSLASH) path = path.replace(/\\/g, '/');
  if (path.charCodeAt(0) !== 0x2f) path = `/${path}`;
  if (flags & DOT) path = removeDotSegments(path);
  if (flags & ENCODE_PATH) path = percentEncode(path, PATH_SET);
  if (q >= 0) {
    const query = s.slice(q, hash);
    path += flags & ENCODE_QUERY ? percentEncode(query, special ? SPECIAL_QUERY_SET : QUERY_SET) : query;
  }
  return { scheme, host, port: port === DEFAULT_PORT[scheme] ? null : port, path };
}

function isSingleDot(seg: string): boolean {
  return seg === '.' || (seg.length === 3 && seg.toLowerCase() === '%2e');
}

function isDoubleDot(seg: string): boolean {
  if (seg.length !== 2 && seg.length !== 4 && seg.length !== 6) return false;
  const l = seg.toLowerCase();
  return l === '..' || l === '.%2e' || l === '%2e.' || l === '%2e%2e';
}

/** WHATWG path parsing of `.` and `..` segments (also `%2e`): `/a/./b/../c` → `/a/c`. */
function removeDotSegments(path: string): string {
  const segs = path.split('/');
  const out: string[] = [];
  for (let i = 1; i < segs.length; i++) {
    const seg = segs[i]!;
    const last = i === segs.length - 1;
    if (isDoubleDot(seg)) {
      out.pop();
      if (last) out.push('');
    } else if (isSingleDot(seg)) {
      if (last) out.push('');
    } else {
      out.push(seg);
    }
  }
  return `/${out.join('/')}`;
}

// WHATWG percent-encode sets (C0 controls, space, non-ASCII and a few more); '%' is left alone.
const PATH_SET = /[^\x21-\x7e]|["<>`{}]/;
const QUERY_SET = /[^\x21-\x7e]|["<>]/;
const SPECIAL_QUERY_SET = /[^\x21-\x7e]|["<>']/;

const encoder = new TextEncoder();

function percentEncode(s: string, set: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (!set.test(ch)) {
      out += ch;
      continue;
    }
    for (const b of encoder.encode(ch)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
