// `ringfence start` (what `npm start` runs) as a real process: one process serves the API, the DNS
// server and the proxy; the first start makes the school and a one-time sign-in for the first
// administrator; a policy change approved by a second person through the API changes what dig
// and curl see without a restart; SIGTERM stops it cleanly; a second start changes nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'otplib';
import { startDnsFixture, type DnsFixture } from '../support/dns-fixture.ts';
import { dig, run, status } from '../support/dns-clients.ts';
import { ApiClient } from '../support/api.ts';

interface Started {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly web: string;
  readonly dnsPort: number;
  readonly proxyPort: number;
  readonly adminToken: string | null;
}

let upstream: DnsFixture;
const dataDir = mkdtempSync(join(tmpdir(), 'rf-start-'));
const BIN = join(import.meta.dirname, '..', '..', 'bin', 'ringfence.mjs');

function start(databaseUrl = ''): Promise<Started> {
  const child = spawn(process.execPath, [BIN, 'start', '--data', dataDir, '--http', '127.0.0.1:0', '--dns', '127.0.0.1:0', '--proxy', '127.0.0.1:0', '--upstream', `127.0.0.1:${upstream.port}`], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, DATABASE_URL: databaseUrl } });
  const lines: string[] = [];
  return new Promise((resolve, reject) => {
    let buffered = '';
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      lines.push(...parts);
      if (parts.some((l) => l === 'ringfence: ready' || l.startsWith('ringfence: filtering;'))) {
        const text = lines.join('\n');
        resolve({
          child,
          lines,
          web: /console and API on (http:\/\/\S+)/.exec(text)?.[1] ?? '',
          dnsPort: Number(/DNS on 127\.0\.0\.1:(\d+)/.exec(text)![1]),
          proxyPort: Number(/web proxy on 127\.0\.0\.1:(\d+)/.exec(text)![1]),
          adminToken: /#\/welcome\/(\S+)/.exec(text)?.[1] ?? null,
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`ringfence start exited with ${code} before it was ready:\n${lines.join('\n')}${buffered}`)));
  });
}

function stop(s: Started): Promise<number | null> {
  return new Promise((resolve) => {
    s.child.removeAllListeners('exit');
    s.child.on('exit', (code) => resolve(code));
    s.child.kill('SIGTERM');
  });
}

async function enrol(client: ApiClient, stage: string): Promise<string> {
  assert.equal(stage, 'mfa-enrolment');
  const enrolment = await client.post('/api/session/mfa/enrolment');
  assert.equal(enrolment.status, 200);
  const confirmed = await client.post('/api/session/mfa/enrolment/confirm', { code: await generate({ secret: enrolment.body.secret }) });
  assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
  assert.equal(confirmed.body.stage, 'full');
  return enrolment.body.secret;
}

before(async () => {
  upstream = await startDnsFixture({ loopback: true });
});
after(async () => {
  await upstream.close();
  rmSync(dataDir, { recursive: true, force: true });
});

test('one process: API, DNS and proxy; the first administrator; a second person approves; the change is enforced live', async () => {
  const s = await start();
  try {
    const health = await fetch(`${s.web}/api/health`);
    assert.equal(health.status, 200);
    assert.equal(((await health.json()) as { status: string }).status, "ok");
    assert.ok(s.adminToken, 'the first start prints a one-time sign-in');

    // DNS answers from the one process: an allowed name through the upstream, the canary itself.
    assert.equal(status((await dig(s.dnsPort, 'allowed.example')).stdout), 'NOERROR');
    assert.equal(status((await dig(s.dnsPort, 'use-application-dns.net')).stdout), 'NXDOMAIN');

    // The first administrator (a network manager) sets a password and enrols an authenticator.
    const admin = new ApiClient(s.web);
    const redeemed = await admin.post('/api/session/one-time', { token: s.adminToken, password: 'a long enough passphrase' });
    assert.equal(redeemed.status, 201, JSON.stringify(redeemed.body));
    await enrol(admin, redeemed.body.stage);
    const schools = await admin.get('/api/schools');
    assert.equal(schools.body.schools.length, 1);
    const schoolId = schools.body.schools[0].id;

    // A headteacher account for the second person.
    const made = await admin.post('/api/accounts', { username: 'head', role: 'headteacher', scope: [schoolId] });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const head = new ApiClient(s.web);
    const headIn = await head.post('/api/session/one-time', { token: made.body.oneTime.oneTimeToken, password: 'another long passphrase' });
    await enrol(head, headIn.body.stage);

    // The network manager drafts a rule blocking a site for anyone and submits it with a reason.
    const current = await admin.get(`/api/schools/${schoolId}/policy`);
    const document = current.body.current.document;
    document.rules.unshift({ id: 'block-test-site', name: 'Block the test site', who: 'anyone', what: { domains: ['blocked-by-test.example'] }, action: 'block' });
    assert.equal((await admin.put(`/api/schools/${schoolId}/policy/draft`, { document })).status, 200);
    const submitted = await admin.post(`/api/schools/${schoolId}/policy/draft/submit`, { reason: 'a site a pupil reported' });
    assert.equal(submitted.status, 201, JSON.stringify(submitted.body));
    assert.equal(submitted.body.published, null, 'approval is required by default');
    assert.equal(status((await dig(s.dnsPort, 'blocked-by-test.example')).stdout), 'NOERROR');

    // The author cannot approve their own change; the headteacher can.
    const own = await admin.post(`/api/schools/${schoolId}/policy/changes/${submitted.body.change.id}/approve`, {});
    assert.equal(own.status, 403);
    const approved = await head.post(`/api/schools/${schoolId}/policy/changes/${submitted.body.change.id}/approve`, { comment: 'agreed' });
    assert.equal(approved.status, 200, JSON.stringify(approved.body));
    assert.equal(approved.body.version, 2);

    // In force at once, for DNS and the proxy, without a restart.
    const blocked = await dig(s.dnsPort, 'blocked-by-test.example');
    assert.match(blocked.stdout, /0\.0\.0\.0|NXDOMAIN/);
    const curl = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-x', `http://127.0.0.1:${s.proxyPort}`, 'http://blocked-by-test.example/page']);
    assert.equal(curl.stdout, '403');
    const explained = await head.post('/api/explain', { schoolId, group: 'staff', url: 'http://blocked-by-test.example/' });
    assert.equal(explained.body.decision.action, 'block');
    assert.equal(explained.body.decision.rule, 'block-test-site');

    // The change log shows who, what, why and who approved.
    const log = await head.get(`/api/schools/${schoolId}/policy/changes`);
    const row = log.body.changes.find((c: { changeId: string }) => c.changeId === submitted.body.change.id);
    assert.equal(row.reason, 'a site a pupil reported');
    assert.equal(row.author, redeemed.body.account.id);
    assert.equal(row.decidedBy, headIn.body.account.id);
    assert.equal(row.publishedVersion, 2);

    // What DNS and the proxy logged reaches the database (ingested every few seconds) and the API.
    let found: { source: string; action: string; rule: string }[] = [];
    for (let tries = 0; tries < 60 && found.length < 2; tries++) {
      await new Promise((r) => setTimeout(r, 500));
      found = (await head.get(`/api/schools/${schoolId}/activity?host=blocked-by-test.example&decision=block`)).body.entries ?? [];
    }
    assert.deepEqual(new Set(found.map((e) => e.source)), new Set(['dns', 'proxy']), JSON.stringify(found));
    assert.ok(found.every((e) => e.rule === 'block-test-site'));
  } finally {
    assert.equal(await stop(s), 0, s.lines.join('\n'));
  }
});

test('a second start on the same data folder keeps the school and the policy and makes no new administrator', async () => {
  const s = await start();
  try {
    assert.equal(s.adminToken, null);
    assert.ok(!s.lines.some((l) => l.includes('created with the default policy pack')));
    assert.match((await dig(s.dnsPort, 'blocked-by-test.example')).stdout, /0\.0\.0\.0|NXDOMAIN/);
  } finally {
    assert.equal(await stop(s), 0);
  }
});

test('with the database unreachable, filtering still starts and enforces the last good policy', async () => {
  // PostgreSQL on a port nothing listens on: the control plane cannot start.
  const s = await start('postgres://postgres@127.0.0.1:1/ringfence');
  try {
    assert.equal(s.web, '', 'no API without the database');
    assert.ok(s.lines.some((l) => l.includes('filtering goes on with the last good policy')), s.lines.join('\n'));
    assert.match((await dig(s.dnsPort, 'blocked-by-test.example')).stdout, /0\.0\.0\.0|NXDOMAIN/, 'the approved block is still enforced');
    assert.equal(status((await dig(s.dnsPort, 'allowed.example')).stdout), 'NOERROR');
    const curl = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-x', `http://127.0.0.1:${s.proxyPort}`, 'http://blocked-by-test.example/']);
    assert.equal(curl.stdout, '403');
  } finally {
    assert.equal(await stop(s), 0);
  }
});
