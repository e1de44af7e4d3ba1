// Stripping HTTPS/SVCB hints that would let a browser bypass the filtering proxy: `ech` hides the
// SNI (the proxy must see it), and HTTP/3 runs over QUIC, which the proxy does not carry.
import { skipName } from './names.ts';
import { allocMessage, copyBytes, put16, readRecord, rr, skipQuestions, u16 } from './records.ts';
import { spliceMessage, type Edit } from './splice.ts';

const SVCB = 64;
const HTTPS = 65;
const MANDATORY = 0;
const ALPN = 1;
const NO_DEFAULT_ALPN = 2;
const ECH = 5;

/**
 * For HTTPS and SVCB records in the answer section: removes `ech`, removes the `h3` and `h3-*`
 * ALPN ids (dropping `alpn` when it empties, and with it `no-default-alpn`), and removes dropped
 * keys from `mandatory` (a missing mandatory key would make the record malformed). Everything
 * else stays byte-identical. Fails closed: an HTTPS/SVCB record whose SvcParams do not parse is
 * removed, and when the question or answer section does not parse, or the edit cannot be made (a
 * pointer into a removed record), the result is a SERVFAIL. Returns the input itself when there is
 * nothing to strip, or when it is not a response at all.
 */
export function stripHttpsHints(resp: Uint8Array): Uint8Array {
  if (resp.length < 12 || (resp[2]! & 0x80) === 0) return resp;
  let off = skipQuestions(resp, 12, u16(resp, 4));
  if (off < 0) return servfail(resp);
  const edits: Edit[] = [];
  const an = u16(resp, 6);
  let removed = 0;
  for (let i = 0; i < an; i++) {
    const start = off;
    off = readRecord(resp, off);
    if (off < 0) return servfail(resp);
    if (rr.type !== HTTPS && rr.type !== SVCB) continue;
    const { rdOff, rdLen } = rr;
    const params = rdLen < 3 ? -1 : skipName(resp, rdOff + 2);
    const stripped = params < 0 || params > off ? undefined : u16(resp, rdOff) === 0 ? null : stripParams(resp, params, off);
    if (stripped === null) continue; // nothing to strip, or AliasMode (its SvcParams are ignored)
    if (stripped === undefined) {
      edits.push({ start, end: off, bytes: EMPTY });
      removed++;
      continue;
    }
    const len = allocMessage(2);
    put16(len, 0, rdLen - (off - params) + stripped.length);
    edits.push({ start: rdOff - 2, end: rdOff, bytes: len }, { start: params, end: off, bytes: stripped });
  }
  if (edits.length === 0) return resp;
  const out = spliceMessage(resp, edits);
  if (out === null) return servfail(resp);
  put16(out, 6, an - removed);
  return out;
}

const EMPTY = new Uint8Array(0);

/** The header and question of `resp` (if it has one readable question) as a SERVFAIL, no records. */
function servfail(resp: Uint8Array): Uint8Array {
  const q = u16(resp, 4) === 1 ? Math.max(12, skipQuestions(resp, 12, 1)) : 12;
  const out = copyBytes(resp, 0, q);
  put16(out, 2, (u16(resp, 2) & ~0x020f) | 2); // no TC, SERVFAIL
  if (q === 12) put16(out, 4, 0);
  out.fill(0, 6, 12);
  return out;
}

interface Param {
  key: number;
  value: Uint8Array;
}

/** The new SvcParams bytes, null when nothing changes, undefined when malformed. */
function stripParams(msg: Uint8Array, p: number, end: number): Uint8Array | null | undefined {
  const params: Param[] = [];
  while (p < end) {
    if (p + 4 > end) return undefined;
    const len = u16(msg, p + 2);
    if (p + 4 + len > end) return undefined;
    params.push({ key: u16(msg, p), value: msg.subarray(p + 4, p + 4 + len) });
    p += 4 + len;
  }
  const dropped = new Set<number>();
  let changed = false;
  for (const param of params) {
    if (param.key === ECH) {
      dropped.add(ECH);
    } else if (param.key === ALPN) {
      const ids = alpnWithoutH3(param.value);
      if (ids === undefined) return undefined;
      if (ids === null) continue;
      changed = true;
      if (ids.length === 0) dropped.add(ALPN);
      else param.value = ids;
    }
  }
  if (dropped.has(ALPN) && params.some((x) => x.key === NO_DEFAULT_ALPN)) dropped.add(NO_DEFAULT_ALPN);
  if (dropped.size === 0 && !changed) return null;
  const mandatory = params.find((x) => x.key === MANDATORY);
  if (mandatory !== undefined && dropped.size > 0) {
    const keys: number[] = [];
    for (let i = 0; i + 1 < mandatory.value.length; i += 2) {
      const k = u16(mandatory.value, i);
      if (!dropped.has(k)) keys.push(k);
    }
    if (keys.length === 0) dropped.add(MANDATORY);
    else {
      mandatory.value = allocMessage(keys.length * 2);
      keys.forEach((k, i) => put16(mandatory.value, i * 2, k));
    }
  }
  const kept = params.filter((x) => !dropped.has(x.key));
  const out = allocMessage(kept.reduce((n, x) => n + 4 + x.value.length, 0));
  let o = 0;
  for (const x of kept) {
    put16(out, o, x.key);
    put16(out, o + 2, x.value.length);
    out.set(x.value, o + 4);
    o += 4 + x.value.length;
  }
  return out;
}

/** The alpn value without h3 ids; null when there are none, undefined when malformed. */
function alpnWithoutH3(v: Uint8Array): Uint8Array | null | undefined {
  const keep: Uint8Array[] = [];
  let removed = false;
  for (let p = 0; p < v.length; ) {
    const l = v[p]!;
    if (l === 0 || p + 1 + l > v.length) return undefined;
    const id = v.subarray(p, p + 1 + l);
    const h3 = l >= 2 && v[p + 1] === 0x68 && v[p + 2] === 0x33 && (l === 2 || v[p + 3] === 0x2d);
    if (h3) removed = true;
    else keep.push(id);
    p += 1 + l;
  }
  if (!removed) return null;
  const out = allocMessage(keep.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const id of keep) {
    out.set(id, o);
    o += id.length;
  }
  return out;
}
