// How the API server serves the console: index.html never cached and under a strict
// Content-Security-Policy, hashed assets cached for a year, a missing asset a plain 404 (not
// cached), and a clear page at / when the console has not been built.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApi } from '../../src/api/app.ts';
import { consoleFiles, CONSOLE_CSP } from '../../src/api/console-files.ts';
import { startTestApi, type TestApi } from '../support/api.ts';
import { buildConsole } from './support/console-browser.ts';

let api: TestApi;
let built: Awaited<ReturnType<typeof buildConsole>>;

before(async () => {
  built = await buildConsole();
  api = await startTestApi({ console: built.dist });
});
after(async () => {
  await api?.close();
  await built?.[Symbol.asyncDispose]();
});

test('index.html: no-cache, the strict CSP, and no inline script', async () => {
  const r = await fetch(`${api.url}/`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /text\/html/);
  assert.equal(r.headers.get('cache-control'), 'no-cache');
  assert.equal(r.headers.get('content-security-policy'), CONSOLE_CSP);
  assert.match(CONSOLE_CSP, /default-src 'self'/);
  assert.doesNotMatch(CONSOLE_CSP, /unsafe-inline|unsafe-eval|https?:/);
  const html = await r.text();
  assert.doesNotMatch(html.replace(/<script[^>]*\ssrc="[^"]+"[^>]*><\/script>/g, ''), /<script/i, 'every script is a file');
  assert.doesNotMatch(html, /https?:\/\//, 'nothing is fetched from elsewhere');
});

test('hashed assets are cached for a year; a missing one is a 404 that is not cached', async () => {
  const html = await (await fetch(`${api.url}/`)).text();
  const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!;
  const r = await fetch(`${api.url}${script}`);
  assert.equal(r.status, 200);
  assert.match(r.headers.get('content-type')!, /javascript/);
  assert.equal(r.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  const missing = await fetch(`${api.url}/assets/not-there-1234.js`);
  assert.equal(missing.status, 404);
  assert.doesNotMatch(missing.headers.get('cache-control') ?? '', /immutable/);
  const outside = await fetch(`${api.url}/assets/..%2f..%2fpackage.json`);
  assert.notEqual(outside.status, 200);
});

test('the API is still the API next to the console', async () => {
  const r = await fetch(`${api.url}/api/session`);
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('cache-control'), 'no-store');
});

test('when web/dist is missing, / says how to build the console', async () => {
  const empty = await mkdtemp(join(tmpdir(), 'rf-no-console-'));
  const app = await buildApi({ routes: [], sessions: { resume: async () => null }, schoolVisible: async () => false, logError: () => {}, extra: consoleFiles(join(empty, 'dist')) });
  try {
    const r = await app.inject({ method: 'GET', url: '/' });
    assert.equal(r.statusCode, 503);
    assert.match(r.body, /npm run build:web/);
    assert.equal(r.headers['content-security-policy'], CONSOLE_CSP);
  } finally {
    await app.close();
    await rm(empty, { recursive: true, force: true });
  }
});
