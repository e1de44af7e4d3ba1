// Malformed and hostile clients: bad requests get 400 without harming other connections, request
// smuggling is refused, slow and idle clients are timed out, one address cannot take every socket.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { proxyLog, startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';

let sites: TestSites;
let proxy: TestProxy;

before(async () => {
  sites = await startTestSites();
  proxy = await startTestProxy({ sites, options: { 'headers-timeout': '1', 'idle-timeout': '2', 'max-client-connections': '20', 'max-header-kb': '8' } });
});

after(async () => {
  await proxy?.stop();
  await sites?.close();
});

/** Sends raw bytes on a new connection; resolves with everything received until the proxy closes it (or `waitMs`). */
export function exchange(port: number, bytes: string | Buffer, waitMs = 5_000, from?: string): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = net.connect({ port, host: '127.0.0.1', ...(from ? { localAddress: from } : {}) }, () => socket.write(bytes));
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks).toString('latin1'));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', done);
    socket.on('error', done);
  });
}

/** One keep-alive connection that sends well-formed requests one after another. */
function goodClient(): { request(): Promise<string>; close(): void } {
  const socket = net.connect(proxy.port, '127.0.0.1');
  socket.on('error', () => {});
  return {
    request: () =>
      new Promise((resolve) => {
        let got = '';
        const onData = (c: Buffer) => {
          got += c.toString('latin1');
          const end = got.indexOf('\r\n\r\n');
          const length = /content-length: (\d+)/i.exec(got)?.[1];
          if (end >= 0 && length !== undefined && got.length >= end + 4 + Number(length)) {
            socket.off('data', onData);
            resolve(got);
          }
        };
        socket.on('data', onData);
        socket.write(`GET http://allowed.test:${sites.httpPort}/good HTTP/1.1\r\nHost: allowed.test:${sites.httpPort}\r\n\r\n`);
      }),
    close: () => socket.destroy(),
  };
}

const target = () => `http://allowed.test:${sites.httpPort}/x`;
const host = () => `allowed.test:${sites.httpPort}`;

test('malformed requests get 400 while a keep-alive neighbour keeps working', { timeout: 60_000 }, async () => {
  const good = goodClient();
  assert.match(await good.request(), /^HTTP\/1\.1 200/);
  const bad = [
    'GARBAGE\r\n\r\n',
    `GET ${target()} HTTP/9.9\r\nHost: ${host()}\r\n\r\n`,
    `GET ${target()} HTTP/1.1\r\nHost ${host()}\r\n\r\n`,
    `GET ${target()} HTTP/1.1\r\nHo st: x\r\n\r\n`,
    `GET ${target()} HTTP/1.1\nHost: ${host()}\n\n`,
    '\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    `GET /local-only HTTP/1.1\r\nHost: ${host()}\r\n\r\n`,
    `GET ftp://allowed.test/file HTTP/1.1\r\nHost: allowed.test\r\n\r\n`,
    `CONNECT allowed.test HTTP/1.1\r\nHost: allowed.test\r\n\r\n`,
  ];
  for (const b of bad) {
    const r = await exchange(proxy.port, b);
    assert.match(r, /^HTTP\/1\.1 40[03] /, JSON.stringify(b));
    assert.match(await good.request(), /^HTTP\/1\.1 200/, 'the other connection is untouched');
  }
  good.close();
});

test('request smuggling is refused: CL with TE, two CLs, obsolete folding, odd Transfer-Encoding', { timeout: 60_000 }, async () => {
  const before = sites.seen.length;
  const smuggles = [
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /smuggled HTTP/1.1\r\n\r\n`,
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 4\r\nContent-Length: 40\r\n\r\nabcd`,
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: 4\r\nContent-Length: 4\r\n\r\nabcd`,
    `GET ${target()} HTTP/1.1\r\nHost: ${host()}\r\nX-Folded: a\r\n b\r\n\r\n`,
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n`,
    `POST ${target()} HTTP/1.1\r\nHost: ${host()}\r\nContent-Length: +4\r\n\r\nabcd`,
    `POST ${target()} HTTP/1.0\r\nHost: ${host()}\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
  ];
  // 501 is RFC 9112's answer to a transfer coding the server does not know.
  for (const s of smuggles) assert.match(await exchange(proxy.port, s), /^HTTP\/1\.1 (400|501) /, JSON.stringify(s));
  assert.equal(sites.seen.length, before, 'nothing reached the site');
});

test('a request head over the limit gets 431', { timeout: 60_000 }, async () => {
  const r = await exchange(proxy.port, `GET ${target()} HTTP/1.1\r\nHost: ${host()}\r\nX-Big: ${'a'.repeat(10_000)}\r\n\r\n`);
  assert.match(r, /^HTTP\/1\.1 431 /);
});

test('a client that sends its request head too slowly gets 408 and is disconnected', { timeout: 60_000 }, async () => {
  const r = await exchange(proxy.port, `GET ${target()} HTTP/1.1\r\nHost: ${host()}\r\n`, 10_000);
  assert.match(r, /^HTTP\/1\.1 408 /);
});

test('a tunnel with nothing sent either way is closed after the idle timeout', { timeout: 60_000 }, async () => {
  const r = await exchange(proxy.port, `CONNECT allowed.test:${sites.httpsPort} HTTP/1.1\r\nHost: allowed.test\r\n\r\n`, 10_000);
  assert.match(r, /^HTTP\/1\.1 200 /, 'tunnel opened, then closed without a ClientHello');
  const log = await proxyLog(proxy);
  assert.ok(log.some((x) => x.answer === 'hello-timeout' || x.answer === 'idle'));
});

test('one address cannot open more than its share of connections', { timeout: 60_000 }, async () => {
  const held: net.Socket[] = [];
  for (let i = 0; i < 20; i++) {
    const s = net.connect({ port: proxy.port, host: '127.0.0.1', localAddress: '127.0.0.5' });
    s.on('error', () => {});
    held.push(s);
    await new Promise((r) => s.once('connect', r));
  }
  const refused = await exchange(proxy.port, `GET ${target()} HTTP/1.1\r\nHost: ${host()}\r\n\r\n`, 5_000, '127.0.0.5');
  assert.match(refused, /^HTTP\/1\.1 429 /);
  const other = await exchange(proxy.port, `GET ${target()} HTTP/1.1\r\nHost: ${host()}\r\nConnection: close\r\n\r\n`, 5_000, '127.0.0.6');
  assert.match(other, /^HTTP\/1\.1 200 /, 'other addresses are unaffected');
  for (const s of held) s.destroy();
});

test('a site that stops answering gets a 504 page after the idle timeout', { timeout: 60_000 }, async () => {
  const r = await exchange(proxy.port, `GET http://allowed.test:${sites.httpPort}/hang HTTP/1.1\r\nHost: ${host()}\r\n\r\n`, 15_000);
  assert.match(r, /^HTTP\/1\.1 504 /);
});
