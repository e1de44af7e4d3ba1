// Proxy sign-in (Basic, Proxy-Authorization) against Ringfence's accounts: required on one network,
// optional elsewhere; a signed-in user is decided by their own groups, others by their address.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { run } from '../support/dns-clients.ts';
import { proxyLog, startTestProxy, startTestSites, type TestProxy, type TestSites } from '../support/proxy.ts';

let sites: TestSites;
let proxy: TestProxy;
const PASSWORD = 'correct horse battery staple';

before(async () => {
  sites = await startTestSites();
  proxy = await startTestProxy({
    sites,
    // 127.0.0.7 is a classroom network where everyone must sign in; elsewhere sign-in is optional.
    options: { auth: 'optional', 'auth-network': ['127.0.0.7/32=required'] },
    accounts: [
      { username: 'teacher.a', password: PASSWORD, groups: ['nominated-staff'] },
      { username: 'pupil.b', password: PASSWORD, groups: ['pupils-ks2'] },
    ],
  });
});

after(async () => {
  await proxy?.stop();
  await sites?.close();
});

async function status(url: string, extra: string[] = []): Promise<{ code: string; headers: string }> {
  const r = await run('curl', ['-sS', '-o', '/dev/null', '-D', '-', '-w', '%{http_code}', '--noproxy', '', '-x', proxy.url, ...extra, url]);
  return { code: r.stdout.slice(-3), headers: r.stdout };
}

test('where sign-in is required, no credentials or wrong ones get 407 with a Basic challenge', async () => {
  const url = `http://allowed.test:${sites.httpPort}/`;
  const none = await status(url, ['--interface', '127.0.0.7']);
  assert.equal(none.code, '407');
  assert.match(none.headers, /Proxy-Authenticate: Basic realm="Ringfence", charset="UTF-8"/i);
  const wrong = await status(url, ['--interface', '127.0.0.7', '--proxy-user', 'teacher.a:not the password']);
  assert.equal(wrong.code, '407');
  const unknown = await status(url, ['--interface', '127.0.0.7', '--proxy-user', `nobody.here:${PASSWORD}`]);
  assert.equal(unknown.code, '407');
  const right = await status(url, ['--interface', '127.0.0.7', '--proxy-user', `teacher.a:${PASSWORD}`]);
  assert.equal(right.code, '200');
});

test('a signed-in user is decided by their groups, not their address', async () => {
  const url = `http://www.facebook.com:${sites.httpPort}/`;
  assert.equal((await status(url)).code, '403', 'by address: a KS2 pupil');
  assert.equal((await status(url, ['--proxy-user', `teacher.a:${PASSWORD}`])).code, '200', 'nominated staff');
  assert.equal((await status(url, ['--proxy-user', `pupil.b:${PASSWORD}`])).code, '403');
  const log = await proxyLog(proxy);
  const signedIn = log.find((r) => r.user === 'teacher.a' && r.name === 'www.facebook.com');
  assert.ok(signedIn, 'the log names the user');
  assert.deepEqual(signedIn.groups, ['nominated-staff']);
});

test('CONNECT asks for and honours credentials the same way', async () => {
  const url = `https://allowed.test:${sites.httpsPort}/`;
  const none = await run('curl', ['-sS', '-k', '-v', '-o', '/dev/null', '--noproxy', '', '-x', proxy.url, '--interface', '127.0.0.7', url]);
  assert.match(none.stderr, /CONNECT tunnel failed, response 407/);
  const right = await status(url, ['-k', '--interface', '127.0.0.7', '--proxy-user', `teacher.a:${PASSWORD}`]);
  assert.equal(right.code, '200');
});

test('credentials are never forwarded to the site', async () => {
  const before = sites.seen.length;
  await status(`http://allowed.test:${sites.httpPort}/no-creds`, ['--proxy-user', `teacher.a:${PASSWORD}`]);
  const seen = sites.seen.slice(before).find((s) => s.url === '/no-creds');
  assert.ok(seen);
  assert.equal(seen.headers['proxy-authorization'], undefined);
});
