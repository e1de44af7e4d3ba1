// Stripping HTTPS/SVCB hints that would let a browser bypass the filtering proxy: `ech` hides the
// SNI (the proxy must see it), and HTTP/3 runs over QUIC, which the proxy does not carry.
import { skipName } from './names.ts';
import { put16, readRecord, rr, skipQuestions, u16 } from './records.ts';
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
 * else stays byte-identical. Returns the input itself when there is nothing to strip, or when
 * the message or a record's SvcParams are malformed (the caller already treats those as failed).
 */
export function stripHttpsHints(resp: Uint8Array): Uint8Array {
  if (resp.length < 12 || (resp[2]! & 0x80) === 0) return resp;
  let off = skipQuestions(resp, 12, u16(resp, 4));
  if (off < 0) return resp;
  const edits: Edit[] = [];
  for (let i = u16(resp, 6); i > 0; i--) {
    off = readRecord(resp, off);
    if (off < 0) return resp;
    if ((rr.type !== HTTPS && rr.type !== SVCB) || rr.rdLen < 3) continue;
    const { rdOff, rdLen } = rr;
    if (u16(resp, rdOff) === 0) continue; // AliasMode: no SvcParams
    const params = skipName(resp, rdOff + 2);
    if (params < 0 || params > off) return resp;
    const stripped = stripParams(resp, params, off);
    if (stripped === undefined) return resp;
    if (stripped === null) continue;
    const len = new Uint8Array(2);
    put16(len, 0, rdLen - (off - params) + stripped.length);
    edits.push({ start: rdOff - 2, end: rdOff, bytes: len }, { start: params, end: off, bytes: stripped });
  }
  if (edits.length === 0) return resp;
  return spliceMessage(resp, edits) ?? resp;
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
      mandatory.value = new Uint8Array(keys.length * 2);
      keys.forEach((k, i) => put16(mandatory.value, i * 2, k));
    }
  }
  const kept = params.filter((x) => !dropped.has(x.key));
  const out = new Uint8Array(kept.reduce((n, x) => n + 4 + x.value.length, 0));
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
  const out = new Uint8Array(keep.reduce((n, x) => n + x.length, 0));
  let o = 0;
  for (const id of keep) {
    out.set(id, o);
    o += id.length;
  }
  return out;
}
