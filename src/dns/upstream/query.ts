// Hand-built upstream queries and reply matching. No DNS library on the hot path: a query is a
// 12-byte header, the question and an 11-byte OPT record, written into one buffer.
import { randomFillSync } from 'node:crypto';
import { EDNS_UDP_SIZE, RRType } from '../wire/types.ts';

const HEADER = 12;
const OPT_LEN = 11;

/**
 * The question in wire form (name, type, class) from a presentation-form name: dotted, no trailing
 * dot needed ('' or '.' for the root), `\DDD` and `\X` escapes honoured. Null when the name is not
 * a valid DNS name (empty label, label > 63 bytes, name > 255 bytes, character > 0xff).
 */
export function encodeQuestion(name: string, type: number, klass: number): Uint8Array | null {
  const n = name.length;
  const end = n > 0 && name.charCodeAt(n - 1) === 0x2e && !isEscapedAt(name, n - 1) ? n - 1 : n;
  const out = new Uint8Array(Math.min(end, 255) + 2 + 4);
  let len = 0; // bytes written, including the current label's length byte
  let labelStart = 0;
  out[0] = 0;
  if (end > 0) {
    len = 1;
    for (let i = 0; i < end; i++) {
      let c = name.charCodeAt(i);
      if (c === 0x2e) {
        if (len - labelStart === 1) return null; // empty label
        out[labelStart] = len - labelStart - 1;
        labelStart = len;
        len++;
        continue;
      }
      if (c === 0x5c) {
        const d = i + 3 < end ? decimalEscape(name, i + 1) : -1;
        if (d >= 0) {
          c = d;
          i += 3;
        } else if (i + 1 < end) {
          c = name.charCodeAt(++i);
        } else {
          return null;
        }
      }
      if (c > 0xff || len - labelStart > 63 || len >= 255) return null;
      out[len++] = c;
    }
    if (len - labelStart === 1 || len - labelStart > 64) return null;
    out[labelStart] = len - labelStart - 1;
    if (len + 1 > 255) return null;
  }
  out[len++] = 0;
  out[len++] = type >>> 8;
  out[len++] = type & 0xff;
  out[len++] = klass >>> 8;
  out[len++] = klass & 0xff;
  return out.subarray(0, len);
}

function decimalEscape(s: string, at: number): number {
  let v = 0;
  for (let k = 0; k < 3; k++) {
    const c = s.charCodeAt(at + k);
    if (!(c >= 0x30 && c <= 0x39)) return -1;
    v = v * 10 + (c - 0x30);
  }
  return v > 255 ? -1 : v;
}

/** True when the character at `at` is preceded by an odd run of backslashes ("a\." ends in a label byte). */
function isEscapedAt(s: string, at: number): boolean {
  let k = 0;
  while (at - 1 - k >= 0 && s.charCodeAt(at - 1 - k) === 0x5c) k++;
  return (k & 1) === 1;
}

/** A query with id 0 (patched per try), RD=1, and EDNS OPT (UDP size 1232, DO when asked). */
export function buildQuery(question: Uint8Array, dnssecOk: boolean): Buffer {
  const q = Buffer.allocUnsafe(HEADER + question.length + OPT_LEN);
  q[0] = 0;
  q[1] = 0;
  q[2] = 0x01; // RD
  q[3] = 0;
  q.writeUInt32BE(0x00010000, 4); // QDCOUNT 1, ANCOUNT 0
  q.writeUInt32BE(0x00000001, 8); // NSCOUNT 0, ARCOUNT 1
  q.set(question, HEADER);
  let o = HEADER + question.length;
  q[o++] = 0; // root owner
  q[o++] = 0;
  q[o++] = RRType.OPT;
  q[o++] = EDNS_UDP_SIZE >>> 8;
  q[o++] = EDNS_UDP_SIZE & 0xff;
  q[o++] = 0; // extended rcode
  q[o++] = 0; // version
  q[o++] = dnssecOk ? 0x80 : 0;
  q[o++] = 0;
  q[o++] = 0; // RDLENGTH
  q[o] = 0;
  return q;
}

/**
 * Whether `msg` is a response (QR=1) with exactly our question: the name compared without ASCII
 * case (upstreams may echo 0x20-mixed case), type and class byte for byte. The id is the caller's.
 */
export function answersQuestion(msg: Uint8Array, question: Uint8Array): boolean {
  const qlen = question.length;
  if (msg.length < HEADER + qlen) return false;
  if ((msg[2]! & 0x80) === 0 || msg[4] !== 0 || msg[5] !== 1) return false;
  const nameEnd = qlen - 4;
  for (let i = 0; i < qlen; i++) {
    const a = msg[HEADER + i]!;
    const b = question[i]!;
    if (a === b) continue;
    // Only letters in the name fold (length bytes are <= 63, never letters); type and class don't.
    const la = a | 0x20;
    if (i >= nameEnd || la !== (b | 0x20) || la < 0x61 || la > 0x7a) return false;
  }
  return true;
}

/** Cryptographically random 16-bit ids, drawn from a refilled buffer (one syscall per 2048 ids). */
export class IdSource {
  private readonly pool = new Uint16Array(2048);
  private next = this.pool.length;

  take(): number {
    if (this.next === this.pool.length) {
      randomFillSync(this.pool);
      this.next = 0;
    }
    return this.pool[this.next++]!;
  }
}
