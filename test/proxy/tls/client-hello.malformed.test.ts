// Malformed ClientHellos: a corpus (truncations, lying length fields, bad server_name lists, huge
// records) and a bounded-time fuzz of random and mutated hellos. Never a throw, never a false hello.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_CLIENT_HELLO_BUFFER, readClientHello, type ClientHelloResult } from '../../../src/proxy/tls/client-hello.ts';
import { buildClientHello, fragmentedHello, inRecords, simpleHello, type HelloSpec } from '../../support/client-hellos.ts';
import { captureHello, curlClient, nodeClient } from './capture.ts';

/** Fuzzing time per property; CI can raise it with RINGFENCE_FUZZ_MS. */
const FUZZ_MS = Number(process.env.RINGFENCE_FUZZ_MS ?? 2000);

/** Reads and checks the invariants every answer keeps. */
function read(buf: Uint8Array): ClientHelloResult {
  const r = readClientHello(buf);
  switch (r.kind) {
    case 'need-more':
      assert.ok(buf.length < MAX_CLIENT_HELLO_BUFFER, 'need-more only below the buffer limit');
      break;
    case 'hello':
      assert.ok(r.length >= 9 && r.length <= buf.length, `length ${r.length} within the ${buf.length} bytes`);
      if (r.sni !== null) assert.match(r.sni, /^[\x21-\x7e]+$/);
      for (const p of r.alpn) assert.ok(p.length >= 1 && p.length <= 255);
      break;
    case 'malformed':
      assert.ok(r.reason.length > 0);
      break;
    case 'not-tls':
      assert.ok(buf[0] !== 0x16 || buf[1] !== 3);
      break;
    default:
      assert.fail(`unexpected answer ${JSON.stringify(r)}`);
  }
  return r;
}

const spec: HelloSpec = {
  sni: 'www.example.test', otherNames: [], alpn: ['h2', 'http/1.1'], ech: Uint8Array.of(0, 1, 2, 3), padding: 200,
  others: [{ type: 43, data: Uint8Array.of(4, 3, 4, 3, 3) }, { type: 51, data: new Uint8Array(38).fill(9) }],
  sessionId: new Uint8Array(32).fill(7), cipherSuites: [0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f], order: [],
};
const hello = buildClientHello(spec);
const fragmented = inRecords(hello, [3, 60, 200]);

test('truncated at every offset: need-more, whole records or not', () => {
  for (const built of [inRecords(hello), fragmented]) {
    for (let n = 0; n < built.bytes.length; n++) assert.equal(read(built.bytes.subarray(0, n)).kind, 'need-more', `at ${n}`);
  }
});

test('the hello body cut short with consistent outer lengths: malformed, except where extensions may end', () => {
  const compressionEnd = hello.fields.find((f) => f.name === 'extensions')!.offset;
  for (let n = 5; n < hello.bytes.length; n++) {
    const cut = hello.bytes.slice(0, n);
    cut[1] = (n - 4) >> 16; cut[2] = ((n - 4) >> 8) & 0xff; cut[3] = (n - 4) & 0xff;
    const r = read(inRecords({ bytes: cut, fields: [] }).bytes);
    if (n === compressionEnd) assert.deepEqual({ kind: r.kind, sni: r.kind === 'hello' && r.sni }, { kind: 'hello', sni: null });
    else assert.equal(r.kind, 'malformed', `body cut at ${n}: ${JSON.stringify(r)}`);
  }
});

test('every length field lying, by a little or a lot: need-more or malformed', () => {
  for (const built of [inRecords(hello), fragmented]) {
    assert.ok(built.fields.length >= 15, 'fields recorded');
    for (const field of built.fields) {
      const max = 2 ** (8 * field.size) - 1;
      let value = 0;
      for (let i = 0; i < field.size; i++) value = (value << 8) | built.bytes[field.offset + i]!;
      for (const lie of [value - 3, value - 2, value - 1, value + 1, value + 2, value + 3, 0, max]) {
        if (lie < 0 || lie > max || lie === value) continue;
        const bytes = built.bytes.slice();
        for (let i = 0; i < field.size; i++) bytes[field.offset + i] = (lie >> (8 * (field.size - 1 - i))) & 0xff;
        const r = read(bytes);
        assert.ok(r.kind === 'need-more' || r.kind === 'malformed', `${field.name} = ${lie} (really ${value}): ${JSON.stringify(r)}`);
      }
    }
  }
});

/** A hello whose server_name extension holds `data` as is. */
function withServerName(data: number[]): Uint8Array {
  return inRecords(buildClientHello({ ...spec, sni: null, others: [{ type: 0, data: Uint8Array.from(data) }] })).bytes;
}

test('bad server_name lists, bad records and bad handshake headers are malformed', () => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['no name list', withServerName([]), /without a name list/],
    ['a list of zero entries', withServerName([0, 0]), /no names/],
    ['an empty host_name', withServerName([0, 3, 0, 0, 0]), /empty host_name/],
    ['an entry running past its list', withServerName([0, 4, 0, 0, 5, 0x61]), /runs past/],
    ['a truncated entry', withServerName([0, 2, 0, 0]), /truncated server_name entry/],
    ['a list longer than the extension', withServerName([0, 9, 0, 0, 1, 0x61]), /does not match/],
    ['a huge record', Uint8Array.of(0x16, 3, 1, 0xff, 0xff), /a record of 65535 bytes/],
    ['an empty record', Uint8Array.of(0x16, 3, 1, 0, 0, 0x16, 3, 1, 0, 4), /empty handshake record/],
    ['a huge handshake length', Uint8Array.of(0x16, 3, 1, 0, 4, 1, 0xff, 0xff, 0xff), /a ClientHello of 16777219 bytes/],
    ['a ServerHello', Uint8Array.of(0x16, 3, 3, 0, 4, 2, 0, 0, 0), /not a ClientHello/],
    ['an empty hello body', Uint8Array.of(0x16, 3, 1, 0, 4, 1, 0, 0, 0), /shorter than its fixed fields/],
    ['a second record that is not TLS', Uint8Array.of(0x16, 3, 1, 0, 1, 1, 0x16, 2, 0, 0, 1), /TLS version/],
  ];
  for (const [name, bytes, reason] of cases) {
    const r = read(bytes);
    assert.equal(r.kind, 'malformed', `${name}: ${JSON.stringify(r)}`);
    if (r.kind === 'malformed') assert.match(r.reason, reason, name);
  }
});

const realHellos: Uint8Array[] = [];

before(async () => {
  realHellos.push((await captureHello(nodeClient('node.example.test', ['h2']))).bytes);
  realHellos.push((await captureHello(curlClient('curl.example.test'))).bytes);
  realHellos.push(simpleHello('simple.example.test').bytes);
});

/** Random edits: overwrite, insert, delete, or set one byte to an edge value. */
const mutation = fc.oneof(
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), value: fc.constantFrom(0, 1, 0x7f, 0x80, 0xfe, 0xff).chain((v) => fc.oneof(fc.constant(v), fc.nat(255))) }),
  fc.record({ op: fc.constant('insert' as const), at: fc.nat(), value: fc.nat(255) }),
  fc.record({ op: fc.constant('delete' as const), at: fc.nat(), value: fc.constant(0) }),
);
type Mutation = { op: 'set' | 'insert' | 'delete'; at: number; value: number };

function mutate(bytes: Uint8Array, edits: readonly Mutation[]): Uint8Array {
  const out = [...bytes];
  for (const e of edits) {
    const at = out.length === 0 ? 0 : e.at % out.length;
    if (e.op === 'set') out[at] = e.value;
    else if (e.op === 'insert') out.splice(at, 0, e.value);
    else out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

const fuzz = { numRuns: 1_000_000, interruptAfterTimeLimit: FUZZ_MS };

test('fuzz: random bytes, raw and behind a handshake record header', () => {
  const raw = fc.uint8Array({ maxLength: 3000 });
  const framed = fc.tuple(fc.uint8Array({ maxLength: 2000 }), fc.nat(0xffff)).map(([body, len]) => {
    const b = new Uint8Array(body.length + 9);
    b.set([0x16, 3, 1, len >> 8, len & 0xff, 1, 0, body.length >> 8, body.length & 0xff]);
    b.set(body, 9);
    return b;
  });
  fc.assert(fc.property(fc.oneof(raw, framed), (b) => void read(b)), fuzz);
});

test('fuzz: mutated real and generated hellos', () => {
  assert.equal(realHellos.length, 3);
  const source = fc.oneof(fc.constantFrom(...realHellos), fragmentedHello.map((h) => h.built.bytes));
  fc.assert(fc.property(source, fc.array(mutation, { minLength: 1, maxLength: 6 }), (b, edits) => void read(mutate(b, edits))), fuzz);
});
