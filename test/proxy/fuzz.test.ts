// Fuzzing the running proxy (bounded, for CI): generated request lines and headers, and generated
// or mangled ClientHellos inside tunnels. Every answer is an HTTP status line, a TLS alert or a
// close; the proxy keeps serving well-formed requests afterwards.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';

let sites: TestSites;
let proxy: TestProxy;

before(async () => {
  sites = await startTestSites();
  proxy = await startTestProxy({ sites, options: { 'headers-timeout': '2', 'idle-timeout': '2' } });
});

after(async () => {
  await proxy?.stop();
  await sites?.close();
});

/**
 * Sends `bytes` and half-closes (so an incomplete request ends at once rather than by timeout);
 * resolves with what came back before the proxy closed. Node's server drops a request whose client
 * half-closed before the answer: a close without a word is a fair answer here.
 */
function sendAndEnd(bytes: Buffer, prefix?: Buffer, halfClose = true): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(proxy.port, '127.0.0.1', () => {
      if (prefix) socket.write(prefix);
      if (halfClose) socket.end(bytes);
      else socket.write(bytes);
    });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, 8_000);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', done);
    socket.on('error', done);
  });
}

const token = fc.stringMatching(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,12}$/);
const nasty = fc.string({ unit: fc.constantFrom('a', 'Z', '0', ' ', ':', '\r', '\n', '\0', '\t', '/', '?', '#', '[', ']', '@', '%', '\u00e9', '\x7f'), maxLength: 24 });
const method = fc.oneof(fc.constantFrom('GET', 'POST', 'HEAD', 'CONNECT', 'PUT', 'OPTIONS', 'TRACE'), token, nasty);
const requestTarget = fc.oneof(
  fc.constantFrom('http://allowed.test/', 'http://www.pornhub.com/', 'allowed.test:443', '/', '*', 'http://[::1]/', 'http://127.1/', 'http://allowed.test:99999/'),
  fc.webUrl(),
  nasty,
);
const version = fc.oneof(fc.constantFrom('HTTP/1.1', 'HTTP/1.0', 'HTTP/2.0', 'http/1.1', ''), nasty);
const header = fc.tuple(fc.oneof(token, nasty, fc.constantFrom('Content-Length', 'Transfer-Encoding', 'Host', 'Proxy-Authorization', 'Expect')), fc.oneof(nasty, fc.constantFrom('chunked', '0', '-1', '10', 'gzip, chunked', 'Basic !!!', '100-continue')));
const head = fc.record({ method, requestTarget, version, headers: fc.array(header, { maxLength: 6 }), body: fc.string({ maxLength: 40 }) }).map(
  (r) => `${r.method} ${r.requestTarget} ${r.version}\r\n${r.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n${r.body}`,
);

function looksLikeAnAnswer(b: Buffer): boolean {
  if (b.length === 0) return true; // closed without a word: allowed for garbage
  return /^HTTP\/1\.1 [1-5]\d\d /.test(b.toString('latin1', 0, 13));
}

async function stillServes(): Promise<void> {
  const r = await sendAndEnd(Buffer.from(`GET http://allowed.test:${sites.httpPort}/after-fuzz HTTP/1.1\r\nHost: allowed.test\r\nConnection: close\r\n\r\n`), undefined, false);
  assert.match(r.toString('latin1'), /^HTTP\/1\.1 200 /);
}

test('fuzz: generated request lines and headers always get a status line or a close', async () => {
  await fc.assert(
    fc.asyncProperty(head, async (text) => {
      const answer = await sendAndEnd(Buffer.from(text, 'utf8'));
      assert.ok(looksLikeAnAnswer(answer), `${JSON.stringify(text)} → ${JSON.stringify(answer.toString('latin1', 0, 60))}`);
    }),
    { numRuns: 150 },
  );
  await stillServes();
});

test('fuzz: random bytes, and random bytes inside an allowed tunnel, never stop the proxy', async () => {
  const connect = Buffer.from(`CONNECT allowed.test:${sites.httpsPort} HTTP/1.1\r\nHost: allowed.test\r\n\r\n`);
  await fc.assert(
    fc.asyncProperty(fc.uint8Array({ minLength: 1, maxLength: 600 }), fc.boolean(), async (bytes, inTunnel) => {
      const answer = await sendAndEnd(Buffer.from(bytes), inTunnel ? connect : undefined);
      if (!inTunnel) assert.ok(looksLikeAnAnswer(answer));
      else assert.match(answer.toString('latin1', 0, 13), /^HTTP\/1\.1 200 /);
    }),
    { numRuns: 100 },
  );
  await stillServes();
});
