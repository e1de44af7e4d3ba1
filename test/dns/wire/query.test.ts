import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseQuery } from '../../../src/dns/wire/query.ts';
import { RRType } from '../../../src/dns/wire/types.ts';
import { dnsPacket, encode, parsed, queryBytes } from './helpers.ts';
import { MALFORMED, MALFORMED_ID } from './malformed-corpus.ts';

test('an A query without EDNS', () => {
  const msg = queryBytes('www.example.com', 'A', { id: 0xbeef });
  assert.deepEqual(parsed(msg), {
    id: 0xbeef, flags: dnsPacket.RECURSION_DESIRED, name: 'www.example.com', type: RRType.A, class: 1, questionEnd: msg.length, edns: null,
  });
});

test('AAAA, TXT, ANY and HTTPS queries with EDNS; DO and the UDP size come from the OPT', () => {
  for (const [type, code] of [['AAAA', 28], ['TXT', 16], ['ANY', 255], [65, 65]] as const) {
    const msg = queryBytes('example.org', type, { edns: { udp: 4096, do: true } });
    const q = parsed(msg);
    assert.equal(q.type, code);
    assert.equal(q.name, 'example.org');
    assert.deepEqual(q.edns, { udpSize: 4096, version: 0, dnssecOk: true });
    assert.equal(q.questionEnd, 12 + 13 + 4);
  }
  assert.deepEqual(parsed(queryBytes('example.org', 'A', { edns: { udp: 1232 } })).edns, { udpSize: 1232, version: 0, dnssecOk: false });
});

test('a UDP size under 512 counts as 512; an EDNS version other than 0 still parses', () => {
  assert.equal(parsed(queryBytes('a.example', 'A', { edns: { udp: 100 } })).edns?.udpSize, 512);
  const zero = queryBytes('a.example', 'A', { edns: { udp: 1232 } });
  zero.fill(0, zero.length - 8, zero.length - 6); // the OPT class (dns-packet writes 0 as 4096)
  assert.equal(parsed(zero).edns?.udpSize, 512);
  assert.equal(parsed(queryBytes('a.example', 'A', { edns: { version: 1 } })).edns?.version, 1);
});

test('mixed case (0x20) is lower-cased in the name; the message keeps it', () => {
  const msg = queryBytes('WwW.ExAmPlE.CoM', 'A');
  const q = parsed(msg);
  assert.equal(q.name, 'www.example.com');
  assert.equal(Buffer.from(msg.subarray(13, 16)).toString(), 'WwW');
});

test('the root name is the empty string', () => {
  const msg = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 1]);
  assert.equal(parsed(msg).name, '');
  assert.equal(parsed(msg).type, RRType.NS);
});

test('odd bytes, dots and backslashes inside labels are written \\DDD; only A–Z are lower-cased', () => {
  const label = [0x41, 0x2e, 0x5c, 0x20, 0x00, 0xff, 0xc4, 0x7e, 0x21];
  const msg = Uint8Array.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, label.length, ...label, 3, 0x43, 0x4f, 0x4d, 0, 0, 1, 0, 1]);
  assert.equal(parsed(msg).name, 'a\\046\\092\\032\\000\\255\\196~!.com');
});

test('names at the limits: 63-byte labels and 255 wire bytes parse', () => {
  const l63 = 'a'.repeat(63);
  const name = `${l63}.${l63}.${l63}.${'b'.repeat(61)}`; // 4×63+1… = 255 wire bytes
  const q = parsed(queryBytes(name, 'A'));
  assert.equal(q.name, name);
  assert.equal(q.name.length, 253);
});

test('any opcode is a query (the caller answers NOTIMP); other opcodes may use the answer sections', () => {
  const notify = encode({
    type: 'query', id: 7, flags: 4 << 11, questions: [{ type: 'SOA', name: 'example.com' }],
    answers: [{ type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' }],
  });
  const q = parsed(notify);
  assert.equal((q.flags >> 11) & 0xf, 4);
  assert.equal(q.type, RRType.SOA);
  const status = queryBytes('example.com', 'A', { flags: 2 << 11 });
  assert.equal((parsed(status).flags >> 11) & 0xf, 2);
});

test('other additional records (TSIG) are walked, compression pointers followed', () => {
  const msg = encode({
    type: 'query', id: 9, flags: 0, questions: [{ type: 'A', name: 'example.com' }],
    additionals: [
      { type: 'OPT', name: '.', udpPayloadSize: 1400, flags: 0, options: [{ code: 10, data: Buffer.alloc(8, 1) }] } as unknown as dnsPacket.Answer,
      { type: 'TXT', name: 'key.example.com', ttl: 0, data: 'sig' },
    ],
  });
  const q = parsed(msg);
  assert.equal(q.edns?.udpSize, 1400);
  // The same message with the TXT owner compressed: "key" + pointer to "example.com" at 12.
  const at = msg.length - (1 + 3 + 1 + 7 + 1 + 3 + 1) - 10 - 4;
  const owner = [3, 0x6b, 0x65, 0x79, 0xc0, 12];
  const compressed = Uint8Array.from([...msg.subarray(0, at), ...owner, ...msg.subarray(at + 17)]);
  assert.equal(parsed(compressed).name, 'example.com');
});

test('the malformed corpus: every case is dropped or answered FORMERR with its id', () => {
  assert.ok(MALFORMED.length >= 25);
  assert.equal(new Set(MALFORMED.map((c) => c.name)).size, MALFORMED.length, 'case names are unique');
  for (const c of MALFORMED) {
    const r = parseQuery(c.bytes);
    assert.equal(r.kind, c.expect, c.name);
    if (r.kind === 'formerr') assert.equal(r.id, MALFORMED_ID, c.name);
  }
});

test('formerr carries the flags of the query', () => {
  const r = parseQuery(Uint8Array.from([0xab, 0xcd, 0x01, 0x10, 0, 0, 0, 0, 0, 0, 0, 0]));
  assert.deepEqual(r, { kind: 'formerr', id: 0xabcd, flags: 0x0110 });
});
