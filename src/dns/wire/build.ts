// Response builders for the answers Ringfence makes itself (blocks, safe-search CNAMEs, errors).
// Every response copies the query's id, opcode, RD and CD, sets QR and RA, echoes the question
// bytes as the client sent them (0x20 mixed case survives) and, when the query had EDNS, ends
// with our OPT. Names owned by the question name are a pointer to offset 12.
// Builder inputs that come from configuration (names, addresses) must be valid: a bad one throws
// a RangeError (a programmer error; the query bytes themselves never make a builder throw).
import { parseIPv4, parseIPv6 } from '../../core/net/ip.ts';
import { EDNS_UDP_SIZE, Rcode, RRType, type DnsQuery } from './types.ts';
import { encodeNameCached } from './names.ts';
import { allocMessage, copyBytes, copyRecord, put16, put32, recordEnd, rr, skipQuestions, u16 } from './records.ts';

export interface SyntheticSoa {
  /** The owner, e.g. the question name. */
  readonly zone: string;
  readonly ttl: number;
  readonly mname: string;
  readonly rname: string;
  readonly serial: number;
  /** The negative-caching TTL (RFC 2308 uses min(ttl, minimum)). */
  readonly minimum: number;
}

export interface AddressAnswer {
  readonly ipv4: readonly string[];
  readonly ipv6: readonly string[];
  readonly ttl: number;
  /** For NODATA (other types, or no address of the asked family). */
  readonly soa: SyntheticSoa;
}

export interface CnameAnswer {
  readonly target: string;
  readonly ttl: number;
  /** An upstream response for `target` with the query's type, or null. */
  readonly upstream: Uint8Array | null;
}

const IN = 1;
const MAX_MESSAGE = 65535;
const OPT_SIZE = 11;
// Responses are written here, then copied out at their exact size.
const out = new Uint8Array(MAX_MESSAGE + 1);

/** The SOA for blocked names: owner the question name, clearly not a real zone. */
export function blockSoa(q: DnsQuery, ttl: number): SyntheticSoa {
  return {
    zone: q.name, ttl, mname: 'blocked.ringfence.invalid', rname: 'hostmaster.ringfence.invalid', serial: 1, minimum: ttl,
  };
}

/** A FORMERR header for a query whose question could not be read. */
export function buildFormErr(id: number, flags: number): Uint8Array {
  const r = allocMessage(12);
  put16(r, 0, id);
  put16(r, 2, responseFlags(flags, Rcode.FORMERR, false));
  r.fill(0, 4, 12);
  return r;
}

/** An error or empty answer (NXDOMAIN, SERVFAIL, REFUSED, NOTIMP, BADVERS…), with `soa` in the authority section when given. */
export function buildRcode(q: DnsQuery, msg: Uint8Array, rcode: number, soa?: SyntheticSoa): Uint8Array {
  if (rcode > 15 && q.edns === null) rcode = Rcode.SERVFAIL; // extended rcodes live in the OPT
  let o = begin(q, msg, rcode, 0, soa ? 1 : 0, false);
  if (soa) o = writeSoa(q, o, soa);
  return finish(q, o, rcode);
}

/** Addresses for A or AAAA; NODATA (NOERROR, SOA in authority) for other types or an empty list. */
export function buildAddressAnswer(q: DnsQuery, msg: Uint8Array, a: AddressAnswer): Uint8Array {
  const v6 = q.type === RRType.AAAA;
  const list = q.type === RRType.A ? a.ipv4 : v6 ? a.ipv6 : [];
  if (list.length === 0) return buildRcode(q, msg, Rcode.NOERROR, a.soa);
  const size = v6 ? 16 : 4;
  const count = Math.min(list.length, Math.floor((MAX_MESSAGE - q.questionEnd - OPT_SIZE) / (12 + size)));
  let o = begin(q, msg, Rcode.NOERROR, count, 0, false);
  for (let i = 0; i < count; i++) {
    const bytes = v6 ? ipv6Bytes(list[i]!) : ipv4Bytes(list[i]!);
    o = writeRecordHead(o, q.type, a.ttl, size);
    out.set(bytes, o);
    o += size;
  }
  return finish(q, o, Rcode.NOERROR);
}

/**
 * One CNAME (question name → target), then the answer records of `upstream` with every name
 * decompressed. An upstream that is null, not a response, or malformed in any record adds nothing.
 */
export function buildCnameAnswer(q: DnsQuery, msg: Uint8Array, c: CnameAnswer): Uint8Array {
  const target = nameBytes(c.target);
  let o = begin(q, msg, Rcode.NOERROR, 1, 0, false);
  o = writeRecordHead(o, RRType.CNAME, c.ttl, target.length);
  out.set(target, o);
  o += target.length;
  const { end, count } = appendUpstreamAnswers(c.upstream, o, q.edns ? OPT_SIZE : 0);
  put16(out, 6, 1 + count);
  return finish(q, end, Rcode.NOERROR);
}

function appendUpstreamAnswers(up: Uint8Array | null, start: number, reserve: number): { end: number; count: number } {
  if (up === null || up.length < 12 || (up[2]! & 0x80) === 0) return { end: start, count: 0 };
  let off = skipQuestions(up, 12, u16(up, 4));
  let o = start;
  let count = 0;
  for (let i = u16(up, 6); i > 0 && off >= 0; i--) {
    const next = copyRecord(up, off, out, o);
    if (next < 0) return { end: start, count: 0 };
    off = recordEnd;
    if (rr.type === RRType.OPT) continue; // never an OPT in the answer section
    o = next;
    count++;
  }
  if (off < 0 || o + reserve > MAX_MESSAGE || count > 0xfffe) return { end: start, count: 0 };
  return { end: o, count };
}

/** RFC 8482 answer to ANY: one HINFO "RFC8482" "". */
export function buildAnyMinimal(q: DnsQuery, msg: Uint8Array, ttl: number): Uint8Array {
  let o = begin(q, msg, Rcode.NOERROR, 1, 0, false);
  o = writeRecordHead(o, RRType.HINFO, ttl, 9);
  out[o++] = 7;
  for (let i = 0; i < 7; i++) out[o++] = 'RFC8482'.charCodeAt(i);
  out[o++] = 0;
  return finish(q, o, Rcode.NOERROR);
}

/** TC=1, the question (and OPT), no records: the client retries over TCP. */
export function buildTruncated(q: DnsQuery, msg: Uint8Array): Uint8Array {
  return finish(q, begin(q, msg, Rcode.NOERROR, 0, 0, true), Rcode.NOERROR);
}

/** The largest UDP response this client takes: 512 without EDNS, else its size capped at ours. */
export function maxUdpSize(q: DnsQuery): number {
  return q.edns === null ? 512 : Math.min(q.edns.udpSize, EDNS_UDP_SIZE);
}

/** The response if it fits in a UDP answer to this client, else a truncated one. */
export function fitUdp(response: Uint8Array, q: DnsQuery, msg: Uint8Array): Uint8Array {
  return response.length <= maxUdpSize(q) ? response : buildTruncated(q, msg);
}

/** Response flags from the query's: QR, RA, the opcode, RD and CD kept, the low rcode bits. */
function responseFlags(queryFlags: number, rcode: number, tc: boolean): number {
  return 0x8080 | (queryFlags & 0x7910) | (tc ? 0x0200 : 0) | (rcode & 0xf);
}

/** Header and question into `out`; returns the write offset after the question. */
function begin(q: DnsQuery, msg: Uint8Array, rcode: number, an: number, ns: number, tc: boolean): number {
  put16(out, 0, q.id);
  put16(out, 2, responseFlags(q.flags, rcode, tc));
  put16(out, 4, 1);
  put16(out, 6, an);
  put16(out, 8, ns);
  put16(out, 10, q.edns ? 1 : 0);
  for (let i = 12; i < q.questionEnd; i++) out[i] = msg[i]!;
  return q.questionEnd;
}

/** Appends our OPT when the client used EDNS and copies the response out. */
function finish(q: DnsQuery, o: number, rcode: number): Uint8Array {
  if (q.edns) {
    out[o] = 0; // root owner
    put16(out, o + 1, RRType.OPT);
    put16(out, o + 3, EDNS_UDP_SIZE);
    out[o + 5] = (rcode >>> 4) & 0xff; // extended rcode
    out[o + 6] = 0; // version
    out[o + 7] = q.edns.dnssecOk ? 0x80 : 0;
    out[o + 8] = 0;
    put16(out, o + 9, 0); // no options
    o += OPT_SIZE;
  }
  return copyBytes(out, 0, o); // every byte of out[0, o) was written by this call
}

/** Owner = the question name (pointer to offset 12), class IN. Returns the RDATA offset. */
function writeRecordHead(o: number, type: number, ttl: number, rdLen: number): number {
  put16(out, o, 0xc00c);
  put16(out, o + 2, type);
  put16(out, o + 4, IN);
  put32(out, o + 6, ttl >>> 0);
  put16(out, o + 10, rdLen);
  return o + 12;
}

function writeSoa(q: DnsQuery, o: number, soa: SyntheticSoa): number {
  const m = nameBytes(soa.mname);
  const r = nameBytes(soa.rname);
  if (soa.zone === q.name) {
    put16(out, o, 0xc00c);
    o += 2;
  } else {
    const z = nameBytes(soa.zone);
    out.set(z, o);
    o += z.length;
  }
  put16(out, o, RRType.SOA);
  put16(out, o + 2, IN);
  put32(out, o + 4, soa.ttl >>> 0);
  put16(out, o + 8, m.length + r.length + 20);
  o += 10;
  out.set(m, o);
  o += m.length;
  out.set(r, o);
  o += r.length;
  put32(out, o, soa.serial >>> 0);
  put32(out, o + 4, 3600); // refresh, retry, expire: unused by caches, plausible values
  put32(out, o + 8, 600);
  put32(out, o + 12, 86400);
  put32(out, o + 16, soa.minimum >>> 0);
  return o + 20;
}

function nameBytes(text: string): Uint8Array {
  const b = encodeNameCached(text);
  if (b === null) throw new RangeError(`not a valid domain name: ${JSON.stringify(text)}`);
  return b;
}

const v4Memo = new Map<string, Uint8Array>();
const v6Memo = new Map<string, Uint8Array>();

function ipv4Bytes(text: string): Uint8Array {
  let b = v4Memo.get(text);
  if (b === undefined) {
    const v = parseIPv4(text);
    if (v === null) throw new RangeError(`not an IPv4 address: ${JSON.stringify(text)}`);
    b = Uint8Array.of(v >>> 24, v >>> 16, v >>> 8, v);
    remember(v4Memo, text, b);
  }
  return b;
}

function ipv6Bytes(text: string): Uint8Array {
  let b = v6Memo.get(text);
  if (b === undefined) {
    const w = parseIPv6(text);
    if (w === null) throw new RangeError(`not an IPv6 address: ${JSON.stringify(text)}`);
    b = new Uint8Array(16);
    for (let i = 0; i < 8; i++) put16(b, i * 2, w[i]!);
    remember(v6Memo, text, b);
  }
  return b;
}

function remember(memo: Map<string, Uint8Array>, text: string, b: Uint8Array): void {
  if (memo.size >= 1024) memo.clear();
  memo.set(text, b);
}
