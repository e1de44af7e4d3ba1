// The web proxy with a real client (curl) to test sites on loopback, over HTTP and HTTPS (CONNECT).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { run } from '../support/dns-clients.ts';
import { proxyLog, startTestProxy, startTestSites, type Seen, type TestProxy, type TestSites } from '../support/proxy.ts';

let sites: TestSites;
let proxy: TestProxy;

before(async () => {
  sites = await startTestSites();
  proxy = await startTestProxy({
    sites,
    policy: (p) => {
      // A rule naming an address block: CONNECT to a raw IP is decided by policy too.
      p.rules.unshift({ id: 'no-lab-box', name: 'The lab box is off limits', who: 'anyone', what: { categories: [], lists: [], domains: ['127.0.0.9/32'], urls: [] }, where: 'anywhere', when: 'always', action: 'block', verdict: 'N', alert: false, expires: null });
    },
  });
});

after(async () => {
  await proxy?.stop();
  await sites?.close();
});

interface Curl {
  exit: number;
  status: number;
  body: string;
  verbose: string;
}

async function curl(url: string, extra: string[] = []): Promise<Curl> {
  const r = await run('curl', ['-sS', '-v', '-k', '--noproxy', '', '-x', proxy.url, '-w', '\n%{http_code}', ...extra, url]);
  const cut = r.stdout.lastIndexOf('\n');
  return { exit: r.code, status: Number(r.stdout.slice(cut + 1)), body: r.stdout.slice(0, cut), verbose: r.stderr };
}

test('plain HTTP is forwarded with Host from the URL, Via added and proxy headers removed', async () => {
  const r = await curl(`http://allowed.test:${sites.httpPort}/lesson/plan?id=4`, ['-H', 'X-Keep: yes', '-H', 'Proxy-Connection: keep-alive']);
  assert.equal(r.status, 200, r.verbose);
  const seen = JSON.parse(r.body) as Seen;
  assert.equal(seen.url, '/lesson/plan?id=4');
  assert.equal(seen.headers.host, `allowed.test:${sites.httpPort}`);
  assert.equal(seen.headers['x-keep'], 'yes');
  assert.equal(seen.headers['proxy-connection'], undefined);
  assert.match(String(seen.headers.via), /ringfence/);
  assert.match(r.verbose, /< Via: .*ringfence/i);
});

test('a request body is streamed to the site', async () => {
  const file = join(mkdtempSync(join(tmpdir(), 'rf-body-')), 'body');
  writeFileSync(file, 'x'.repeat(300_000));
  const r = await curl(`http://allowed.test:${sites.httpPort}/upload`, ['--data-binary', `@${file}`]);
  assert.equal(r.status, 200);
  assert.equal((JSON.parse(r.body) as Seen).bodyBytes, 300_000);
});

test('a large response is streamed back whole', async () => {
  const r = await run('curl', ['-sS', '--noproxy', '', '-x', proxy.url, '-o', '/dev/null', '-w', '%{size_download}', `http://allowed.test:${sites.httpPort}/bytes/5000000`]);
  assert.equal(r.stdout, '5000000');
});

test('large HTTPS downloads arrive whole through a tunnel, for fast and for slow readers', async () => {
  // TLS would fail on any lost or reordered byte; the slow reader makes the tunnel wait for 'drain'.
  for (const extra of [[], ['--limit-rate', '10M']]) {
    const r = await run('curl', ['-sS', '-k', '--noproxy', '', '-x', proxy.url, '-o', '/dev/null', '-w', '%{size_download}', ...extra, `https://allowed.test:${sites.httpsPort}/bytes/20000000`], 60_000);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '20000000');
  }
});

test('a blocked URL gets the block page, in words a pupil understands', async () => {
  const r = await curl(`http://www.pornhub.com:${sites.httpPort}/some/page`);
  assert.equal(r.status, 403);
  assert.match(r.body, /<html lang="en"/);
  assert.match(r.body, /blocked/i);
  assert.match(r.body, /https:\/\/console\.school\.test\/requests\/unblock\?/);
  assert.ok(!sites.seen.some((s) => String(s.headers.host).includes('pornhub')), 'never reaches the site');
});

test('each client is decided by its own group (address → clients file)', async () => {
  const pupil = await curl(`http://www.facebook.com:${sites.httpPort}/`);
  assert.equal(pupil.status, 403);
  const nominated = await curl(`http://www.facebook.com:${sites.httpPort}/`, ['--interface', '127.0.0.3']);
  assert.equal(nominated.status, 200, 'nominated staff may use social media (row 21)');
});

test('HTTPS through CONNECT: allowed sites tunnel, blocked ones get 403 with a reason header', async () => {
  const ok = await curl(`https://allowed.test:${sites.httpsPort}/secure`);
  assert.equal(ok.status, 200, ok.verbose);
  assert.equal((JSON.parse(ok.body) as Seen).tls, true);
  const blocked = await curl(`https://www.pornhub.com:${sites.httpsPort}/`);
  assert.notEqual(blocked.exit, 0);
  assert.match(blocked.verbose, /CONNECT tunnel failed, response 403/);
  assert.match(blocked.verbose, /< X-Ringfence-Reason: blocked: /i);
});

/** CONNECT to `target`, then TLS with `servername`; resolves with the error or the TLS socket's protocol. */
function connectThenTls(target: string, servername: string): Promise<{ status: string; tls: string }> {
  return new Promise((resolve) => {
    const raw = net.connect(proxy.port, '127.0.0.1', () => raw.write(`CONNECT ${target} HTTP/1.1\r\nHost: ${target}\r\n\r\n`));
    raw.once('data', (head: Buffer) => {
      const status = head.toString('latin1').split('\r\n')[0]!;
      if (!status.includes(' 200 ')) return resolve({ status, tls: 'none' });
      const secure = tls.connect({ socket: raw, servername, rejectUnauthorized: false });
      secure.once('secureConnect', () => {
        resolve({ status, tls: 'ok' });
        secure.destroy();
      });
      secure.once('error', (e) => resolve({ status, tls: e.message }));
    });
    raw.once('error', (e) => resolve({ status: e.message, tls: 'none' }));
  });
}

test('a ClientHello naming another site than CONNECT did is domain fronting: refused with a TLS alert', async () => {
  const honest = await connectThenTls(`allowed.test:${sites.httpsPort}`, 'allowed.test');
  assert.deepEqual(honest.tls, 'ok');
  const fronted = await connectThenTls(`allowed.test:${sites.httpsPort}`, 'www.pornhub.com');
  assert.match(fronted.status, / 200 /);
  assert.match(fronted.tls, /alert/i);
  const log = await proxyLog(proxy);
  assert.ok(log.some((r) => r.answer === 'fronting' && r.action === 'block' && r.name === 'allowed.test'), 'logged as fronting');
});

test('CONNECT to an address: decided by policy for the address and again by the SNI', async () => {
  const lab = await connectThenTls(`127.0.0.9:${sites.httpsPort}`, 'allowed.test');
  assert.match(lab.status, / 403 /, 'the rule names 127.0.0.9/32');
  const ip = await connectThenTls(`127.0.0.1:${sites.httpsPort}`, 'allowed.test');
  assert.equal(ip.tls, 'ok');
  const ipBlockedName = await connectThenTls(`127.0.0.1:${sites.httpsPort}`, 'www.pornhub.com');
  assert.match(ipBlockedName.tls, /alert/i);
});

test('ports outside the allowed list are refused', async () => {
  const r = await curl('http://allowed.test:8081/');
  assert.equal(r.status, 403);
  const t = await connectThenTls('allowed.test:22', 'allowed.test');
  assert.match(t.status, / 403 /);
});

test('an unreachable site gets a clear 502 page', async () => {
  const r = await curl(`http://allowed.test:${sites.closedPort}/`);
  assert.equal(r.status, 502);
  assert.match(r.body, /<html/);
  const t = await curl(`https://allowed.test:${sites.closedPort}/`);
  assert.match(t.verbose, /CONNECT tunnel failed, response 502/);
});

test('safe search applies to proxied traffic: names resolve through the DNS pipeline', async () => {
  const before = proxy.dns.queries.length;
  const r = await curl(`http://www.google.com:${sites.httpPort}/search?q=volcanoes`);
  assert.equal(r.status, 200, r.body.slice(0, 300));
  const asked = proxy.dns.queries.slice(before).map((q) => q.name);
  assert.ok(asked.includes('forcesafesearch.google.com'), `asked: ${asked.join(', ')}`);
  assert.ok(!asked.includes('www.google.com'));
  assert.equal((JSON.parse(r.body) as Seen).headers.host, `www.google.com:${sites.httpPort}`);
});

test('PAC and WPAD files are served for automatic browser configuration', async () => {
  for (const path of ['/proxy.pac', '/wpad.dat']) {
    const r = await run('curl', ['-sS', '-i', `${proxy.url}${path}`]);
    assert.match(r.stdout, /^HTTP\/1\.1 200/);
    assert.match(r.stdout, /Content-Type: application\/x-ns-proxy-autoconfig/i);
    assert.match(r.stdout, new RegExp(`PROXY 127\\.0\\.0\\.1:${proxy.port}`));
    assert.match(r.stdout, /function FindProxyForURL/);
  }
  const other = await run('curl', ['-sS', '-o', '/dev/null', '-w', '%{http_code}', `${proxy.url}/anything`]);
  assert.equal(other.stdout, '400');
});

test('every request is in the activity log with who, what, decision, bytes and duration', async () => {
  await curl(`http://allowed.test:${sites.httpPort}/logged?x=1`);
  await curl(`http://www.pornhub.com:${sites.httpPort}/logged`);
  await curl(`https://allowed.test:${sites.httpsPort}/logged`);
  let log = await proxyLog(proxy);
  // A tunnel is logged when it closes, a moment after curl has gone.
  for (let i = 0; i < 50 && !log.some((r) => r.answer === 'tunnel' && r.name === 'allowed.test'); i++) {
    await new Promise((r) => setTimeout(r, 100));
    log = await proxyLog(proxy);
  }
  const plain = log.find((r) => r.url === `http://allowed.test:${sites.httpPort}/logged?x=1`);
  assert.ok(plain, 'plain HTTP logged with its URL');
  assert.equal(plain.source, 'proxy');
  assert.equal(plain.type, 'GET');
  assert.equal(plain.action, 'allow');
  assert.deepEqual(plain.groups, ['pupils-ks2']);
  assert.equal(plain.status, 200);
  assert.ok((plain.bytesOut as number) > 0 && (plain.bytesIn as number) > 0);
  assert.equal(typeof plain.latencyMs, 'number');
  const blocked = log.find((r) => r.url === `http://www.pornhub.com:${sites.httpPort}/logged`);
  assert.ok(blocked);
  assert.equal(blocked.action, 'block');
  assert.ok(blocked.category && blocked.list, 'category and list that decided it');
  const tunnel = log.filter((r) => r.transport === 'connect' && r.name === 'allowed.test' && r.answer === 'tunnel').at(-1);
  assert.ok(tunnel, `the tunnel is logged by host: ${JSON.stringify(log.filter((r) => r.transport === 'connect').slice(-3))}`);
  assert.equal(tunnel.url, undefined, 'HTTPS is logged by host, not URL');
  assert.ok((tunnel.bytesOut as number) > 100, 'bytes from the site counted');
});
