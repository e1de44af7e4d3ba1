// DNS over HTTPS (RFC 8484) with kdig (HTTP/2, POST and GET) and curl, on a self-signed certificate.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { parseDnsConfig } from '../../src/server/dns-config.ts';
import { startDnsService, type DnsService } from '../../src/server/dns-service.ts';
import { fixtureAddress, startDnsFixture, type DnsFixture } from '../support/dns-fixture.ts';
import { answers, run, selfSignedCert } from '../support/dns-clients.ts';

const TOKEN = 'laptop17-4f9c2a7d1e6b8c30';
let upstream: DnsFixture;
let service: DnsService;
let base: string;
let dataDir: string;

before(async () => {
  upstream = await startDnsFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'rf-doh-'));
  const tls = await selfSignedCert();
  const tokens = join(dataDir, 'tokens.csv');
  writeFileSync(tokens, `token,group,user,device\n${TOKEN},nominated-staff,teacher.n,laptop-17\n`);
  const config = parseDnsConfig({
    listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}`, data: dataDir, 'rate-limit': '0',
    'doh-listen': '127.0.0.1:0', 'tls-cert': tls.certFile, 'tls-key': tls.keyFile, 'doh-tokens': tokens,
  });
  service = await startDnsService(config, () => {});
  base = `https://127.0.0.1:${service.doh!.port}`;
});

after(async () => {
  await service?.stop();
  await upstream?.close();
});

function kdig(path: string, name: string, extra: string[] = []) {
  return run('kdig', [`@127.0.0.1`, '-p', String(service.doh!.port), `+https=${path}`, '+retry=0', '+timeout=4', name, 'A', ...extra]);
}

test('kdig over HTTP/2: a device token identifies the device, wherever it asks from', async () => {
  const withToken = await kdig(`/dns-query/${TOKEN}`, 'www.facebook.com');
  assert.equal(withToken.code, 0, withToken.stderr);
  assert.deepEqual(answers(withToken.stdout).map((a) => a[4]), [fixtureAddress('www.facebook.com')], 'nominated staff may use social media');
  const anonymous = await kdig('/dns-query', 'www.facebook.com');
  assert.deepEqual(answers(anonymous.stdout).map((a) => a[4]), ['0.0.0.0'], 'without a token, the address decides: not nominated');
  const get = await kdig(`/dns-query/${TOKEN}`, 'www.pornhub.com', ['+https-get']);
  assert.deepEqual(answers(get.stdout).map((a) => a[4]), ['0.0.0.0'], 'GET works, and blocked is blocked for everyone');
});

async function curl(args: string[]) {
  const r = await run('curl', ['-sk', '-o', '/dev/stdout', '-w', '\n%{http_code} %{content_type}', ...args]);
  const lines = r.stdout.split('\n');
  const [status, type] = lines.at(-1)!.split(' ');
  return { status: Number(status), type, body: lines.slice(0, -1).join('\n') };
}

test('curl: GET ?dns= and POST application/dns-message; HTTP errors for bad requests', async () => {
  const query = dnsPacket.encode({ type: 'query', id: 0, flags: dnsPacket.RECURSION_DESIRED, questions: [{ type: 'A', name: 'allowed.example.test' }] });
  const get = await run('curl', ['-sk', `${base}/dns-query?dns=${Buffer.from(query).toString('base64url')}`], 10_000);
  assert.equal(get.code, 0);
  const binary = await new Promise<Buffer>((resolve, reject) => {
    import('node:child_process').then(({ execFile }) =>
      execFile('curl', ['-sk', '-H', 'content-type: application/dns-message', '--data-binary', '@-', `${base}/dns-query/${TOKEN}`], { encoding: 'buffer' }, (e, out) => (e ? reject(e) : resolve(out))).stdin!.end(Buffer.from(query)),
    );
  });
  const decoded = dnsPacket.decode(binary);
  assert.equal((decoded.answers?.[0] as { data: string }).data, fixtureAddress('allowed.example.test'));
  assert.equal((await curl([`${base}/dns-query/not-a-known-token-000000`])).status, 403, 'unknown token: refused, never unfiltered');
  assert.equal((await curl([`${base}/dns-query`])).status, 400, 'GET without ?dns=');
  assert.equal((await curl(['-X', 'POST', '-H', 'content-type: text/plain', '--data', 'x', `${base}/dns-query`])).status, 415);
  assert.equal((await curl(['-X', 'PUT', `${base}/dns-query`])).status, 405);
  assert.equal((await curl([`${base}/elsewhere`])).status, 404);
  assert.equal((await curl([`${base}/dns-query?dns=AAAA`])).status, 400, 'too short to be a DNS query');
});

test('DoH queries are logged with the device', async () => {
  await service.activity.flush();
  const day = new Date().toISOString().slice(0, 10);
  const records = readFileSync(join(dataDir, 'logs', 'dns', `${day}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const r = records.find((x) => x.transport === 'doh' && x.device === 'laptop-17' && x.name === 'www.facebook.com');
  assert.ok(r, 'a DoH record names the device');
  assert.deepEqual([r.user, r.groups, r.action], ['teacher.n', ['nominated-staff'], 'allow']);
});
