// The ClientHello reader on hellos captured from real clients (node:tls, openssl, curl, Chromium),
// whole, one byte at a time, and in random splits.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { readClientHello, type ClientHelloResult } from '../../../src/proxy/tls/client-hello.ts';
import { canonicalHost } from '../../../src/core/host/canonical.ts';
import { captureHello, chromiumClient, curlClient, nodeClient, opensslClient, type Capture } from './capture.ts';

interface Case {
  readonly client: string;
  readonly sni: string;
  readonly alpn: readonly string[];
  readonly capture: Capture;
}

const cases: Case[] = [];

before(async () => {
  const node = await captureHello(nodeClient('node.example.test', ['h2', 'http/1.1']));
  cases.push({ client: 'node:tls', sni: 'node.example.test', alpn: ['h2', 'http/1.1'], capture: node });
  const openssl = await captureHello(opensslClient('OpenSSL.Example.test'));
  cases.push({ client: 'openssl s_client', sni: 'OpenSSL.Example.test', alpn: ['h2', 'http/1.1'], capture: openssl });
  const curl = await captureHello(curlClient('curl.example.test'));
  cases.push({ client: 'curl', sni: 'curl.example.test', alpn: ['h2', 'http/1.1'], capture: curl });
  const chrome = await captureHello(chromiumClient('chromium.example.test'));
  cases.push({ client: 'chromium', sni: 'chromium.example.test', alpn: ['h2', 'http/1.1'], capture: chrome });
});

function expectHello(r: ClientHelloResult, c: Case): void {
  assert.equal(r.kind, 'hello', `${c.client}: ${JSON.stringify(r)}`);
  if (r.kind !== 'hello') return;
  assert.equal(r.sni, c.sni, c.client);
  assert.deepEqual(r.alpn, c.alpn, c.client);
  assert.equal(r.length, c.capture.bytes.length, `${c.client}: the whole record is consumed`);
}

test('real clients: the SNI, ALPN and length are read', () => {
  assert.equal(cases.length, 4);
  for (const c of cases) {
    expectHello(readClientHello(c.capture.bytes), c);
    // The raw name is the caller's to canonicalise: mixed case folds there, not here.
    const r = readClientHello(c.capture.bytes);
    if (r.kind === 'hello' && r.sni !== null) assert.equal(canonicalHost(r.sni, 'sni').host, c.sni.toLowerCase());
  }
});

test('Chromium sends a hello of about 2 KB, with an ECH extension (GREASE) even with no ECH config', () => {
  const chrome = cases.find((c) => c.client === 'chromium')!;
  assert.ok(chrome.capture.bytes.length > 1500, `chromium hello is ${chrome.capture.bytes.length} bytes`);
  for (const c of cases) {
    const r = readClientHello(c.capture.bytes);
    assert.equal(r.kind === 'hello' && r.ech, c.client === 'chromium', c.client);
  }
});

test('every proper prefix needs more; one byte at a time gives the same hello', () => {
  for (const c of cases) {
    const bytes = c.capture.bytes;
    for (let n = 0; n < bytes.length; n++) {
      const r = readClientHello(bytes.subarray(0, n));
      assert.equal(r.kind, 'need-more', `${c.client}: prefix of ${n} bytes gave ${JSON.stringify(r)}`);
    }
    expectHello(readClientHello(bytes), c);
  }
});

test('reads of random sizes, appended to one buffer, give the same result', () => {
  fc.assert(
    fc.property(fc.constantFrom(...cases.map((_, i) => i)), fc.uniqueArray(fc.integer({ min: 1, max: 4000 }), { maxLength: 20 }), (i, cuts) => {
      const c = cases[i]!;
      const bytes = c.capture.bytes;
      const edges = [...cuts.filter((x) => x < bytes.length).sort((a, b) => a - b), bytes.length];
      let buffered = new Uint8Array(0);
      let from = 0;
      for (const to of edges) {
        const next = new Uint8Array(buffered.length + (to - from));
        next.set(buffered);
        next.set(bytes.subarray(from, to), buffered.length);
        buffered = next;
        from = to;
        const r = readClientHello(buffered);
        if (to < bytes.length) assert.equal(r.kind, 'need-more');
        else expectHello(r, c);
      }
    }),
    { numRuns: 300 },
  );
});

test('bytes after the hello (early data, a second record) do not change the answer', () => {
  for (const c of cases) {
    const more = new Uint8Array(c.capture.bytes.length + 7);
    more.set(c.capture.bytes);
    more.set([0x17, 3, 3, 0, 2, 1, 2], c.capture.bytes.length);
    expectHello(readClientHello(more), c);
  }
});

test('what is not TLS is said to be not TLS', () => {
  const texts = ['GET / HTTP/1.1\r\n', 'SSH-2.0-OpenSSH_9.2\r\n', 'CONNECT a:443 HTTP/1.1\r\n', '\x00\x00'];
  for (const t of texts) assert.equal(readClientHello(new TextEncoder().encode(t)).kind, 'not-tls', JSON.stringify(t));
  // An SSLv2-compatible hello: two-byte length with the high bit set, then msg type 1.
  assert.equal(readClientHello(Uint8Array.of(0x80, 0x2e, 0x01, 0x03, 0x01)).kind, 'not-tls');
  // Handshake content type, but no TLS version after it.
  assert.equal(readClientHello(Uint8Array.of(0x16, 0x47)).kind, 'not-tls');
  // One byte that could still become a TLS record.
  assert.equal(readClientHello(Uint8Array.of(0x16)).kind, 'need-more');
});
