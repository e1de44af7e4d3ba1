// Request checks: what they refuse and why, a fuzz of request heads, and the whole defence against
// request smuggling with Node's own parser in front (raw requests to a real http server).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import fc from 'fast-check';
import { checkRequest, forwardHeaders, requestProblem, type RequestHead } from '../../../src/proxy/http/request-checks.ts';
import { forwardHeaders as fromHopByHop } from '../../../src/proxy/http/hop-by-hop.ts';

/** A GET with a Host header matching the URL unless headers are given. */
const get = (url: string, rawHeaders?: string[]): RequestHead => ({
  method: 'GET', url, rawHeaders: rawHeaders ?? (URL.canParse(url) ? ['Host', new URL(url).host] : []), httpVersion: '1.1',
});
const post = (headers: string[]): RequestHead => ({ method: 'POST', url: 'http://a.test/', rawHeaders: ['Host', 'a.test', ...headers], httpVersion: '1.1' });
const connect = (url: string, headers: string[] = []): RequestHead => ({ method: 'CONNECT', url, rawHeaders: ['Host', url, ...headers], httpVersion: '1.1' });

test('ordinary proxied requests pass', () => {
  for (const req of [
    get('http://www.example.test/'),
    get('http://www.example.test:8080/a?b=c#d', ['Host', 'www.example.test:8080']),
    get('HTTP://WWW.Example.TEST/x', ['host', 'www.example.test']),
    get('http://192.0.2.1/', ['Host', '192.0.2.1']),
    get('http://[2001:db8::1]/', ['Host', '[2001:db8::1]']),
    get('http://www.example.test/', []), // HTTP/1.0 clients may leave Host out
    post(['Content-Length', '12']),
    post(['Transfer-Encoding', 'chunked']),
    post(['Transfer-Encoding', ' Chunked ']),
    post(['Expect', '100-Continue', 'Content-Length', '5']),
    post(['X-Obs-Text', 'caf\u00e9', 'X-Tab', 'a\tb']),
    connect('www.example.test:443'),
    connect('[2001:db8::1]:443', ['Content-Length', '0']),
  ]) {
    assert.equal(checkRequest(req), null, JSON.stringify(req));
  }
});

test('refused, with the status and words for the page', () => {
  const cases: [RequestHead, number, RegExp][] = [
    [post(['Transfer-Encoding', 'gzip, chunked']), 501, /only "Transfer-Encoding: chunked"/],
    [post(['Transfer-Encoding', 'identity']), 501, /only "Transfer-Encoding: chunked"/],
    [post(['Transfer-Encoding', 'chunked;x=1']), 400, /malformed/],
    [post(['Transfer-Encoding', '']), 400, /malformed/],
    [post(['Transfer-Encoding', 'chunked', 'Transfer-Encoding', 'chunked']), 400, /more than one Transfer-Encoding/],
    [post(['Transfer-Encoding', 'chunked', 'Content-Length', '3']), 400, /both Content-Length and Transfer-Encoding/],
    [{ ...post(['Transfer-Encoding', 'chunked']), httpVersion: '1.0' }, 400, /not allowed in HTTP\/1.0/],
    [post(['Content-Length', '1', 'content-length', '1']), 400, /more than one Content-Length/],
    [post(['Content-Length', '+1']), 400, /not a plain number/],
    [post(['Content-Length', '1, 1']), 400, /not a plain number/],
    [post(['Content-Length', '0x10']), 400, /not a plain number/],
    [post(['Content-Length', '1234567890123456']), 400, /not a plain number/],
    [post(['X-A', 'a\u0000b']), 400, /X-A header has control characters/],
    [post(['X-A', 'a\r\nX-B: b']), 400, /control characters/],
    [post(['X A', 'b']), 400, /header name/],
    [post(['X-A\n', 'b']), 400, /header name/],
    [post(['Expect', 'something-else']), 417, /Expect/],
    [get('http://a.test/', ['Host', 'a.test', 'Host', 'b.test']), 400, /more than one Host/],
    [get('http://a.test/', ['Host', 'b.test']), 400, /Host header names a different site/],
    [get('http://a.test/', ['Host', 'bad host']), 400, /Host header is not valid/],
    [get('/proxy.pac'), 400, /a path on the proxy/],
    [get('https://a.test/'), 400, /CONNECT/],
    [get('ftp://a.test/'), 400, /must start with http:\/\//],
    [get('*'), 400, /must start with http:\/\//],
    [get('http://user:pw@a.test/', ['Host', 'a.test']), 400, /user name or password/],
    [get('http://a.test\\@b.test/', []), 400, /user name or password|backslash/],
    [get('http:///a.test/', []), 400, /no host/],
    [get('http://a.test:0/', []), 400, /port 0/],
    [get('http://a..test/', []), 400, /address is not valid/],
    [get('', []), 400, /empty/],
    [get('http://a.test/\u00e9', []), 400, /non-ASCII/],
    [connect('www.example.test'), 400, /no port/],
    [connect('www.example.test:0'), 400, /no port/],
    [connect('www.example.test:443/x'), 400, /host:port, with nothing else/],
    [connect('user@www.example.test:443'), 400, /host:port, with nothing else/],
    [connect('2001:db8::1:443'), 400, /not valid/],
    [connect('www.example.test:443', ['Transfer-Encoding', 'chunked']), 400, /cannot have a body/],
    [connect('www.example.test:443', ['Content-Length', '5']), 400, /cannot have a body/],
    [{ method: 'GET', url: 'http://a.test/', rawHeaders: ['Host'] }, 400, /incomplete/],
  ];
  for (const [req, status, reason] of cases) {
    const problem = checkRequest(req);
    assert.ok(problem, `refused: ${JSON.stringify(req)}`);
    assert.equal(problem.status, status, JSON.stringify(req));
    assert.equal(problem.page, status === 400 ? 'bad-request' : status === 417 ? 'expectation-failed' : 'not-implemented');
    assert.match(problem.reason, reason, JSON.stringify(req));
  }
});

test('origin-form is accepted when the caller serves its own pages', () => {
  assert.equal(checkRequest(get('/proxy.pac', ['Host', 'proxy.school.test:3128']), { allowOriginForm: true }), null);
  assert.equal(checkRequest(get('/wpad.dat', []), { allowOriginForm: true }), null);
  assert.ok(checkRequest(get('//evil.test/', []), { allowOriginForm: true }), 'scheme-relative is not origin-form');
});

test('requestProblem: the same checks from the parts of a request', () => {
  assert.equal(requestProblem('GET', 'http://a.test/', ['Host', 'a.test']), null);
  assert.equal(requestProblem('POST', 'http://a.test/', ['Transfer-Encoding', 'gzip, chunked'])?.status, 501);
  assert.match(requestProblem('POST', 'http://a.test/', ['Transfer-Encoding', 'chunked'], '1.0')!.reason, /HTTP\/1.0/);
  assert.equal(requestProblem('CONNECT', 'a.test', [])?.status, 400);
  assert.equal(forwardHeaders, fromHopByHop);
});

const NAMES = ['Host', 'Content-Length', 'content-length', 'Transfer-Encoding', 'TRANSFER-ENCODING', 'Expect', 'Connection', 'X-A', 'Cookie'];
const VALUES = ['chunked', 'Chunked', 'gzip, chunked', 'chunked, chunked', '0', '12', ' 7 ', '-1', '100-continue', 'a.test', 'b.test:80', ''];
const headName = fc.oneof(fc.constantFrom(...NAMES), fc.string({ maxLength: 12 }));
const headValue = fc.oneof(fc.constantFrom(...VALUES), fc.string({ maxLength: 20 }), fc.string({ unit: 'binary', maxLength: 20 }));
const target = fc.oneof(
  fc.constantFrom('http://a.test/', 'a.test:443', '/proxy.pac', '*', 'http://a.test:99999/', 'https://a.test/', '[::1]:443'),
  fc.webUrl(),
  fc.string({ maxLength: 40 }),
);
const head = fc.record({
  method: fc.constantFrom('GET', 'POST', 'CONNECT', 'PUT', undefined),
  url: fc.option(target, { nil: undefined }),
  rawHeaders: fc.array(fc.tuple(headName, headValue), { maxLength: 8 }).map((pairs) => pairs.flat()),
  httpVersion: fc.constantFrom('1.0', '1.1'),
});

test('fuzz: never throws; whatever passes is framed one way only', () => {
  fc.assert(
    fc.property(head, fc.boolean(), (req, allowOriginForm) => {
      const problem = checkRequest(req, { allowOriginForm });
      if (problem) {
        assert.ok(problem.reason.length > 0);
        return;
      }
      const te = req.rawHeaders.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === 'transfer-encoding' ? [req.rawHeaders[i + 1]!] : []));
      const cl = req.rawHeaders.flatMap((v, i) => (i % 2 === 0 && v.toLowerCase() === 'content-length' ? [req.rawHeaders[i + 1]!] : []));
      assert.ok(te.length === 0 || (te.length === 1 && te[0]!.trim().toLowerCase() === 'chunked' && cl.length === 0));
      assert.ok(cl.length <= 1 && cl.every((v) => /^\d+$/.test(v.trim())));
    }),
    { numRuns: 5000 },
  );
});

// ---- with Node's parser in front, as in the proxy ----

let server: http.Server;
let port: number;

before(async () => {
  server = http.createServer((req, res) => {
    const problem = checkRequest(req);
    res.writeHead(problem ? problem.status : 200, { Connection: 'close' });
    res.end(problem ? problem.reason : 'passed');
  });
  server.on('connect', (req: http.IncomingMessage, socket: net.Socket) => {
    const problem = checkRequest(req);
    socket.end(`HTTP/1.1 ${problem ? problem.status : 200} X\r\n\r\n`);
  });
  server.on('clientError', (_e, socket: net.Socket) => socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n'));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Sends raw bytes, returns the status of the first response. */
function statusOf(raw: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(Buffer.from(raw, 'latin1')));
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) resolve(Number(m[1]));
      else reject(new Error(`no response to ${JSON.stringify(raw)}: ${JSON.stringify(data)}`));
    });
  });
}

test('smuggling attempts are refused, by Node or by the checks; honest requests pass', async () => {
  const H = 'POST http://a.test/ HTTP/1.1\r\nHost: a.test\r\n';
  const refused: Record<string, string> = {
    'CL and TE': `${H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`,
    'two CL': `${H}Content-Length: 1\r\nContent-Length: 2\r\n\r\nxy`,
    'obs-fold': `${H}X-A: 1\r\n 2\r\nContent-Length: 0\r\n\r\n`,
    'TE gzip, chunked': `${H}Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    'TE identity': `${H}Transfer-Encoding: identity\r\n\r\n`,
    'TE with parameters': `${H}Transfer-Encoding: chunked;x=1\r\n\r\n0\r\n\r\n`,
    'TE in HTTP/1.0': 'POST http://a.test/ HTTP/1.0\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'two Host': 'GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n',
    'Host differs': 'GET http://a.test/ HTTP/1.1\r\nHost: b.test\r\n\r\n',
    'CONNECT with a body': 'CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nTransfer-Encoding: chunked\r\n\r\n',
  };
  for (const [name, raw] of Object.entries(refused)) {
    const status = await statusOf(raw);
    assert.ok(status >= 400, `${name}: ${status}`);
  }
  assert.equal(await statusOf(`${H}Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n`), 200);
  assert.equal(await statusOf(`${H}Content-Length: 2\r\n\r\nab`), 200);
  assert.equal(await statusOf('CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n'), 200);
});
