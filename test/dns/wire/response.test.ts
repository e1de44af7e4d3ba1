import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerFor, cacheInfo, questionOf, readHeader, storedForm, withReducedTtls } from '../../../src/dns/wire/response.ts';
import { EDNS_UDP_SIZE } from '../../../src/dns/wire/types.ts';
import { clientQuery, decode, dnsPacket, hex, response } from './helpers.ts';

const OPT = (udp = 4096, options: { code: number; data: Buffer }[] = []) =>
  ({ type: 'OPT', name: '.', udpPayloadSize: udp, flags: 0, options }) as unknown as dnsPacket.Answer;

const SOA = (ttl: number, minimum: number): dnsPacket.Answer => ({
  type: 'SOA', name: 'example.com', ttl,
  data: { mname: 'ns.example.com', rname: 'h.example.com', serial: 1, refresh: 1, retry: 1, expire: 1, minimum },
});

const positive = response({
  id: 5, questions: [{ type: 'A', name: 'www.example.com' }],
  answers: [
    { type: 'CNAME', name: 'www.example.com', ttl: 300, data: 'example.com' },
    { type: 'A', name: 'example.com', ttl: 120, data: '192.0.2.1' },
  ],
  authorities: [{ type: 'NS', name: 'example.com', ttl: 600, data: 'ns.example.com' }],
  additionals: [{ type: 'A', name: 'ns.example.com', ttl: 5, data: '192.0.2.53' }, OPT()],
});

test('readHeader and questionOf', () => {
  assert.deepEqual(readHeader(positive), { id: 5, flags: 0x8180, rcode: 0, qdcount: 1, ancount: 2, nscount: 1, arcount: 2 });
  assert.equal(readHeader(new Uint8Array(11)), null);
  assert.deepEqual(questionOf(positive), { name: 'www.example.com', type: 1, class: 1, end: 12 + 17 + 4 });
  const upper = response({ id: 1, questions: [{ type: 'AAAA', name: 'WWW.Example.COM' }] });
  assert.equal(questionOf(upper)?.name, 'www.example.com');
  assert.equal(questionOf(upper.subarray(0, 20)), null);
  assert.equal(questionOf(response({ id: 1 })), null, 'no question');
});

test('cacheInfo: positive answers take the minimum TTL of answer and authority; OPT has no TTL offset', () => {
  const info = cacheInfo(positive)!;
  assert.equal(info.rcode, 0);
  assert.equal(info.ttl, 120);
  assert.equal(info.ttlOffsets.length, 4);
  const ttls = [...info.ttlOffsets].map((o) => Buffer.from(positive).readUInt32BE(o));
  assert.deepEqual(ttls, [300, 120, 600, 5]);
});

test('cacheInfo: NXDOMAIN and NODATA use min(SOA TTL, MINIMUM); without an SOA they are not cacheable', () => {
  const nx = response({ id: 1, flags: 0x8183, questions: [{ type: 'A', name: 'nope.example.com' }], authorities: [SOA(3600, 300)] });
  assert.deepEqual({ ...cacheInfo(nx)!, ttlOffsets: null }, { rcode: 3, ttl: 300, ttlOffsets: null });
  const nodata = response({ id: 1, questions: [{ type: 'AAAA', name: 'example.com' }], authorities: [SOA(60, 900)] });
  assert.equal(cacheInfo(nodata)!.ttl, 60);
  const referral = response({ id: 1, questions: [{ type: 'A', name: 'example.com' }], authorities: [{ type: 'NS', name: 'example.com', ttl: 60, data: 'ns.example.com' }] });
  assert.equal(cacheInfo(referral)!.ttl, null);
});

test('cacheInfo: SERVFAIL, REFUSED and truncated answers are not cacheable; queries and garbage are null', () => {
  for (const flags of [0x8182, 0x8185, 0x8380]) {
    const r = response({ id: 1, flags, questions: [{ type: 'A', name: 'example.com' }], answers: [{ type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' }] });
    assert.equal(cacheInfo(r)!.ttl, null, flags.toString(16));
  }
  assert.equal(cacheInfo(positive.subarray(0, positive.length - 3)), null);
  const query = positive.slice();
  query[2] = 0x01;
  assert.equal(cacheInfo(query), null);
  const lying = positive.slice();
  lying[6] = 0xff; // ancount 65280 in a small message
  assert.equal(cacheInfo(lying), null);
});

test('cacheInfo: a TTL with the top bit set counts as 0; the OPT extended rcode joins the rcode', () => {
  const r = response({ id: 1, questions: [{ type: 'A', name: 'example.com' }], answers: [{ type: 'A', name: 'example.com', ttl: 0x80000000, data: '192.0.2.1' }] });
  assert.equal(cacheInfo(r)!.ttl, 0);
  const badvers = response({ id: 1, questions: [{ type: 'A', name: 'example.com' }], additionals: [OPT()] });
  badvers[badvers.length - 6] = 1;
  assert.equal(cacheInfo(badvers)!.rcode, 16);
});

test('withReducedTtls: a copy with every TTL reduced by whole seconds, floored at 0', () => {
  const info = cacheInfo(positive)!;
  const aged = withReducedTtls(positive, info.ttlOffsets, 100.9);
  assert.notEqual(aged, positive);
  assert.deepEqual(decode(aged).answers!.map((a) => a.ttl), [200, 20]);
  assert.deepEqual(decode(aged).additionals!.map((a) => (a.type === 'OPT' ? 'opt' : a.ttl)), [0, 'opt']);
  assert.equal(hex(withReducedTtls(positive, info.ttlOffsets, 0)), hex(positive));
  assert.equal(hex(withReducedTtls(positive, Uint32Array.of(positive.length - 2, 1 << 30), 5)), hex(positive), 'offsets out of range are ignored');
});

test('answerFor: the client id, RD/CD and question case; our OPT replaces the upstream one', () => {
  const { q, msg } = clientQuery('WwW.ExAmPle.com', 'A', { id: 0x7777, flags: dnsPacket.CHECKING_DISABLED, edns: { do: true } });
  const cookie = response({ id: 5, questions: [{ type: 'A', name: 'www.example.com' }], answers: [{ type: 'A', name: 'www.example.com', ttl: 1, data: '192.0.2.1' }], additionals: [OPT(1232, [{ code: 10, data: Buffer.alloc(16, 7) }])] });
  const d = decode(answerFor(cookie, q, msg));
  assert.equal(d.id, 0x7777);
  assert.equal(d.flag_rd, false);
  assert.equal(d.flag_cd, true);
  assert.equal(d.flag_ra, true);
  assert.equal(d.questions![0]!.name, 'WwW.ExAmPle.com');
  assert.equal(d.answers![0]!.type, 'A');
  const opt = d.additionals as unknown as dnsPacket.OptAnswer[];
  assert.equal(opt.length, 1);
  assert.deepEqual([opt[0]!.udpPayloadSize, opt[0]!.flag_do, opt[0]!.options], [EDNS_UDP_SIZE, true, []]);
});

test('answerFor: the OPT is stripped for a client without EDNS, added for one with it', () => {
  const plain = clientQuery('www.example.com', 'A');
  const d = decode(answerFor(positive, plain.q, plain.msg));
  assert.deepEqual(d.additionals!.map((a) => a.type), ['A']);
  assert.equal(d.answers!.length, 2);
  const noOpt = response({ id: 1, questions: [{ type: 'A', name: 'www.example.com' }], answers: [{ type: 'A', name: 'www.example.com', ttl: 1, data: '192.0.2.1' }] });
  const edns = clientQuery('www.example.com', 'A', { edns: {} });
  const e = decode(answerFor(noOpt, edns.q, edns.msg));
  assert.deepEqual(e.additionals!.map((a) => a.type), ['OPT']);
});

test('answerFor: removing an OPT before other records fixes the pointers behind it', () => {
  const name = (s: string) => [...s.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0];
  const question = [...name('example.com'), 0, 1, 0, 1]; // 12..29
  const ns1 = 29 + 16 + 11; // after the answer (16 bytes) and the OPT (11 bytes)
  const cached = Uint8Array.from([
    0, 1, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 3, ...question,
    0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
    0, 0, 41, 4, 0xd0, 0, 0, 0, 0, 0, 0,
    ...name('ns1.example.com').slice(0, 4), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 53,
    0xc0, ns1, 0, 28, 0, 1, 0, 0, 0, 60, 0, 16, ...new Array<number>(15).fill(0), 1,
  ]);
  assert.deepEqual(decode(cached).additionals!.map((a) => a.name), ['.', 'ns1.example.com', 'ns1.example.com']);
  const { q, msg } = clientQuery('example.com', 'A');
  const d = decode(answerFor(cached, q, msg));
  assert.deepEqual(d.additionals!.map((a) => [a.name, a.type]), [['ns1.example.com', 'A'], ['ns1.example.com', 'AAAA']]);
});

test('answerFor falls back to SERVFAIL when the cached question differs or the message is broken', () => {
  const { q, msg } = clientQuery('www.example.com', 'A', { id: 3 });
  const other = clientQuery('www.example.org', 'A', { id: 3 });
  const aaaa = clientQuery('www.example.com', 'AAAA', { id: 3 });
  const longer = clientQuery('www.example.comm', 'A', { id: 3 });
  for (const [client, cached] of [[other, positive], [aaaa, positive], [longer, positive], [{ q, msg }, positive.subarray(0, 40)], [{ q, msg }, new Uint8Array(0)]] as const) {
    const d = decode(answerFor(cached, client.q, client.msg));
    assert.equal(d.rcode, 'SERVFAIL');
    assert.equal(d.id, 3);
  }
});

test('storedForm: OPT and TSIG records and trailing bytes go, wherever they are; the rest stays as it was', () => {
  const A = (name: string, data: string): dnsPacket.Answer => ({ type: 'A', name, ttl: 60, data });
  const base = { id: 9, questions: [{ type: 'A' as const, name: 'www.example.com' }], answers: [A('www.example.com', '192.0.2.1')] };
  const plain = response(base);
  assert.equal(storedForm(plain), plain, 'nothing to remove: the same bytes');
  const last = response({ ...base, additionals: [A('ns.example.com', '192.0.2.53'), OPT()] });
  const middle = response({ ...base, additionals: [OPT(), A('ns.example.com', '192.0.2.53')] });
  const trailing = Uint8Array.from([...last, 1, 2, 3]);
  for (const [label, r] of [['OPT last', last], ['OPT between records', middle], ['trailing bytes', trailing]] as const) {
    const d = decode(storedForm(r)!);
    assert.deepEqual(d.answers.map((a) => a.data), ['192.0.2.1'], label);
    assert.deepEqual(d.additionals.map((a) => [a.name, a.type, a.data]), [['ns.example.com', 'A', '192.0.2.53']], label);
  }
  assert.equal(storedForm(trailing)!.length, storedForm(last)!.length, 'no bytes after the last record');
  const tsig = Uint8Array.from([...plain.subarray(0, 10), 0, 2, ...plain.subarray(12), 0, 0, 41, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 250, 0, 255, 0, 0, 0, 0, 0, 2, 0xab, 0xcd]);
  const t = storedForm(tsig)!;
  assert.deepEqual([...t], [...plain.subarray(0, 10), 0, 0, ...plain.subarray(12)], 'OPT then TSIG at the end: both gone, ARCOUNT 0');
  assert.equal(storedForm(plain.subarray(0, plain.length - 2)), null, 'a cut record does not parse');
});
