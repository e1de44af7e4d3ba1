// Helpers for upstream responses: bytes from the network, so nothing here throws on any input;
// unparseable input gives null (or, where a message must come back, a documented fallback).
import { EDNS_UDP_SIZE, Rcode, RRType, type DnsQuery } from './types.ts';
import { nameEnd, readName } from './names.ts';
import { allocMessage, copyBytes, put16, put32, rdataValid, readRecord, rr, skipQuestions, u16, u32 } from './records.ts';
import { spliceMessage, type Edit } from './splice.ts';
import { buildRcode } from './build.ts';

export { stripHttpsHints } from './svcb.ts';

export interface Header {
  readonly id: number;
  readonly flags: number;
  /** The low four bits from the header (the OPT may extend it; see cacheInfo). */
  readonly rcode: number;
  readonly qdcount: number;
  readonly ancount: number;
  readonly nscount: number;
  readonly arcount: number;
}

export interface CacheInfo {
  /** The full rcode, with the OPT's extended bits. */
  readonly rcode: number;
  /** Seconds this response may be cached, or null when it must not be. */
  readonly ttl: number | null;
  /** Offsets of every TTL field (OPT excluded: its "TTL" holds flags). */
  readonly ttlOffsets: Uint32Array;
}

export interface Question {
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** Offset just after the first question. */
  readonly end: number;
}

export function readHeader(msg: Uint8Array): Header | null {
  if (msg.length < 12) return null;
  const flags = u16(msg, 2);
  return {
    id: u16(msg, 0), flags, rcode: flags & 0xf,
    qdcount: u16(msg, 4), ancount: u16(msg, 6), nscount: u16(msg, 8), arcount: u16(msg, 10),
  };
}

/** The first question, rendered like parseQuery renders names. */
export function questionOf(resp: Uint8Array): Question | null {
  if (resp.length < 12 || u16(resp, 4) === 0) return null;
  const name = readName(resp, 12, true);
  if (name === null) return null;
  const q = nameEnd;
  if (q + 4 > resp.length) return null;
  return { name, type: u16(resp, q), class: u16(resp, q + 2), end: q + 4 };
}

// TTL offsets are gathered here (a record takes at least 11 bytes), then copied out once.
const ttlScratch = new Uint32Array(Math.ceil(65536 / 11));

/** RFC 2181 §8: a TTL with the top bit set counts as zero. */
function ttlAt(msg: Uint8Array, off: number): number {
  const t = u32(msg, off);
  return t > 0x7fffffff ? 0 : t;
}

/**
 * Walks every record (pointers followed safely) and decides how long the response may be cached:
 * positive answers the minimum TTL of the answer and authority records; NXDOMAIN and NODATA
 * min(SOA TTL, SOA MINIMUM) of the authority SOA (RFC 2308), not cacheable without one.
 * SERVFAIL, other rcodes, truncated responses (TC) and referrals are not cacheable. Bytes after the
 * last record are ignored. Null when it is not a response or does not parse (RDATA of the types
 * holding names included).
 */
export function cacheInfo(resp: Uint8Array): CacheInfo | null {
  if (resp.length < 12 || (resp[2]! & 0x80) === 0) return null;
  const an = u16(resp, 6);
  const ns = u16(resp, 8);
  const total = an + ns + u16(resp, 10);
  if (total * 11 > resp.length - 12) return null; // a record takes at least 11 bytes
  let off = skipQuestions(resp, 12, u16(resp, 4));
  if (off < 0) return null;
  const offsets = ttlScratch;
  let n = 0;
  let min = Infinity;
  let soa = Infinity;
  let ext = 0;
  for (let i = 0; i < total; i++) {
    off = readRecord(resp, off);
    if (off < 0 || !rdataValid(resp, rr.type, rr.rdOff, rr.rdLen)) return null;
    if (rr.type === RRType.OPT) {
      ext = resp[rr.ttlOff]!;
      continue;
    }
    offsets[n++] = rr.ttlOff;
    if (i >= an + ns) continue;
    let ttl = ttlAt(resp, rr.ttlOff);
    if (i >= an && rr.type === RRType.SOA) {
      ttl = Math.min(ttl, ttlAt(resp, off - 4)); // MINIMUM ends the (valid) RDATA
      soa = Math.min(soa, ttl);
    }
    min = Math.min(min, ttl);
  }
  const flags = u16(resp, 2);
  const rcode = (ext << 4) | (flags & 0xf);
  let ttl: number | null = null;
  if ((flags & 0x0200) !== 0) ttl = null; // TC: a partial answer
  else if (rcode === Rcode.NOERROR && an > 0) ttl = min;
  else if ((rcode === Rcode.NOERROR || rcode === Rcode.NXDOMAIN) && soa !== Infinity) ttl = min;
  return { rcode, ttl, ttlOffsets: offsets.slice(0, n) };
}

/** A copy with every TTL reduced by the whole seconds elapsed, floored at 0. */
export function withReducedTtls(resp: Uint8Array, ttlOffsets: Uint32Array, elapsedSeconds: number): Uint8Array {
  const out = copyBytes(resp, 0, resp.length);
  const e = elapsedSeconds > 0 ? Math.floor(elapsedSeconds) : 0;
  for (const off of ttlOffsets) {
    if (off + 4 > out.length) continue;
    const t = ttlAt(out, off);
    put32(out, off, t > e ? t - e : 0);
  }
  return out;
}

/**
 * A cached upstream response made into the answer to this query: the client's id, RD and CD
 * bits and question bytes (so its 0x20 case survives). Any OPT (and TSIG, whose signature no
 * longer holds) is removed; when the client used EDNS our OPT is appended (udp EDNS_UDP_SIZE,
 * version 0, its DO bit, the upstream's extended rcode, no options: upstream cookies, padding and
 * the like belong to the upstream exchange); bytes after the last record are dropped. Fallback:
 * when `cached` is not a response to the same question (same bytes ignoring A–Z case) or does not
 * parse, a SERVFAIL for the query.
 */
export function answerFor(cached: Uint8Array, q: DnsQuery, msg: Uint8Array): Uint8Array {
  const out = adapt(cached, q, msg);
  return out ?? buildRcode(q, msg, Rcode.SERVFAIL);
}

function adapt(cached: Uint8Array, q: DnsQuery, msg: Uint8Array): Uint8Array | null {
  const qEnd = q.questionEnd;
  if (cached.length < qEnd || (cached[2]! & 0x80) === 0 || u16(cached, 4) !== 1 || skipQuestions(cached, 12, 1) !== qEnd) return null;
  for (let i = 12; i < qEnd; i++) {
    const a = cached[i]!;
    const b = msg[i]!;
    if (a === b) continue;
    const l = a | 0x20; // the name ignoring A–Z case (length bytes are ≤ 63, never letters)
    if (i >= qEnd - 4 || l !== (b | 0x20) || l < 0x61 || l > 0x7a) return null;
  }
  const an = u16(cached, 6);
  const ns = u16(cached, 8);
  const ar = u16(cached, 10);
  let off = qEnd;
  const edits: Edit[] = [];
  let ext = 0;
  let removed = 0;
  for (let i = 0; i < an + ns + ar; i++) {
    const start = off;
    off = readRecord(cached, off);
    if (off < 0 || !rdataValid(cached, rr.type, rr.rdOff, rr.rdLen)) return null;
    if (i < an + ns || (rr.type !== RRType.OPT && rr.type !== 250)) continue;
    if (rr.type === RRType.OPT) ext = cached[rr.ttlOff]!;
    edits.push({ start, end: off, bytes: EMPTY });
    removed++;
  }
  let added = 0;
  if (q.edns !== null) {
    OPT_RR[5] = ext; // a shared template: the splice copies it at once
    OPT_RR[7] = q.edns.dnssecOk ? 0x80 : 0;
    edits.push({ start: off, end: off, bytes: OPT_RR });
    added = 1;
  }
  if (off < cached.length) edits.push({ start: off, end: cached.length, bytes: EMPTY }); // trailing bytes
  // Pointers only point backwards (names.ts), so when the edits are one contiguous tail no
  // remaining name refers to a moved byte and a plain copy will do.
  const out = edits.length === 0 || isTail(edits, off) ? splicePlain(cached, edits) : spliceMessage(cached, edits);
  if (out === null) return null;
  put16(out, 0, q.id);
  put16(out, 2, (u16(cached, 2) & ~0x0110) | (q.flags & 0x0110));
  put16(out, 10, ar - removed + added);
  out.set(msg.subarray(12, qEnd), 12);
  return out;
}

const EMPTY = new Uint8Array(0);
const OPT_RR = Uint8Array.of(0, 0, RRType.OPT, EDNS_UDP_SIZE >>> 8, EDNS_UDP_SIZE & 0xff, 0, 0, 0, 0, 0, 0);

/** Whether the edits form one contiguous run from the first edit to the end of the records. */
function isTail(edits: readonly Edit[], recordsEnd: number): boolean {
  let at = edits[0]!.start;
  for (const e of edits) {
    if (e.start !== at) return false;
    at = e.end;
  }
  return at >= recordsEnd;
}

function splicePlain(msg: Uint8Array, edits: readonly Edit[]): Uint8Array | null {
  if (edits.length === 0) return copyBytes(msg, 0, msg.length);
  const start = edits[0]!.start;
  let size = start;
  for (const e of edits) size += e.bytes.length;
  if (size > 65535) return null;
  const out = allocMessage(size);
  out.set(msg.subarray(0, start));
  let o = start;
  for (const e of edits) {
    for (let i = 0; i < e.bytes.length; i++) out[o++] = e.bytes[i]!;
  }
  return out;
}
