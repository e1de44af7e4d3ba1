// The DNS server with real clients (dig) over UDP and TCP, against a fixture upstream on loopback.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify as toYaml } from 'yaml';
import { parseDnsConfig } from '../../src/server/dns-config.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { startDnsService, type DnsService } from '../../src/server/dns-service.ts';
import { fixtureAddress, startDnsFixture, type DnsFixture } from '../support/dns-fixture.ts';
import { answers, dig, status } from '../support/dns-clients.ts';

let upstream: DnsFixture;
let service: DnsService;
let port: number;
let dataDir: string;
const lines: string[] = [];

before(async () => {
  upstream = await startDnsFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'rf-dns-'));
  // This school allows YouTube (row 24 blocks video by default) so safe search has something to do.
  const policy = loadDefaultPack();
  policy.rules.unshift({ id: 'allow-youtube', name: 'YouTube for learning', who: 'anyone', what: { categories: [], lists: [], domains: ['youtube.com'], urls: [] }, where: 'anywhere', when: 'always', action: 'allow', verdict: 'A', alert: false, expires: null });
  writeFileSync(join(dataDir, 'policy.yaml'), toYaml(policy));
  const clients = join(dataDir, 'clients.csv');
  // dig -b picks the source address: 127.0.0.3 is a nominated teacher, 127.0.0.4 staff, the rest pupils.
  writeFileSync(clients, 'address,group,user\n127.0.0.3,nominated-staff,teacher.n\n127.0.0.4,staff,teacher.s\n127.0.0.0/8,pupils-ks2\n');
  const config = parseDnsConfig({ listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}`, data: dataDir, clients, 'rate-limit': '0' });
  service = await startDnsService(config, (l) => lines.push(l));
  port = service.udp.port;
});

after(async () => {
  await service?.stop();
  await upstream?.close();
});

test('allowed names are forwarded, over UDP and TCP', async () => {
  for (const extra of [[], ['+tcp']]) {
    const r = await dig(port, 'allowed.example.test', 'A', extra);
    assert.equal(status(r.stdout), 'NOERROR', r.stdout);
    assert.deepEqual(answers(r.stdout).map((a) => a[4]), [fixtureAddress('allowed.example.test')]);
  }
  const edns = await dig(port, 'allowed.example.test');
  assert.match(edns.stdout, /EDNS: version: 0, flags:; udp: 1232/, 'EDNS(0) with a 1232-byte buffer');
});

test('blocked names answer 0.0.0.0 and :: at once, with the rule in the log', async () => {
  const a = await dig(port, 'www.pornhub.com');
  assert.deepEqual(answers(a.stdout).map((x) => x[4]), ['0.0.0.0']);
  const aaaa = await dig(port, 'www.pornhub.com', 'AAAA', ['+tcp']);
  assert.deepEqual(answers(aaaa.stdout).map((x) => x[4]), ['::']);
  assert.ok(!upstream.queries.some((q) => q.name.includes('pornhub')), 'blocked names never reach upstream');
});

test('each client is decided by its own group', async () => {
  const pupil = await dig(port, 'www.facebook.com');
  assert.deepEqual(answers(pupil.stdout).map((x) => x[4]), ['0.0.0.0']);
  const nominated = await dig(port, 'www.facebook.com', 'A', ['-b', '127.0.0.3']);
  assert.deepEqual(answers(nominated.stdout).map((x) => x[4]), [fixtureAddress('www.facebook.com')]);
  const staff = await dig(port, 'www.facebook.com', 'A', ['-b', '127.0.0.4']);
  assert.deepEqual(answers(staff.stdout).map((x) => x[4]), ['0.0.0.0'], 'staff not nominated: row 21 is N');
});

test('safe search by CNAME, as in ../shared/data/safesearch', async () => {
  const csv = readFileSync('../shared/data/safesearch/DERIVED_safesearch_cname_expectations.csv', 'utf8').trim().split('\n').slice(1);
  assert.ok(csv.length >= 4);
  for (const line of csv) {
    const [engine, name, expected] = line.split(',') as [string, string, string];
    const r = await dig(port, name);
    const rows = answers(r.stdout);
    assert.equal(rows[0]?.[3], 'CNAME', `${engine}: ${r.stdout}`);
    assert.equal(rows[0]?.[4], `${expected}.`, engine);
    assert.equal(rows[1]?.[4], fixtureAddress(expected), `${engine}: the target's address follows`);
  }
  for (const google of ['google.co.uk', 'www.google.de', 'WWW.Google.Com']) {
    assert.equal(answers((await dig(port, google)).stdout)[0]?.[4], 'forcesafesearch.google.com.', google);
  }
  const strict = await dig(port, 'm.youtube.com');
  assert.equal(answers(strict.stdout)[0]?.[4], 'restrict.youtube.com.', 'pupils get strict');
  const moderate = await dig(port, 'www.youtube.com', 'A', ['-b', '127.0.0.4']);
  assert.equal(answers(moderate.stdout)[0]?.[4], 'restrictmoderate.youtube.com.', 'staff get moderate');
});

test('circumvention: canaries NXDOMAIN, ANY minimal, DoH resolvers blocked for pupils', async () => {
  for (const name of ['use-application-dns.net', 'mask.icloud.com', 'mask-h2.icloud.com']) {
    const r = await dig(port, name, 'A', ['-b', '127.0.0.3']);
    assert.equal(status(r.stdout), 'NXDOMAIN', name);
  }
  const any = await dig(port, 'allowed.example.test', 'ANY');
  assert.deepEqual(answers(any.stdout).map((x) => [x[3], x[4], x[5]]), [['HINFO', '"RFC8482"', '""']]);
  const doh = await dig(port, 'dns.google');
  assert.deepEqual(answers(doh.stdout).map((x) => x[4]), ['0.0.0.0']);
});

test('large answers: TC=1 over UDP, full over TCP', async () => {
  const udp = await dig(port, 'big.large.test', 'TXT', ['+ignore']);
  assert.match(udp.stdout, /flags: qr tc rd ra/);
  const retried = await dig(port, 'big.large.test', 'TXT');
  assert.ok(answers(retried.stdout).length > 0, 'dig retries over TCP and gets the whole answer');
});

test('NXDOMAIN from upstream passes through and is cached', async () => {
  const first = await dig(port, 'gone.nxdomain.test');
  assert.equal(status(first.stdout), 'NXDOMAIN');
  const asked = upstream.queries.filter((q) => q.name === 'gone.nxdomain.test').length;
  await dig(port, 'gone.nxdomain.test');
  assert.equal(upstream.queries.filter((q) => q.name === 'gone.nxdomain.test').length, asked, 'served from the negative cache');
});

test('with every upstream down: SERVFAIL within 2 s for allowed names, blocked names still answered', async () => {
  upstream.setBehaviour('drop');
  try {
    const started = Date.now();
    const r = await dig(port, 'not-cached.example.test');
    const elapsed = Date.now() - started;
    assert.equal(status(r.stdout), 'SERVFAIL');
    assert.ok(elapsed < 2500, `answered in ${elapsed} ms`);
    assert.deepEqual(answers((await dig(port, 'www.bet365.com')).stdout).map((x) => x[4]), ['0.0.0.0']);
    assert.equal(status((await dig(port, 'allowed.example.test')).stdout), 'NOERROR', 'cached answers still served');
  } finally {
    upstream.setBehaviour('normal');
  }
});

test('the query log names the decision for every query', async () => {
  await service.activity.flush();
  const day = new Date().toISOString().slice(0, 10);
  const records = readFileSync(join(dataDir, 'logs', 'dns', `${day}.jsonl`), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const blocked = records.find((r) => r.name === 'www.pornhub.com' && r.type === 'A');
  assert.deepEqual(
    [blocked.action, blocked.answer, blocked.rule, blocked.category, blocked.list, blocked.tier, blocked.client, blocked.groups],
    ['block', 'blocked', 'row-05-pornography', 'pornography', 'builtin/pornography', 'school', '127.0.0.1', ['pupils-ks2']],
  );
  const teacher = records.find((r) => r.name === 'www.facebook.com' && r.client === '127.0.0.3');
  assert.equal(teacher.user, 'teacher.n');
  assert.ok(records.every((r) => typeof r.latencyMs === 'number' && r.time));
});

test('HTTPS answers lose ech and the h3 ALPN ids (kdig reads them), so browsers stay on TCP with a readable SNI', async () => {
  const u16 = (n: number) => [n >> 8, n & 0xff];
  const param = (key: number, value: number[]) => [...u16(key), ...u16(value.length), ...value];
  const alpn = param(1, [...[2, ...Buffer.from('h3')], ...[2, ...Buffer.from('h2')]]);
  const ech = param(5, [0, 4, 0xfe, 0x0d, 0, 0]);
  upstream.setZone({ 'svc.example.test': [{ type: 'HTTPS', data: Uint8Array.from([...u16(1), 0, ...alpn, ...param(4, [192, 0, 2, 7]), ...ech]) }] });
  const { run } = await import('../support/dns-clients.ts');
  const r = await run('kdig', ['@127.0.0.1', '-p', String(port), '+retry=0', 'svc.example.test', 'HTTPS']);
  assert.match(r.stdout, /svc\.example\.test\.\s+\d+\s+IN\s+HTTPS\s+1 \. alpn=h2 ipv4hint=192\.0\.2\.7\s*$/m, r.stdout);
  assert.doesNotMatch(r.stdout, /ech=|h3/);
});

test('the root is forwarded as it is; names no list can hold are refused', async () => {
  const root = await dig(port, '.', 'NS');
  assert.equal(status(root.stdout), 'NOERROR', root.stdout);
  assert.ok(upstream.queries.some((q) => q.name === '' && q.type === 2), 'the root query reached upstream');
  const odd = await dig(port, 'a\\032b.example.test');
  assert.equal(status(odd.stdout), 'REFUSED', odd.stdout);
});
