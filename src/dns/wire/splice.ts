// Editing a message in place-like fashion: replace byte ranges (remove a record, shrink an RDATA,
// append an OPT) and fix every compression pointer whose target moved. Needed because a pointer
// anywhere after an edit may point at a name that now sits elsewhere.
import { allocMessage, readRecord, rdataNames, rr, skipQuestions, u16 } from './records.ts';

export interface Edit {
  /** Byte range [start, end) of the original message replaced by `bytes` (start === end inserts). */
  readonly start: number;
  readonly end: number;
  readonly bytes: Uint8Array;
}

/**
 * Applies `edits` (sorted, non-overlapping, none inside the 12-byte header or replacing bytes
 * that hold names other pointers target) and fixes pointers in every owner name and every name
 * in known RDATA layouts. Returns null when the message is malformed, a pointer targets a replaced
 * range, or the result exceeds 65535 bytes.
 */
export function spliceMessage(msg: Uint8Array, edits: readonly Edit[]): Uint8Array | null {
  const pointers = pointerPositions(msg, edits);
  if (pointers === null) return null;
  let size = msg.length;
  for (const e of edits) size += e.bytes.length - (e.end - e.start);
  if (size > 65535) return null;
  const out = allocMessage(size); // every byte is written below
  let from = 0;
  let o = 0;
  for (const e of edits) {
    out.set(msg.subarray(from, e.start), o);
    o += e.start - from;
    out.set(e.bytes, o);
    o += e.bytes.length;
    from = e.end;
  }
  out.set(msg.subarray(from), o);
  for (const p of pointers) {
    if (inside(edits, p)) continue; // replaced with the rest of the range
    const target = ((msg[p]! & 0x3f) << 8) | msg[p + 1]!;
    if (inside(edits, target)) return null;
    const moved = map(edits, target);
    if (moved > 0x3fff) return null;
    const at = map(edits, p);
    out[at] = 0xc0 | (moved >>> 8);
    out[at + 1] = moved & 0xff;
  }
  return out;
}

function inside(edits: readonly Edit[], x: number): boolean {
  for (const e of edits) if (e.start <= x && x < e.end) return true;
  return false;
}

/** Where original offset `x` (outside every replaced range) lands in the output. */
function map(edits: readonly Edit[], x: number): number {
  let d = 0;
  for (const e of edits) {
    if (e.end > x) break;
    d += e.bytes.length - (e.end - e.start);
  }
  return x + d;
}

/**
 * Offsets of every pointer in the names of the message (questions, owners, RDATA names). The
 * RDATA of records being replaced is not looked at: they may be removed for being malformed.
 */
function pointerPositions(msg: Uint8Array, edits: readonly Edit[]): number[] | null {
  if (msg.length < 12) return null;
  const out: number[] = [];
  let off = 12;
  for (let i = u16(msg, 4); i > 0; i--) {
    const start = off;
    off = skipQuestions(msg, off, 1);
    if (off < 0) return null;
    notePointer(msg, start, out);
  }
  for (let i = u16(msg, 6) + u16(msg, 8) + u16(msg, 10); i > 0; i--) {
    const start = off;
    off = readRecord(msg, off);
    if (off < 0) return null;
    notePointer(msg, start, out);
    if (inside(edits, rr.rdOff)) continue;
    const names = rdataNames(msg, rr.type, rr.rdOff, rr.rdLen);
    if (names === null) return null;
    for (const n of names) notePointer(msg, n, out);
  }
  return out;
}

/** The name at `p` was validated: walk it in place to its pointer, if it ends with one. */
function notePointer(msg: Uint8Array, p: number, out: number[]): void {
  for (;;) {
    const l = msg[p]!;
    if (l === 0) return;
    if (l >= 0xc0) {
      out.push(p);
      return;
    }
    p += l + 1;
  }
}
