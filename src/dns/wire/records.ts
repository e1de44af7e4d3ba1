// Resource-record walking over wire messages, shared by the query parser, the builders and the
// upstream-response helpers. Never throws: malformed input gives -1 or null.
import { copyName, nameEnd, skipName } from './names.ts';

/** Fields of the record last read by readRecord (module state: the hot path allocates nothing). */
export const rr = { owner: 0, type: 0, klass: 0, ttlOff: 0, rdOff: 0, rdLen: 0 };

/**
 * Reads the record at `off` (owner validated, pointers followed safely) into `rr`. Returns the
 * offset after the record, or -1 when it is malformed or runs past the end. The RDATA is not
 * looked at: see rdataValid.
 */
export function readRecord(msg: Uint8Array, off: number): number {
  const e = skipName(msg, off);
  if (e < 0 || e + 10 > msg.length) return -1;
  const rdLen = (msg[e + 8]! << 8) | msg[e + 9]!;
  const end = e + 10 + rdLen;
  if (end > msg.length) return -1;
  rr.owner = off;
  rr.type = (msg[e]! << 8) | msg[e + 1]!;
  rr.klass = (msg[e + 2]! << 8) | msg[e + 3]!;
  rr.ttlOff = e + 4;
  rr.rdOff = e + 10;
  rr.rdLen = rdLen;
  return end;
}

/** Skips `count` questions from `off`; returns the offset after them or -1. */
export function skipQuestions(msg: Uint8Array, off: number, count: number): number {
  for (let i = 0; i < count; i++) {
    const e = skipName(msg, off);
    if (e < 0 || e + 4 > msg.length) return -1;
    off = e + 4;
  }
  return off;
}

/**
 * A buffer for a message the caller fills completely. Buffer.allocUnsafe serves small sizes from
 * a shared pool, several times cheaper than new Uint8Array (a zeroed backing store of its own).
 * For transient messages only: a pooled slice pins its whole pool, so the cache keeps own copies.
 */
export function allocMessage(n: number): Uint8Array {
  return Buffer.allocUnsafe(n);
}

/** A transient copy of src[start, end). */
export function copyBytes(src: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start;
  const out = allocMessage(n);
  if (n > 64) out.set(src.subarray(start, end));
  else for (let i = 0; i < n; i++) out[i] = src[start + i]!;
  return out;
}

export function u16(msg: Uint8Array, off: number): number {
  return (msg[off]! << 8) | msg[off + 1]!;
}

export function u32(msg: Uint8Array, off: number): number {
  return msg[off]! * 0x1000000 + ((msg[off + 1]! << 16) | (msg[off + 2]! << 8) | msg[off + 3]!);
}

export function put16(out: Uint8Array, off: number, v: number): void {
  out[off] = v >>> 8;
  out[off + 1] = v;
}

export function put32(out: Uint8Array, off: number, v: number): void {
  out[off] = v >>> 24;
  out[off + 1] = v >>> 16;
  out[off + 2] = v >>> 8;
  out[off + 3] = v;
}

// RDATA layouts of the types whose RDATA holds domain names: a name, a character-string, the
// rest, or a count of fixed bytes. Compression is allowed (RFC 1035/3597) or at least harmless
// to undo for these; any other type's RDATA is opaque bytes.
const N = -1;
const S = -2;
const REST = -3;
const LAYOUTS = new Map<number, readonly number[]>([
  [2, [N]], [3, [N]], [4, [N]], [5, [N]], [7, [N]], [8, [N]], [9, [N]], [12, [N]], [39, [N]], // NS…PTR, DNAME
  [6, [N, N, 20]], // SOA
  [14, [N, N]], [17, [N, N]], // MINFO, RP
  [15, [2, N]], [18, [2, N]], [21, [2, N]], [36, [2, N]], // MX, AFSDB, RT, KX
  [26, [2, N, N]], // PX
  [33, [6, N]], // SRV
  [35, [4, S, S, S, N]], // NAPTR
  [24, [18, N, REST]], [46, [18, N, REST]], // SIG, RRSIG
  [47, [N, REST]], // NSEC
  [64, [2, N, REST]], [65, [2, N, REST]], // SVCB, HTTPS
]);

/**
 * Offsets of the domain names inside the RDATA at `rdOff` for `type` ([] for opaque types), or
 * null when the RDATA does not fit the type's layout.
 */
export function rdataNames(msg: Uint8Array, type: number, rdOff: number, rdLen: number): number[] | null {
  const names: number[] = [];
  return walkRdata(msg, type, rdOff, rdLen, names) ? names : null;
}

/** Whether the RDATA fits its type's layout (names valid, sizes exact); allocates nothing. */
export function rdataValid(msg: Uint8Array, type: number, rdOff: number, rdLen: number): boolean {
  return walkRdata(msg, type, rdOff, rdLen, null);
}

function walkRdata(msg: Uint8Array, type: number, rdOff: number, rdLen: number, names: number[] | null): boolean {
  const layout = LAYOUTS.get(type);
  if (layout === undefined) return true;
  const end = rdOff + rdLen;
  let p = rdOff;
  for (const part of layout) {
    if (part === N) {
      if (p >= end) return false;
      const e = skipName(msg, p);
      if (e < 0 || e > end) return false;
      names?.push(p);
      p = e;
    } else if (part === S) {
      if (p >= end) return false;
      p += 1 + msg[p]!;
    } else if (part === REST) {
      p = end;
    } else {
      p += part;
    }
    if (p > end) return false;
  }
  return p === end;
}

/** Set by copyRecord: the source offset after the record copied. */
export let recordEnd = 0;

/**
 * Copies the record at `off` of `msg` into `out` at `o` with every name decompressed (owner and
 * the names in RDATA). Returns the new write offset, or -1 when the record is malformed or does
 * not fit in `out`. Sets `recordEnd`.
 */
export function copyRecord(msg: Uint8Array, off: number, out: Uint8Array, o: number): number {
  const end = readRecord(msg, off);
  if (end < 0) return -1;
  const { type, rdOff, rdLen } = rr;
  const names = rdataNames(msg, type, rdOff, rdLen);
  if (names === null) return -1;
  o = copyName(msg, off, out, o);
  if (o < 0 || o + 10 > out.length) return -1;
  out.set(msg.subarray(rdOff - 10, rdOff - 2), o); // type, class, TTL
  const rdLenAt = o + 8;
  o += 10;
  const start = o;
  let p = rdOff;
  for (const n of names) {
    if (o + (n - p) > out.length) return -1;
    out.set(msg.subarray(p, n), o);
    o += n - p;
    o = copyName(msg, n, out, o);
    if (o < 0) return -1;
    p = nameEnd;
  }
  if (o + (end - p) > out.length) return -1;
  out.set(msg.subarray(p, end), o);
  o += end - p;
  if (o - start > 0xffff) return -1;
  put16(out, rdLenAt, o - start);
  recordEnd = end;
  return o;
}
