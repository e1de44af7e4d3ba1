// The query parser on the hot path: one pass over the bytes, no dns-packet, no exceptions.
import type { DnsQuery, Edns, QueryParse } from './types.ts';
import { nameEnd, readName } from './names.ts';
import { readRecord, rr } from './records.ts';

const OPT = 41;

function drop(reason: string): QueryParse {
  return { kind: 'drop', reason };
}

function formerr(id: number, flags: number): QueryParse {
  return { kind: 'formerr', id, flags };
}

/**
 * Parses a client query. Too short for a header or a response → drop; a malformed query →
 * formerr (id and flags for the answer); otherwise the query, whatever its opcode (the caller
 * answers NOTIMP). For opcode 0 the answer and authority sections must be empty; other opcodes
 * (NOTIFY, UPDATE) use them, so there they are only walked, to answer NOTIMP rather than FORMERR.
 */
export function parseQuery(msg: Uint8Array): QueryParse {
  const len = msg.length;
  if (len < 12) return drop('shorter than a header');
  const flags = (msg[2]! << 8) | msg[3]!;
  if ((flags & 0x8000) !== 0) return drop('a response');
  const id = (msg[0]! << 8) | msg[1]!;
  if (msg[4] !== 0 || msg[5] !== 1) return formerr(id, flags);
  const an = (msg[6]! << 8) | msg[7]!;
  const ns = (msg[8]! << 8) | msg[9]!;
  const ar = (msg[10]! << 8) | msg[11]!;
  const opcode = (flags >>> 11) & 0xf;
  if (opcode === 0 && (an | ns) !== 0) return formerr(id, flags);

  const name = readName(msg, 12, false);
  if (name === null) return formerr(id, flags);
  const q = nameEnd;
  if (q + 4 > len) return formerr(id, flags);
  const type = (msg[q]! << 8) | msg[q + 1]!;
  const klass = (msg[q + 2]! << 8) | msg[q + 3]!;
  const questionEnd = q + 4;

  let off = questionEnd;
  for (let i = an + ns; i > 0; i--) {
    off = readRecord(msg, off);
    if (off < 0) return formerr(id, flags);
  }
  let edns: Edns | null = null;
  for (let i = 0; i < ar; i++) {
    let type: number;
    let rdOff: number;
    if (msg[off] === 0 && off + 11 <= len) {
      // Root owner, as every OPT has: read the fixed fields in place.
      type = (msg[off + 1]! << 8) | msg[off + 2]!;
      rdOff = off + 11;
      off = rdOff + ((msg[off + 9]! << 8) | msg[off + 10]!);
      if (off > len) return formerr(id, flags);
    } else {
      off = readRecord(msg, off);
      if (off < 0 || rr.type === OPT) return formerr(id, flags); // an OPT's owner must be the root
      continue; // TSIG, SIG(0)…: walked, not used
    }
    if (type !== OPT) continue;
    if (edns !== null || !optionsFit(msg, rdOff, off)) return formerr(id, flags);
    const c = rdOff - 8; // class, then the TTL: extended rcode, version, flags
    const udp = (msg[c]! << 8) | msg[c + 1]!;
    edns = { udpSize: udp < 512 ? 512 : udp, version: msg[c + 3]!, dnssecOk: (msg[c + 4]! & 0x80) !== 0 };
  }
  if (off !== len) return formerr(id, flags);

  const query: DnsQuery = { id, flags, name, type, class: klass, questionEnd, edns };
  return { kind: 'query', query };
}

/** EDNS options (code, length, data) must exactly fill the OPT RDATA. */
function optionsFit(msg: Uint8Array, p: number, end: number): boolean {
  while (p < end) {
    if (p + 4 > end) return false;
    p += 4 + ((msg[p + 2]! << 8) | msg[p + 3]!);
  }
  return p === end;
}
