// The block page text in the single process (startRingfence, in this process): a damaged last-good
// file gives the built-in words and a reported problem, never a failed start; a save through the
// API reaches the running proxy at once; the next start shows the saved words from the file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStartConfig } from '../../src/server/start-config.ts';
import { startRingfence, type RunningRingfence } from '../../src/server/start.ts';
import { ApiClient, TEST_PASSWORD } from '../support/api.ts';

/** A plain-HTTP GET of a blocked site through the proxy: its <h1>. Nothing is resolved or fetched for it. */
function blockedHeading(running: RunningRingfence): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: running.proxy.listening.port, path: 'http://www.bet365.com/odds', headers: { host: 'www.bet365.com' } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString('utf8')));
      res.on('end', () => (res.statusCode === 403 ? resolve(/<h1>([^<]*)<\/h1>/.exec(body)?.[1] ?? '') : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function headteacher(running: RunningRingfence): Promise<ApiClient> {
  const control = await running.controlReady;
  const schoolId = control.first.school.id;
  await control.plane.auth.createAccount({ username: 'head-block-page', role: 'headteacher', scope: [schoolId], password: TEST_PASSWORD, email: 'head@school.test' });
  const client = new ApiClient(`http://127.0.0.1:${control.http.port}`);
  const first = await client.post('/api/session', { username: 'head-block-page', password: TEST_PASSWORD });
  assert.equal(first.status, 201);
  if (first.body.stage === 'mfa-enrolment') {
    client.totpSecret = (await client.post('/api/session/mfa/enrolment')).body.secret;
    assert.equal((await client.post('/api/session/mfa/enrolment/confirm', { code: await client.code() })).body.stage, 'full');
  }
  return client;
}

test('damaged file → built-in words and a problem; a save reaches the proxy; the next start reads it', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-start-block-'));
  try {
    mkdirSync(join(dir, 'last-good'), { recursive: true });
    writeFileSync(join(dir, 'last-good', 'block-page.json'), '{"format": 1, "text": ');
    // Port 9 (discard): nothing is forwarded for a blocked site.
    const config = parseStartConfig({ data: dir, http: '127.0.0.1:0', dns: '127.0.0.1:0', proxy: '127.0.0.1:0', upstream: '127.0.0.1:9' }, {});
    const lines: string[] = [];
    const running = await startRingfence(config, (l) => lines.push(l));
    try {
      assert.ok(lines.some((l) => /block page text .*block-page\.json cannot be read.*built-in words/.test(l)), lines.join('\n'));
      assert.equal(await blockedHeading(running), 'This site is blocked');
      const head = await headteacher(running);
      const schoolId = (await running.controlReady).first.school.id;
      const saved = await head.put(`/api/schools/${schoolId}/block-page`, { heading: 'Not for school time', explanation: '', whoToAsk: 'Ask at the office.' });
      assert.equal(saved.status, 200, JSON.stringify(saved.body));
      assert.equal(await blockedHeading(running), 'Not for school time', 'in force at once, no restart');
    } finally {
      await running.stop();
    }

    const again: string[] = [];
    const second = await startRingfence(config, (l) => again.push(l));
    try {
      assert.equal(await blockedHeading(second), 'Not for school time');
      assert.ok(!again.some((l) => /block page/i.test(l)), again.join('\n'));
    } finally {
      await second.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
