import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cacheInfo, stripHttpsHints } from '../../../src/dns/wire/response.ts';
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

test('malformed SvcParams or messages come back unchanged', () => {
  const overlong = httpsResponse(Buffer.from([0, 1, 0, 0, 5, 0, 9, 1]));
  assert.equal(stripHttpsHints(overlong), overlong);
  const badAlpn = httpsResponse(rdata(1, '.', param(1, [5, 0x68, 0x33]), ECH));
  assert.equal(stripHttpsHints(badAlpn), badAlpn);
  const cut = httpsResponse(rdata(1, '.', ECH)).subarray(0, 40);
  assert.equal(stripHttpsHints(cut), cut);
  const garbage = new Uint8Array(7);
  assert.equal(stripHttpsHints(garbage), garbage);
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
