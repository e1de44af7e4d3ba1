// Domain names in wire form: reading (with safe compression-pointer following), skipping,
// copying decompressed, and encoding presentation strings. Hand-written for the hot path; nothing
// here throws on any input bytes: malformed names give -1 or null.

// Pointers must point strictly backwards: before the name's start, then before the previous
// target (BIND's rule, what every compressor does). That rules out loops and forward references,
// so removing trailing records can never break an earlier name. Hops are bounded as well.
const MAX_HOPS = 127;
/** Header size: a pointer into the header is never legitimate. */
const HEADER = 12;

// One shared output buffer for rendering (a name renders to at most 4 × 253 characters).
const scratch = Buffer.allocUnsafe(1024);

/**
 * Set by readName / skipName: the offset just after the name *in place* (after its terminating
 * zero or its first pointer). A module variable so the hot path allocates no result objects.
 */
export let nameEnd = 0;

/**
 * Renders the name at `off` as lower-case dotted presentation text ('' for the root); bytes
 * outside 0x21–0x7e and '.' or '\' inside a label become \DDD. Only A–Z are lower-cased.
 * Pointers are followed when `pointers` is true (backwards only, never into the header),
 * otherwise a pointer makes the name malformed. Returns null when malformed; sets `nameEnd`.
 */
export function readName(msg: Uint8Array, off: number, pointers: boolean): string | null {
  const len = msg.length;
  let p = off;
  let out = 0;
  let wire = 1; // the terminating zero
  let hops = 0;
  let end = -1;
  let limit = off; // each pointer must point before the previous one (as BIND requires)
  let h = 0;
  for (;;) {
    if (p >= len) return null;
    const l = msg[p]!;
    if (l === 0) break;
    if (l > 63) {
      if (l < 0xc0 || !pointers || p + 1 >= len) return null; // 0x40/0x80: obsolete label types
      const target = ((l & 0x3f) << 8) | msg[p + 1]!;
      if (end < 0) end = p + 2;
      if (++hops > MAX_HOPS || target < HEADER || target >= limit) return null;
      p = limit = target;
      continue;
    }
    wire += l + 1;
    if (wire > 255 || p + 1 + l > len) return null;
    if (out > 0) scratch[out++] = 0x2e;
    const stop = p + 1 + l;
    for (let i = p + 1; i < stop; i++) {
      let c = msg[i]!;
      if (c >= 0x41 && c <= 0x5a) c |= 0x20;
      h = Math.imul(h ^ c, 0x01000193);
      if (c >= 0x21 && c <= 0x7e && c !== 0x2e && c !== 0x5c) scratch[out++] = c;
      else {
        scratch[out++] = 0x5c;
        scratch[out++] = 0x30 + ((c / 100) | 0);
        scratch[out++] = 0x30 + (((c / 10) | 0) % 10);
        scratch[out++] = 0x30 + (c % 10);
      }
    }
    p = stop;
  }
  nameEnd = end < 0 ? p + 1 : end;
  return out === 0 ? '' : intern(h, out);
}

// Popular names repeat: a direct-mapped table from the rendered bytes to their string saves the
// string allocation (the costliest step of the parse) on a hit.
const INTERN_SLOTS = 4096;
const interned: string[] = new Array<string>(INTERN_SLOTS).fill('');

function intern(h: number, n: number): string {
  const slot = (h ^ (h >>> 16) ^ n) & (INTERN_SLOTS - 1);
  const s = interned[slot]!;
  if (s.length === n) {
    let i = 0;
    while (i < n && s.charCodeAt(i) === scratch[i]) i++;
    if (i === n) return s;
  }
  const fresh = scratch.toString('latin1', 0, n);
  interned[slot] = fresh;
  return fresh;
}

/**
 * Walks the name at `off`, following pointers safely (at most MAX_HOPS, each pointing before the
 * previous one, as BIND requires, never into the header), and copies its labels uncompressed into
 * `out` at `o` when `out` is given. Returns the write offset after the copy (or, without `out`,
 * 0), or -1 when malformed or `out` is too small. Sets `nameEnd` to the end of the name in place.
 */
function walkName(msg: Uint8Array, off: number, out: Uint8Array | null, o: number): number {
  const len = msg.length;
  let p = off;
  let wire = 1;
  let hops = 0;
  let end = -1;
  let limit = off;
  for (;;) {
    if (p >= len) return -1;
    const l = msg[p]!;
    if (l === 0) break;
    if (l > 63) {
      if (l < 0xc0 || p + 1 >= len) return -1;
      const target = ((l & 0x3f) << 8) | msg[p + 1]!;
      if (end < 0) end = p + 2;
      if (++hops > MAX_HOPS || target < HEADER || target >= limit) return -1;
      p = limit = target;
      continue;
    }
    wire += l + 1;
    if (wire > 255) return -1;
    if (out !== null) {
      if (p + 1 + l > len || o + l + 2 > out.length) return -1;
      out.set(msg.subarray(p, p + 1 + l), o);
      o += l + 1;
    }
    p += l + 1;
  }
  if (out !== null) {
    if (o >= out.length) return -1;
    out[o++] = 0;
  }
  nameEnd = end < 0 ? p + 1 : end;
  return o;
}

/**
 * Validates the name at `off` like readName (following pointers safely) without rendering it.
 * Returns the offset after the name in place, or -1 when malformed. Sets `nameEnd` too.
 */
export function skipName(msg: Uint8Array, off: number): number {
  return walkName(msg, off, null, 0) < 0 ? -1 : nameEnd;
}

/**
 * Copies the name at `off` into `out` at `o` uncompressed (label bytes as they are, case kept),
 * following pointers safely. Returns the new write offset, or -1 when malformed or `out` is too
 * small. Sets `nameEnd` to the end of the name in the source.
 */
export function copyName(msg: Uint8Array, off: number, out: Uint8Array, o: number): number {
  return walkName(msg, off, out, o);
}

/**
 * Encodes presentation text ('a.b.c', optional trailing dot, '' or '.' for the root; \DDD and \X
 * escapes) to wire form, case kept. Returns null for invalid text (empty label, label > 63,
 * name > 255 bytes, characters beyond U+00FF).
 */
export function encodeName(text: string): Uint8Array | null {
  const bytes = new Uint8Array(256);
  let o = 1; // bytes[0] is the first label's length
  let labelStart = 0;
  const n = text.length;
  const last = n > 0 && text.charCodeAt(n - 1) === 0x2e && !escapedAt(text, n - 1) ? n - 1 : n;
  if (last === 0) return n <= 1 ? Uint8Array.of(0) : null;
  for (let i = 0; i <= last; i++) {
    let c: number;
    if (i === last) c = -1;
    else {
      c = text.charCodeAt(i);
      if (c === 0x5c) {
        const d = decodeEscape(text, i + 1, last);
        if (d < 0) return null;
        c = d & 0xff;
        i += d >> 8;
        if (o >= 255) return null;
        bytes[o++] = c;
        continue;
      }
    }
    if (c === 0x2e || c === -1) {
      const l = o - labelStart - 1;
      if (l === 0 || l > 63) return null;
      bytes[labelStart] = l;
      labelStart = o++;
      if (o > 255) return null;
      continue;
    }
    if (c > 0xff || o >= 255) return null;
    bytes[o++] = c;
  }
  bytes[labelStart] = 0;
  return bytes.slice(0, labelStart + 1);
}

/** The byte of the escape after a backslash at `i` in the low 8 bits, its extra length above. */
function decodeEscape(text: string, i: number, last: number): number {
  if (i >= last) return -1;
  const c = text.charCodeAt(i);
  if (c >= 0x30 && c <= 0x39) {
    if (i + 2 >= last) return -1;
    let v = 0;
    for (let k = 0; k < 3; k++) {
      const d = text.charCodeAt(i + k) - 0x30;
      if (!(d >= 0 && d <= 9)) return -1;
      v = v * 10 + d;
    }
    return v > 255 ? -1 : v | (3 << 8);
  }
  return c > 0xff ? -1 : c | (1 << 8);
}

/** Whether the character at `i` is escaped by an odd run of backslashes before it. */
function escapedAt(text: string, i: number): boolean {
  let k = 0;
  while (i - 1 - k >= 0 && text.charCodeAt(i - 1 - k) === 0x5c) k++;
  return (k & 1) === 1;
}

const encoded = new Map<string, Uint8Array | null>();

/** encodeName with a small memo: builders encode the same configured names over and over. */
export function encodeNameCached(text: string): Uint8Array | null {
  let v = encoded.get(text);
  if (v === undefined) {
    v = encodeName(text);
    if (encoded.size >= 1024) encoded.clear();
    encoded.set(text, v);
  }
  return v;
}
