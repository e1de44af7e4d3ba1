import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheInfo, stripHttpsHints } from '../../../src/dns/wire/response.ts';
import fc from 'fast-check';
import { decode, hex, response } from './helpers.ts';

// HTTPS/SVCB RDATA built by hand (dns-packet 5 has no SVCB support; it decodes them as raw bytes).
const wireName = (s: string) => (s === '.' ? [0] : [...s.split('.').flatMap((l) => [l.length, ...Buffer.from(l)]), 0]);
const u16 = (n: number) => [n >> 8, n & 0xff];
const param = (key: number, value: number[]) => [...u16(key), ...u16(value.length), ...value];
const alpn = (...ids: string[]) => param(1, ids.flatMap((id) => [id.length, ...Buffer.from(id)]));
const mandatory = (...keys: number[]) => param(0, keys.flatMap(u16));
const NO_DEFAULT_ALPN = param(2, []);
const PORT = param(3, [1, 187]);
const IPV4HINT = param(4, [192, 0, 2, 1]);
const ECH = param(5, [0, 4, 0xfe, 0x0d, 0, 0]);
const IPV6HINT = param(6, [0x20, 1, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1]);

function rdata(priority: number, target: string, ...params: number[][]): Buffer {
  return Buffer.from([...u16(priority), ...wireName(target), ...params.flat()]);
}

function httpsResponse(...data: Buffer[]): Uint8Array {
  return response({
    id: 1, questions: [{ type: 'UNKNOWN_65' as never, name: 'example.com' }],
    answers: data.map((d) => ({ type: 'UNKNOWN_65' as never, name: 'example.com', ttl: 300, data: d })),
  });
}

function answersOf(msg: Uint8Array): string[] {
  return decode(msg).answers!.map((a) => hex(a.data as Buffer));
}

test('ech goes, h3 and h3-* ALPN ids go, everything else stays byte-identical', () => {
  const before = rdata(1, '.', alpn('h3', 'h2', 'h3-29', 'http/1.1', 'h3x'), PORT, IPV4HINT, ECH, IPV6HINT);
  const out = stripHttpsHints(httpsResponse(before));
  assert.deepEqual(answersOf(out), [hex(rdata(1, '.', alpn('h2', 'http/1.1', 'h3x'), PORT, IPV4HINT, IPV6HINT))]);
  assert.equal(cacheInfo(out)!.ttl, 300, 'the message still parses');
});

test('alpn left empty is dropped, and no-default-alpn with it', () => {
  const before = rdata(1, 'svc.example.net', alpn('h3'), NO_DEFAULT_ALPN, IPV4HINT);
  assert.deepEqual(answersOf(stripHttpsHints(httpsResponse(before))), [hex(rdata(1, 'svc.example.net', IPV4HINT))]);
  const keep = rdata(1, '.', alpn('h3', 'h2'), NO_DEFAULT_ALPN);
  assert.deepEqual(answersOf(stripHttpsHints(httpsResponse(keep))), [hex(rdata(1, '.', alpn('h2'), NO_DEFAULT_ALPN))]);
});

test('removed keys leave the mandatory list (a missing mandatory key would void the record)', () => {
  const before = rdata(2, '.', mandatory(1, 4, 5), alpn('h3'), IPV4HINT, ECH);
  assert.deepEqual(answersOf(stripHttpsHints(httpsResponse(before))), [hex(rdata(2, '.', mandatory(4), IPV4HINT))]);
  const only = rdata(2, '.', mandatory(5), ECH, PORT);
  assert.deepEqual(answersOf(stripHttpsHints(httpsResponse(only))), [hex(rdata(2, '.', PORT))]);
});

test('the same input comes back when there is nothing to strip', () => {
  for (const msg of [
    httpsResponse(rdata(1, '.', alpn('h2'), IPV4HINT)),
    httpsResponse(rdata(0, 'alias.example.net')), // AliasMode
    response({ id: 1, questions: [{ type: 'A', name: 'example.com' }], answers: [{ type: 'A', name: 'example.com', ttl: 1, data: '192.0.2.1' }] }),
  ]) {
    assert.equal(stripHttpsHints(msg), msg);
  }
});

test('fails closed: an HTTPS record whose SvcParams do not parse is removed', () => {
  const good = rdata(1, '.', alpn('h2'));
  for (const bad of [Buffer.from([0, 1, 0, 0, 5, 0, 9, 1]), rdata(1, '.', param(1, [5, 0x68, 0x33]), ECH), Buffer.from([0, 1, 9, 0x61])]) {
    const out = stripHttpsHints(httpsResponse(good, bad, good));
    assert.deepEqual(answersOf(out), [hex(good), hex(good)]);
    assert.equal(cacheInfo(out)!.ttl, 300);
  }
});

test('fails closed: SERVFAIL when a later name points into a removed record', () => {
  const name = wireName('example.com');
  const bad = [...rdata(1, 'svc.example', param(5, [1]), [0, 9])]; // a cut SvcParam // "svc.example" at RDATA offset 2
  const rr = (owner: number[], type: number, data: number[]) => [...owner, ...u16(type), 0, 1, 0, 0, 0, 60, ...u16(data.length), ...data];
  const target = 12 + name.length + 4 + 12 + 2;
  const msg = Uint8Array.from([0, 7, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 1, ...name, 0, 65, 0, 1, ...rr([0xc0, 12], 65, bad), ...rr([0xc0, target], 1, [192, 0, 2, 1])]);
  assert.equal(decode(msg).additionals[0]!.name, 'svc.example');
  const d = decode(stripHttpsHints(msg));
  assert.deepEqual([d.id, d.rcode, d.questions[0]!.name, d.answers.length, d.additionals.length], [7, 'SERVFAIL', 'example.com', 0, 0]);
});

test('messages that do not parse become SERVFAIL; non-responses come back unchanged', () => {
  const cut = httpsResponse(rdata(1, '.', ECH)).subarray(0, 40);
  const d = decode(stripHttpsHints(cut));
  assert.deepEqual([d.rcode, d.questions.length, d.answers.length], ['SERVFAIL', 1, 0]);
  const lying = httpsResponse(rdata(1, '.', ECH));
  lying[7] = 2; // two answers, one present
  assert.equal(decode(stripHttpsHints(lying)).rcode, 'SERVFAIL');
  const badQuestion = lying.slice();
  badQuestion[12] = 0xc0;
  assert.deepEqual(decode(stripHttpsHints(badQuestion)).questions, []);
  const garbage = new Uint8Array(7);
  assert.equal(stripHttpsHints(garbage), garbage);
  const query = httpsResponse(rdata(1, '.', ECH));
  query[2] = 0x01;
  assert.equal(stripHttpsHints(query), query);
});

test('SVCB records too, several records, and pointers to names behind a shrunk record are fixed', () => {
  const name = (s: string) => wireName(s);
  const q = [...name('example.com'), 0, 64, 0, 1]; // SVCB question, 12..29
  const rr = (owner: number[], type: number, data: number[]) => [...owner, ...u16(type), 0, 1, 0, 0, 1, 44, ...u16(data.length), ...data];
  const first = [...rdata(1, '.', alpn('h3', 'h2'), ECH)];
  const second = [...rdata(2, 'svc.example.com', alpn('h2'))];
  const secondTarget = 29 + 12 + first.length + 12 + 2; // offset of "svc.example.com" in the second RDATA
  const msg = Uint8Array.from([
    0, 1, 0x81, 0x80, 0, 1, 0, 2, 0, 0, 0, 1, ...q,
    ...rr([0xc0, 12], 64, first), ...rr([0xc0, 12], 64, second),
    ...rr([0xc0, secondTarget], 1, [192, 0, 2, 9]),
  ]);
  assert.equal(decode(msg).additionals![0]!.name, 'svc.example.com');
  const out = stripHttpsHints(msg);
  const d = decode(out);
  assert.deepEqual(d.answers!.map((a) => hex(a.data as Buffer)), [hex(rdata(1, '.', alpn('h2'))), hex(Buffer.from(second))]);
  assert.deepEqual(d.additionals!.map((a) => [a.name, a.data]), [['svc.example.com', '192.0.2.9']]);
  assert.equal(out.length, msg.length - 3 - ECH.length, 'the h3 id and the ech param');
});

test('HTTPS records outside the answer section are left alone', () => {
  const msg = response({
    id: 1, questions: [{ type: 'A', name: 'example.com' }],
    additionals: [{ type: 'UNKNOWN_65' as never, name: 'example.com', ttl: 1, data: rdata(1, '.', ECH) }],
  });
  assert.equal(stripHttpsHints(msg), msg);
});

test('property: for any SvcParams only ech, h3 ids and what depends on them go', () => {
  const ALPNS = ['h2', 'h3', 'h3-29', 'http/1.1', 'h3x', 'h'];
  const other = fc.record({ key: fc.constantFrom(3, 4, 6, 7, 65000), value: fc.uint8Array({ maxLength: 6 }) });
  const params = fc.record({
    alpn: fc.option(fc.subarray(ALPNS, { minLength: 1 })),
    noDefault: fc.boolean(),
    ech: fc.boolean(),
    mandatory: fc.subarray([1, 4, 5]),
    others: fc.uniqueArray(other, { selector: (p) => p.key, maxLength: 3 }),
  });
  fc.assert(fc.property(params, fc.integer({ min: 1, max: 3 }), (p, count) => {
    const present = (k: number) => (k === 1 ? p.alpn !== null : k === 5 ? p.ech : p.others.some((o) => o.key === k));
    const mandatory = p.mandatory.filter(present); // a mandatory key must be present
    const list: [number, number[]][] = [];
    if (mandatory.length > 0) list.push([0, mandatory.flatMap(u16)]);
    if (p.alpn) list.push([1, p.alpn.flatMap((id) => [id.length, ...Buffer.from(id)])]);
    if (p.alpn && p.noDefault) list.push([2, []]);
    if (p.ech) list.push([5, [1, 2, 3]]);
    for (const o of p.others) list.push([o.key, [...o.value]]);
    list.sort((a, b) => a[0] - b[0]);
    const data = rdata(1, 'svc.example', ...list.map(([k, v]) => param(k, v)));
    const out = stripHttpsHints(httpsResponse(...new Array<Buffer>(count).fill(data)));
    const alpn = p.alpn?.filter((id) => id !== 'h3' && !id.startsWith('h3-')) ?? [];
    const dropped = new Set<number>([5]);
    if (p.alpn && alpn.length === 0) dropped.add(1).add(2);
    const mandatoryLeft = mandatory.filter((k) => !dropped.has(k));
    if (mandatoryLeft.length === 0) dropped.add(0);
    const expected = list.filter(([k]) => !dropped.has(k)).map(([k, v]) =>
      k === 0 ? param(0, mandatoryLeft.flatMap(u16)) : k === 1 ? param(1, alpn.flatMap((id) => [id.length, ...Buffer.from(id)])) : param(k, v));
    assert.deepEqual(answersOf(out), new Array<string>(count).fill(hex(rdata(1, 'svc.example', ...expected))));
  }), { numRuns: 400 });
});
