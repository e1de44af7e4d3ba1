// The ClientHello reader on generated hellos: random extensions, names, padding and fragmentation
// over records (test/support/client-hellos.ts), and the rules it enforces on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MAX_CLIENT_HELLO, MAX_CLIENT_HELLO_BUFFER, MAX_CLIENT_HELLO_RECORDS, readClientHello } from '../../../src/proxy/tls/client-hello.ts';
import { buildClientHello, fragmentedHello, inRecords, type HelloSpec } from '../../support/client-hellos.ts';

const base: HelloSpec = {
  sni: 'www.example.test', otherNames: [], alpn: ['h2'], ech: null, others: [], padding: null,
  sessionId: new Uint8Array(0), cipherSuites: [0x1301], order: [],
};

test('a generated hello, in any number of records, gives exactly its SNI, ALPN and ECH', () => {
  fc.assert(
    fc.property(fragmentedHello, ({ spec, built }) => {
      const r = readClientHello(built.bytes);
      assert.equal(r.kind, 'hello', JSON.stringify(r));
      if (r.kind !== 'hello') return;
      assert.equal(r.sni, spec.sni);
      assert.deepEqual(r.alpn, spec.alpn);
      assert.equal(r.ech, spec.ech !== null);
      assert.equal(r.length, built.bytes.length);
    }),
    { numRuns: 400 },
  );
});

test('a generated hello cut short anywhere needs more, and never more than the limit', () => {
  fc.assert(
    fc.property(fragmentedHello, fc.nat(), ({ built }, seed) => {
      const n = seed % built.bytes.length;
      assert.equal(readClientHello(built.bytes.subarray(0, n)).kind, 'need-more');
      assert.ok(n < MAX_CLIENT_HELLO_BUFFER);
    }),
    { numRuns: 400 },
  );
});

test('a hello with padding to 2.5 KB, its first 31 records one byte each, is read', () => {
  const hello = buildClientHello({ ...base, padding: 2500 });
  const cuts = Array.from({ length: MAX_CLIENT_HELLO_RECORDS - 1 }, (_, i) => i + 1);
  const r = readClientHello(inRecords(hello, cuts).bytes);
  assert.equal(r.kind === 'hello' && r.sni, 'www.example.test');
});

test('no extensions at all (an old TLS 1.0 client): no SNI', () => {
  // Drop the extensions block (2 + its length bytes) and fix the handshake and record lengths.
  const hello = buildClientHello({ ...base, sni: null, alpn: [] });
  const extensionsField = hello.fields.find((f) => f.name === 'extensions')!;
  const cut = hello.bytes.slice(0, extensionsField.offset);
  cut[1] = 0; cut[2] = (cut.length - 4) >> 8; cut[3] = (cut.length - 4) & 0xff;
  const r = readClientHello(inRecords({ bytes: cut, fields: [] }).bytes);
  assert.deepEqual(r, { kind: 'hello', sni: null, length: cut.length + 5, alpn: [], ech: false });
});

test('only other name types in server_name: no SNI; the host_name wins over them', () => {
  const onlyOthers = buildClientHello({ ...base, sni: null, others: [{ type: 0, data: Uint8Array.of(0, 4, 1, 0, 1, 0x61) }] });
  assert.deepEqual(readClientHello(inRecords(onlyOthers).bytes), { kind: 'hello', sni: null, length: onlyOthers.bytes.length + 5, alpn: ['h2'], ech: false });
  const withOthers = buildClientHello({ ...base, otherNames: [Uint8Array.of(1, 2, 3)] });
  const r = readClientHello(inRecords(withOthers).bytes);
  assert.equal(r.kind === 'hello' && r.sni, 'www.example.test');
});

/** Replaces one extension's type in a built hello (to make duplicates). */
function retype(spec: HelloSpec, from: number, to: number): Uint8Array {
  const hello = buildClientHello(spec);
  const bytes = hello.bytes.slice();
  const field = hello.fields.find((f) => f.name === `type ${from} extension`)!;
  bytes[field.offset - 2] = to >> 8;
  bytes[field.offset - 1] = to & 0xff;
  return inRecords({ bytes, fields: [] }).bytes;
}

test('refused on purpose: two server_name extensions, two host_names, names that are not printable ASCII', () => {
  const dupSni = retype({ ...base, others: [{ type: 999, data: Uint8Array.of(0, 4, 0, 0, 1, 0x61) }] }, 999, 0);
  assert.match(kindAndReason(dupSni), /^malformed: extension 0 appears twice/);
  const twoNames = buildClientHello({ ...base, sni: null, others: [{ type: 0, data: Uint8Array.of(0, 8, 0, 0, 1, 0x61, 0, 0, 1, 0x62) }] });
  assert.match(kindAndReason(inRecords(twoNames).bytes), /^malformed: more than one host_name/);
  for (const bad of ['a b.test', 'caf\u00e9.test', 'a\u0000.test', 'tab\t.test']) {
    const h = buildClientHello({ ...base, sni: bad });
    assert.match(kindAndReason(inRecords(h).bytes), /^malformed: host_name has byte/, JSON.stringify(bad));
  }
  const dupAlpn = retype({ ...base, others: [{ type: 999, data: Uint8Array.of(0, 3, 2, 0x68, 0x32) }] }, 999, 16);
  assert.match(kindAndReason(dupAlpn), /^malformed: extension 16 appears twice/);
});

function kindAndReason(bytes: Uint8Array): string {
  const r = readClientHello(bytes);
  return r.kind === 'malformed' ? `malformed: ${r.reason}` : r.kind;
}

test('bounded: too many records, a record over 16 KiB, a hello over the limit', () => {
  const hello = buildClientHello(base);
  const cuts = Array.from({ length: MAX_CLIENT_HELLO_RECORDS }, (_, i) => i + 1);
  assert.match(kindAndReason(inRecords(hello, cuts).bytes), /more than 32 records/);
  // A record header announcing 16385 bytes is refused before they arrive.
  assert.match(kindAndReason(Uint8Array.of(0x16, 3, 1, 0x40, 0x01, 1)), /a record of 16385 bytes/);
  // A handshake header announcing more than the limit, likewise.
  const big = MAX_CLIENT_HELLO - 3;
  assert.match(kindAndReason(Uint8Array.of(0x16, 3, 1, 0x40, 0x00, 1, big >> 16, (big >> 8) & 0xff, big & 0xff)), /a ClientHello of 16385 bytes/);
  // The largest hello accepted: padding up to exactly MAX_CLIENT_HELLO, in two records.
  const small = buildClientHello({ ...base, padding: 0 }).bytes.length;
  const largest = buildClientHello({ ...base, padding: MAX_CLIENT_HELLO - small });
  assert.equal(largest.bytes.length, MAX_CLIENT_HELLO);
  assert.equal(kindAndReason(inRecords(largest, [16000]).bytes), 'hello');
  const over = buildClientHello({ ...base, padding: MAX_CLIENT_HELLO - small + 1 });
  assert.match(kindAndReason(inRecords(over, [16000]).bytes), /a ClientHello of 16385 bytes/);
});

test('a record of another type (alert, change_cipher_spec) inside a fragmented hello is malformed', () => {
  const hello = inRecords(buildClientHello(base), [50]).bytes;
  const spliced = new Uint8Array(hello.length + 6);
  spliced.set(hello.subarray(0, 55));
  spliced.set([0x14, 3, 3, 0, 1, 1], 55);
  spliced.set(hello.subarray(55), 61);
  assert.match(kindAndReason(spliced), /another type/);
});
