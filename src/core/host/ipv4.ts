// The WHATWG URL Standard's lenient IPv4 host parser: what browsers (and so users) mean by
// `127.1`, `0x7f.1`, `2130706433` or `0177.0.0.1`. Strict dotted-quad parsing lives in src/core/net/ip.ts.
import { quoteInput } from '../errors.ts';
import { parseIPv4 } from '../net/ip.ts';

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

function hasHexPrefix(s: string, start: number): boolean {
  return s.charCodeAt(start) === 0x30 && (s.charCodeAt(start + 1) | 0x20) === 0x78;
}

/**
 * WHATWG "ends in a number": the last label (from `start` to the end; no trailing dots) is all
 * ASCII digits, or `0x` followed by hex digits. Such a host can only be an IPv4 address.
 */
export function endsInNumber(host: string, start: number): boolean {
  const end = host.length;
  if (start >= end) return false;
  let i = start;
  if (hasHexPrefix(host, start)) {
    for (i = start + 2; i < end; i++) if (hexDigit(host.charCodeAt(i)) < 0) return false;
    return true;
  }
  for (; i < end; i++) if (!isDigit(host.charCodeAt(i))) return false;
  return true;
}

/** One part: `0x` hex (may be empty: 0), leading-`0` octal, or decimal. NaN when not a number. */
function parsePart(s: string, from: number, to: number): number {
  let radix = 10;
  let i = from;
  if (to - from >= 2 && hasHexPrefix(s, from)) {
    radix = 16;
    i += 2;
  } else if (to - from >= 2 && s.charCodeAt(from) === 0x30) {
    radix = 8;
    i += 1;
  } else if (to === from) {
    return NaN;
  }
  let v = 0;
  for (; i < to; i++) {
    const d = hexDigit(s.charCodeAt(i));
    if (d < 0 || d >= radix) return NaN;
    v = v * radix + d; // a double: huge inputs become huge (or Infinity) and fail the range checks
  }
  return v;
}

/**
 * Parses a host that ends in a number as an IPv4 address: 1–4 parts, the last one filling the
 * remaining bytes. Returns the address as a uint32, or a sentence saying why it is not one.
 */
export function parseLenientIPv4(host: string): number | string {
  const strict = parseIPv4(host); // the common case, and cheap
  if (strict !== null) return strict;
  const parts: number[] = [];
  const texts: string[] = [];
  let from = 0;
  for (let i = 0; i <= host.length; i++) {
    if (i < host.length && host.charCodeAt(i) !== 0x2e) continue;
    const text = host.slice(from, i);
    const v = parsePart(host, from, i);
    if (Number.isNaN(v)) {
      return `ends in a number but part ${quoteInput(text)} is not a decimal, octal (0…) or hex (0x…) number, so it is not a valid IPv4 address`;
    }
    parts.push(v);
    texts.push(text);
    from = i + 1;
  }
  const n = parts.length;
  if (n > 4) return `ends in a number but has ${n} parts, so it is not a valid IPv4 address (at most 4)`;
  for (let k = 0; k < n - 1; k++) {
    if (parts[k]! > 255) return `looks like an IPv4 address but part ${quoteInput(texts[k]!)} is out of range (0–255)`;
  }
  const limit = 256 ** (5 - n);
  const last = parts[n - 1]!;
  if (last >= limit) {
    return `looks like an IPv4 address but its last part ${quoteInput(texts[n - 1]!)} is out of range (0–${limit - 1})`;
  }
  let value = last;
  for (let k = 0; k < n - 1; k++) value += parts[k]! * 256 ** (3 - k);
  return value >>> 0;
}
