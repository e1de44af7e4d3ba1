// Property and fuzz tests: valid questions round-trip through dns-packet; arbitrary and mutated
// bytes never make the parsers or response helpers throw, and every parse keeps its invariants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseQuery } from '../../../src/dns/wire/query.ts';
import { answerFor, cacheInfo, questionOf, readHeader, stripHttpsHints, withReducedTtls } from '../../../src/dns/wire/response.ts';
import { encodeName } from '../../../src/dns/wire/names.ts';
import { ResponseCache } from '../../../src/dns/wire/cache.ts';
import { readRecord, rr, skipQuestions, u16 } from '../../../src/dns/wire/records.ts';
import { skipName } from '../../../src/dns/wire/names.ts';
import type { DnsQuery } from '../../../src/dns/wire/types.ts';
import { clientQuery, dnsPacket, encode, queryBytes, response } from './helpers.ts';

const RUNS = { numRuns: 5000 };

const label = fc.stringMatching(/^[A-Za-z0-9_-]{1,63}$/);
const domain = fc.array(label, { minLength: 0, maxLength: 8 }).map((ls) => ls.join('.')).filter((n) => n.length <= 253);
const CLASSES = [['IN', 1], ['CS', 2], ['CH', 3], ['HS', 4], ['ANY', 255]] as const;

const validQuery = fc.record({
  name: domain,
  type: fc.integer({ min: 1, max: 65535 }),
  klass: fc.constantFrom(...CLASSES),
  id: fc.integer({ min: 0, max: 65535 }),
  edns: fc.option(fc.record({ udp: fc.integer({ min: 1, max: 65535 }), do: fc.boolean() })),
});

interface ValidQuery {
  name: string;
  type: number;
  klass: readonly [string, number];
  id: number;
  edns: { udp: number; do: boolean } | null;
}

function queryOf(v: ValidQuery): Uint8Array {
  const packet: dnsPacket.Packet = {
    type: 'query', id: v.id, flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ name: v.name, type: `UNKNOWN_${v.type}` as dnsPacket.RecordType, class: v.klass[0] as dnsPacket.RecordClass }],
  };
  if (v.edns) packet.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: v.edns.udp, flags: v.edns.do ? dnsPacket.DNSSEC_OK : 0, options: [] } as unknown as dnsPacket.Answer];
  return encode(packet);
}

/** The invariants every successful parse must keep. */
function checkQuery(q: DnsQuery, msg: Uint8Array): void {
  assert.equal(q.id, (msg[0]! << 8) | msg[1]!);
  assert.equal(q.flags & 0x8000, 0);
  assert.ok(q.questionEnd >= 17 && q.questionEnd <= msg.length);
  assert.ok(q.type >= 0 && q.type <= 0xffff && q.class >= 0 && q.class <= 0xffff);
  assert.ok(!/[A-Z]/.test(q.name), 'lower case');
  assert.ok(/^[\x21-\x7e]*$/.test(q.name), 'printable presentation text');
  const unescaped = q.name.replace(/\\\d{3}/g, 'x');
  assert.ok(unescaped.length <= 253, 'at most 253 characters');
  assert.ok(!/\\/.test(unescaped), 'backslashes only in \\DDD');
  if (q.name !== '') for (const l of unescaped.split('.')) assert.ok(l.length >= 1 && l.length <= 63);
  const wire = msg.slice(12, q.questionEnd - 4).map((c) => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c));
  assert.deepEqual(encodeName(q.name), wire, 'the name encodes back to the question bytes');
  if (q.edns) {
    assert.ok(q.edns.udpSize >= 512 && q.edns.udpSize <= 65535);
    assert.ok(q.edns.version >= 0 && q.edns.version <= 255);
  }
}

/** Whether a ServiceMode HTTPS/SVCB answer still has ech or an h3 ALPN id; null if unparseable. */
function hintsLeft(msg: Uint8Array): boolean | null {
  if (msg.length < 12 || (msg[2]! & 0x80) === 0) return null;
  const records: { type: number; rdOff: number; rdLen: number; end: number }[] = [];
  let off = skipQuestions(msg, 12, u16(msg, 4));
  for (let i = u16(msg, 6); i > 0 && off >= 0; i--) {
    off = readRecord(msg, off);
    records.push({ ...rr, end: off });
  }
  if (off < 0) return null;
  for (const { type, rdOff, rdLen, end } of records) {
    if ((type !== 64 && type !== 65) || rdLen < 3 || u16(msg, rdOff) === 0) continue;
    for (let p = skipName(msg, rdOff + 2); p >= 0 && p + 4 <= end; p += 4 + u16(msg, p + 2)) {
      const key = u16(msg, p);
      const value = Buffer.from(msg.subarray(p + 4, Math.min(end, p + 4 + u16(msg, p + 2))));
      if (key === 5) return true;
      for (let a = 0; key === 1 && a < value.length; a += 1 + value[a]!) {
        const id = value.subarray(a + 1, a + 1 + value[a]!).toString('latin1');
        if (id === 'h3' || id.startsWith('h3-')) return true;
      }
    }
  }
  return false;
}

const base = clientQuery('www.example.com', 'A', { edns: { do: true } });
const cache = new ResponseCache({ maxBytes: 1 << 20 }, () => 0);

/** Runs every parser and helper over `bytes`; none may throw. */
function exercise(bytes: Uint8Array): void {
  const r = parseQuery(bytes);
  if (r.kind === 'query') checkQuery(r.query, bytes);
  else if (r.kind === 'formerr') assert.ok(bytes.length >= 12 && (bytes[2]! & 0x80) === 0);
  else assert.ok(bytes.length < 12 || (bytes[2]! & 0x80) !== 0);
  readHeader(bytes);
  questionOf(bytes);
  const info = cacheInfo(bytes);
  if (info) withReducedTtls(bytes, info.ttlOffsets, 7);
  const stripped = stripHttpsHints(bytes);
  if (stripped !== bytes && info) assert.ok(cacheInfo(stripped), 'stripping keeps a parseable message parseable');
  assert.notEqual(hintsLeft(stripped), true, 'no ech or h3 left in a parseable answer section');
  const a = answerFor(bytes, base.q, base.msg);
  assert.equal(readHeader(a)?.id, base.q.id);
  assert.ok(cacheInfo(a) !== null, 'answerFor always hands out a well-formed response');
  if (cache.put('www.example.com', 1, 1, true, bytes)) {
    // The one-copy answer from the cache is answerFor applied to what the cache holds.
    assert.deepEqual(cache.answer('www.example.com', base.q, base.msg), answerFor(cache.response('www.example.com', 1, 1, true)!, base.q, base.msg));
  }
  cache.set('k', bytes);
  cache.get('k');
}

test('valid questions encoded by dns-packet parse to the same name, type, class and EDNS', () => {
  fc.assert(fc.property(validQuery, (v) => {
    const msg = queryOf(v);
    const q = (parseQuery(msg) as { query: DnsQuery }).query;
    assert.equal(q.name, v.name.toLowerCase());
    assert.equal(q.type, v.type);
    assert.equal(q.class, v.klass[1]);
    assert.equal(q.id, v.id);
    assert.equal(q.questionEnd, msg.length - (v.edns ? 11 : 0));
    assert.deepEqual(q.edns, v.edns ? { udpSize: Math.max(512, v.edns.udp), version: 0, dnssecOk: v.edns.do } : null);
    checkQuery(q, msg);
  }), RUNS);
});

test('arbitrary bytes never throw', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (b) => exercise(b)), { numRuns: 8000 });
  // Headers that look like queries or responses, then random bytes: reaches deeper code.
  const header = fc.tuple(fc.boolean(), fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), fc.uint8Array({ maxLength: 200 }));
  fc.assert(fc.property(header, ([qr, counts, rest]) => {
    exercise(Uint8Array.from([1, 2, qr ? 0x81 : 0x01, 0, ...counts.flatMap((c) => [0, c]), ...rest]));
  }), { numRuns: 8000 });
});

type Mutation =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'pointer'; at: number; target: number }
  | { kind: 'count'; which: number; value: number }
  | { kind: 'label'; at: number; len: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('pointer' as const), at: fc.nat(), target: fc.integer({ min: 0, max: 0x3fff }) }),
  fc.record({ kind: fc.constant('count' as const), which: fc.integer({ min: 0, max: 3 }), value: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant(0xffff)) }),
  fc.record({ kind: fc.constant('label' as const), at: fc.nat(), len: fc.oneof(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0x40, max: 0xff })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }) }),
);

function mutate(msg: Uint8Array, ms: Mutation[]): Uint8Array {
  let b = msg.slice();
  for (const m of ms) {
    const at = b.length === 0 ? 0 : m.kind === 'truncate' ? m.at % (b.length + 1) : 'at' in m ? m.at % b.length : 0;
    if (m.kind === 'flip' && b.length > 0) b[at] = b[at]! ^ (1 << m.bit);
    else if (m.kind === 'truncate') b = b.slice(0, at);
    else if (m.kind === 'pointer' && at + 1 < b.length) b.set([0xc0 | (m.target >> 8), m.target & 0xff], at);
    else if (m.kind === 'count' && b.length >= 12) b.set([m.value >> 8, m.value & 0xff], 4 + m.which * 2);
    else if (m.kind === 'label' && b.length > 0) b[at] = m.len;
    else if (m.kind === 'insert') b = Uint8Array.from([...b.subarray(0, at), ...m.bytes, ...b.subarray(at)]);
  }
  return b;
}

const RESPONSES: Uint8Array[] = [
  response({ id: 1, questions: [{ type: 'A', name: 'www.example.com' }], answers: [
    { type: 'CNAME', name: 'www.example.com', ttl: 60, data: 'example.com' },
    { type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' },
  ], authorities: [{ type: 'NS', name: 'example.com', ttl: 60, data: 'ns.example.com' }], additionals: [
    { type: 'MX', name: 'example.com', ttl: 9, data: { preference: 10, exchange: 'mx.example.com' } },
    { type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as dnsPacket.Answer,
  ] }),
  response({ id: 2, flags: 0x8183, questions: [{ type: 'AAAA', name: 'nope.example.com' }], authorities: [{
    type: 'SOA', name: 'example.com', ttl: 60, data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum: 30 },
  }] }),
  response({ id: 3, questions: [{ type: 'UNKNOWN_65' as dnsPacket.RecordType, name: 'www.example.com' }], answers: [{
    type: 'UNKNOWN_65' as never, name: 'www.example.com', ttl: 60,
    data: Buffer.from([0, 1, 0, 0, 1, 0, 6, 2, 0x68, 0x33, 2, 0x68, 0x32, 0, 5, 0, 2, 1, 2, 0, 4, 0, 4, 192, 0, 2, 1]),
  }] }),
];

test('mutated queries never throw and keep the invariants', () => {
  const msgs = fc.oneof(validQuery.map(queryOf), fc.constant(queryBytes('www.example.com', 'A', { edns: { do: true } })));
  fc.assert(fc.property(msgs, fc.array(mutation, { minLength: 1, maxLength: 4 }), (msg, ms) => exercise(mutate(msg, ms))), RUNS);
});

test('mutated responses never throw from the response helpers', () => {
  fc.assert(fc.property(fc.constantFrom(...RESPONSES), fc.array(mutation, { minLength: 1, maxLength: 4 }), (msg, ms) => exercise(mutate(msg, ms))), { numRuns: 8000 });
});

test('oversized messages up to 65535 bytes', () => {
  fc.assert(fc.property(fc.constantFrom(base.msg, ...RESPONSES), fc.integer({ min: 60000, max: 65535 }), fc.integer({ min: 0, max: 255 }), (msg, size, fill) => {
    const big = new Uint8Array(size).fill(fill);
    big.set(msg);
    exercise(big);
    big[11] = 0xff; // arcount 255: walks records through the padding
    exercise(big);
  }), { numRuns: 40 });
});
