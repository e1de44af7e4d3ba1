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
  if (!scanForCache(resp)) return null;
  return { rcode: scanned.rcode, ttl: scanned.ttl, ttlOffsets: ttlScratch.slice(0, scanned.ttlCount) };
}

/**
 * cacheInfo without allocating: false when it would be null, else the result in `scanned` and the
 * TTL offsets in scannedTtlOffsets[0, scanned.ttlCount), valid until the next call.
 */
export function scanForCache(resp: Uint8Array): boolean {
  if (resp.length < 12 || (resp[2]! & 0x80) === 0) return false;
  const an = u16(resp, 6);
  const ns = u16(resp, 8);
  const total = an + ns + u16(resp, 10);
  if (total * 11 > resp.length - 12) return false; // a record takes at least 11 bytes
  let off = skipQuestions(resp, 12, u16(resp, 4));
  if (off < 0) return false;
  const offsets = ttlScratch;
  let n = 0;
  let min = Infinity;
  let soa = Infinity;
  let ext = 0;
  for (let i = 0; i < total; i++) {
    off = readRecord(resp, off);
    if (off < 0 || !rdataValid(resp, rr.type, rr.rdOff, rr.rdLen)) return false;
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
  scanned.rcode = rcode;
  scanned.ttl = ttl;
  scanned.ttlCount = n;
  return true;
}

/** What scanForCache found last. */
export const scanned: { rcode: number; ttl: number | null; ttlCount: number } = { rcode: 0, ttl: null, ttlCount: 0 };
export const scannedTtlOffsets: ArrayLike<number> = ttlScratch;

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
  const stored = storedForm(cached);
  if (stored === null) return buildRcode(q, msg, Rcode.SERVFAIL);
  return answerFromStored(stored, storedQuestionEnd, storedExtRcode, q, msg);
}

/** answerFor for a response already in stored form (storedForm's result and what it set). */
export function answerFromStored(stored: Uint8Array, questionEnd: number, extRcode: number, q: DnsQuery, msg: Uint8Array): Uint8Array {
  const len = stored.length;
  const out = allocMessage(len + (q.edns !== null ? OPT_SIZE : 0));
  out.set(stored);
  return finishAnswer(out, len, questionEnd, extRcode, q, msg) ? out : buildRcode(q, msg, Rcode.SERVFAIL);
}

/** Set by storedForm: the end of the question, and the extended rcode bits of the OPT it removed. */
export let storedQuestionEnd = 0;
export let storedExtRcode = 0;

/**
 * The part of answerFor that does not depend on the client, done once when a response is cached:
 * the response checked (QR set, one question, every record and the RDATA names valid), its OPT
 * and TSIG records and any bytes after the last record removed (pointers fixed). Returns `resp`
 * itself when nothing had to go, or null when it does not parse. Sets storedQuestionEnd and
 * storedExtRcode.
 */
export function storedForm(resp: Uint8Array): Uint8Array | null {
  if (resp.length < 12 || (resp[2]! & 0x80) === 0 || u16(resp, 4) !== 1) return null;
  const qEnd = skipQuestions(resp, 12, 1);
  if (qEnd < 0) return null;
  const an = u16(resp, 6);
  const ns = u16(resp, 8);
  const ar = u16(resp, 10);
  let off = qEnd;
  let edits: Edit[] | null = null;
  let ext = 0;
  let removed = 0;
  let cut = -1; // where a run of removed records started, while it is the last thing seen
  for (let i = 0; i < an + ns + ar; i++) {
    const start = off;
    off = readRecord(resp, off);
    if (off < 0 || !rdataValid(resp, rr.type, rr.rdOff, rr.rdLen)) return null;
    if (i < an + ns || (rr.type !== RRType.OPT && rr.type !== 250)) {
      if (cut >= 0) (edits ??= []).push({ start: cut, end: start, bytes: EMPTY }); // a removed run, then a kept record
      cut = -1;
      continue;
    }
    if (rr.type === RRType.OPT) ext = resp[rr.ttlOff]!;
    if (cut < 0) cut = start;
    removed++;
  }
  storedQuestionEnd = qEnd;
  storedExtRcode = ext;
  if (edits === null) {
    // The usual case: at most a tail to drop (the OPT last, maybe trailing bytes). Pointers only
    // point backwards (names.ts), so no name left refers into the tail: a plain cut will do.
    const end = cut >= 0 ? cut : off;
    if (end === resp.length) return resp;
    const out = copyBytes(resp, 0, end);
    put16(out, 10, ar - removed);
    return out;
  }
  if (cut >= 0) edits.push({ start: cut, end: off, bytes: EMPTY });
  if (off < resp.length) edits.push({ start: off, end: resp.length, bytes: EMPTY }); // trailing bytes
  // Removed records between kept ones: pointers behind them must be fixed.
  const out = spliceMessage(resp, edits);
  if (out === null) return null;
  put16(out, 10, ar - removed);
  return out;
}

/**
 * Makes `out`, which holds a stored-form response in [0, len) and has room for an OPT after it
 * when the query has EDNS, into the answer to `q`: id, RD and CD from the query, its question
 * bytes (which must equal the stored ones but for A–Z case), our OPT when the client used EDNS.
 * False when the question differs.
 */
export function finishAnswer(out: Uint8Array, len: number, questionEnd: number, extRcode: number, q: DnsQuery, msg: Uint8Array): boolean {
  const qEnd = q.questionEnd;
  if (questionEnd !== qEnd) return false;
  for (let i = 12; i < qEnd; i++) {
    const a = out[i]!;
    const b = msg[i]!;
    if (a === b) continue;
    const l = a | 0x20; // the name ignoring A–Z case (length bytes are ≤ 63, never letters)
    if (i >= qEnd - 4 || l !== (b | 0x20) || l < 0x61 || l > 0x7a) return false;
    out[i] = b;
  }
  put16(out, 0, q.id);
  out[2] = (out[2]! & ~0x01) | (msg[2]! & 0x01); // RD
  out[3] = (out[3]! & ~0x10) | (msg[3]! & 0x10); // CD
  if (q.edns !== null) {
    put16(out, 10, u16(out, 10) + 1);
    out[len] = 0; // root owner
    put16(out, len + 1, RRType.OPT);
    put16(out, len + 3, EDNS_UDP_SIZE);
    out[len + 5] = extRcode;
    out[len + 6] = 0; // version
    out[len + 7] = q.edns.dnssecOk ? 0x80 : 0;
    out[len + 8] = 0;
    put16(out, len + 9, 0); // no options
  }
  return true;
}

const OPT_SIZE = 11;
const EMPTY = new Uint8Array(0);
