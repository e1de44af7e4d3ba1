// IP address and CIDR parsing/formatting for policies and lists. Pure code: strict textual forms only
// (dotted-quad IPv4, RFC 4291 IPv6). The lenient WHATWG forms (`127.1`, `0x7f.1`) belong to host
// canonicalisation (src/core/host/ipv4.ts), not here.
import { RingfenceError, ErrorCodes, quoteInput } from '../errors.ts';

export type ParsedAddress =
  | { readonly family: 4; readonly value: number }
  | { readonly family: 6; readonly words: Uint16Array };

export interface ParsedCidr {
  readonly family: 4 | 6;
  /** Canonical network address with the host bits cleared: "10.0.0.0", "2001:db8::". */
  readonly address: string;
  readonly prefix: number;
}

/** Strict dotted-quad: exactly four decimal parts 0–255, no leading zeros, no spaces. Returns a uint32. */
export function parseIPv4(text: string): number | null {
  const len = text.length;
  if (len < 7 || len > 15) return null;
  let value = 0;
  let part = 0;
  let digits = 0;
  let parts = 0;
  for (let i = 0; i <= len; i++) {
    const c = i < len ? text.charCodeAt(i) : 0x2e;
    if (c === 0x2e) {
      if (digits === 0 || part > 255) return null;
      value = value * 256 + part;
      parts++;
      if (parts > 4) return null;
      part = 0;
      digits = 0;
    } else if (c >= 0x30 && c <= 0x39) {
      if (digits === 1 && part === 0) return null; // leading zero: "01" is ambiguous (octal?)
      part = part * 10 + (c - 0x30);
      digits++;
      if (digits > 3) return null;
    } else {
      return null;
    }
  }
  return parts === 4 ? value >>> 0 : null;
}

export function formatIPv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  if (l >= 0x61 && l <= 0x66) return l - 0x61 + 10;
  return -1;
}

/**
 * RFC 4291 text: eight 1–4 digit hex groups, at most one `::`, optionally a dotted-quad tail in the
 * last 32 bits. No brackets, no zone id (`%eth0`), no prefix. Returns eight 16-bit words.
 */
export function parseIPv6(text: string): Uint16Array | null {
  const len = text.length;
  if (len < 2 || len > 45) return null;
  const words = new Uint16Array(8);
  let n = 0; // words written
  let compress = -1; // index in words where `::` sits
  let i = 0;
  if (text.charCodeAt(0) === 0x3a) {
    if (text.charCodeAt(1) !== 0x3a) return null;
    i = 2;
    compress = 0;
    if (i === len) return words; // "::"
  }
  for (;;) {
    if (n === 8) return null;
    const start = i;
    let value = 0;
    while (i < len && i - start < 5) {
      const h = hexValue(text.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    const c = i < len ? text.charCodeAt(i) : -1;
    if (c === 0x2e) {
      // Embedded IPv4 in the last two words.
      if (n > 6) return null;
      const v4 = parseIPv4(text.slice(start));
      if (v4 === null) return null;
      words[n++] = v4 >>> 16;
      words[n++] = v4 & 0xffff;
      break;
    }
    const digits = i - start;
    if (digits === 0 || digits > 4) return null;
    words[n++] = value;
    if (c === -1) break;
    if (c !== 0x3a) return null;
    i++;
    if (i < len && text.charCodeAt(i) === 0x3a) {
      if (compress >= 0) return null;
      compress = n;
      i++;
      if (i === len) break;
    } else if (i === len) {
      return null; // trailing single colon
    }
  }
  if (compress >= 0) {
    if (n === 8) return null; // "::" must stand for at least one zero word
    const tail = n - compress;
    for (let k = 0; k < tail; k++) {
      words[7 - k] = words[n - 1 - k]!;
      words[n - 1 - k] = 0;
    }
  } else if (n !== 8) {
    return null;
  }
  return words;
}

/** RFC 5952: lower-case hex, no leading zeros, the longest run of two or more zero words as `::` (first on ties). */
export function formatIPv6(words: ArrayLike<number>): string {
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (words[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && words[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  let out = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      out += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    out += (words[i]! & 0xffff).toString(16);
    if (i < 7) out += ':';
  }
  return out;
}

/** True for ::ffff:0:0/96, the IPv4-mapped range (what a dual-stack socket reports for IPv4 peers). */
export function isIPv4Mapped(words: ArrayLike<number>): boolean {
  return (
    words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0 && words[5] === 0xffff
  );
}

/**
 * One address, IPv4 or IPv6. An IPv4-mapped IPv6 address (`::ffff:10.0.0.1`, as dual-stack sockets
 * report IPv4 clients) is folded to family 4 so that IPv4 rules match it.
 */
export function parseAddress(text: string): ParsedAddress {
  const v4 = parseIPv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const words = parseIPv6(text);
  if (words !== null) {
    if (isIPv4Mapped(words)) return { family: 4, value: ((words[6]! << 16) | words[7]!) >>> 0 };
    return { family: 6, words };
  }
  throw new RingfenceError(
    ErrorCodes.IP_INVALID,
    `${quoteInput(text)} is not an IP address (expected dotted-quad IPv4 like 192.0.2.1 or IPv6 like 2001:db8::1)`,
    text,
  );
}

function cidrError(text: string, what: string): RingfenceError {
  return new RingfenceError(ErrorCodes.CIDR_INVALID, `CIDR ${quoteInput(text)} ${what}`, text);
}

/**
 * `address/prefix`, or a bare address (prefix 32 or 128). Host bits set below the prefix are
 * cleared (`10.1.2.3/8` → 10.0.0.0/8). IPv6 blocks stay IPv6, mapped or not.
 */
export function parseCidr(text: string): ParsedCidr {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  if (addrText === '') throw cidrError(text, 'has no address before "/"');
  const v4 = parseIPv4(addrText);
  const v6 = v4 === null ? parseIPv6(addrText) : null;
  if (v4 === null && v6 === null) {
    const hint = addrText.includes('%') ? ' (zone ids are not allowed)' : '';
    throw cidrError(text, `has an invalid address ${quoteInput(addrText)}${hint}`);
  }
  const max = v4 !== null ? 32 : 128;
  let prefix = max;
  if (slash >= 0) {
    const p = text.slice(slash + 1);
    if (p === '') throw cidrError(text, 'has an empty prefix after "/"');
    if (!/^[0-9]+$/.test(p)) throw cidrError(text, `has prefix ${quoteInput(p)}, which is not a whole number`);
    prefix = Number(p);
    if (prefix > max) {
      throw cidrError(text, `has prefix ${prefix}, but an IPv${v4 !== null ? 4 : 6} prefix must be 0–${max}`);
    }
  }
  if (v4 !== null) {
    const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
    return { family: 4, address: formatIPv4((v4 & mask) >>> 0), prefix };
  }
  const words = v6!;
  for (let i = 0; i < 8; i++) {
    const bits = prefix - i * 16;
    if (bits <= 0) words[i] = 0;
    else if (bits < 16) words[i] = words[i]! & ((0xffff << (16 - bits)) & 0xffff);
  }
  return { family: 6, address: formatIPv6(words), prefix };
}
