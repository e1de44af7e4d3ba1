import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { updateLists } from '../../../src/services/lists/update.ts';
import { FileListStore } from '../../../src/storage/files/list-store.ts';
import { silentProgress, type ProgressReporter } from '../../../src/services/ports.ts';
import { ErrorCodes, RingfenceError, type ErrorCode } from '../../../src/core/errors.ts';
import { generatedDomains, ut1Files, writeTarGz } from './ut1-fixture.ts';

async function listen(handler: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/blacklists.tar.gz` };
}

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'rf-update-'));
  const dataDir = join(dir, 'data');
  const store = new FileListStore(dataDir);
  const archive = join(dir, 'served.tar.gz');
  await writeTarGz(archive, ut1Files({
    gambling: { domains: generatedDomains('gambling', 3000), usage: 'black' },
    liste_blanche: { domains: ['school.example'], usage: 'white' },
  }));
  const body = await readFile(archive);
  const servers: Server[] = [];
  const serve = async (handler: RequestListener) => {
    const s = await listen(handler);
    servers.push(s.server);
    return s.url;
  };
  const update = (url: string, progress: ProgressReporter = silentProgress, idleTimeoutMs?: number) =>
    updateLists({ dataDir, url, idleTimeoutMs }, { store, progress, now: () => new Date('2024-05-01T00:00:00Z') });
  const dispose = async () => {
    for (const s of servers) s.closeAllConnections();
    await Promise.all(servers.map((s) => new Promise((ok) => s.close(ok))));
    await rm(dir, { recursive: true, force: true });
  };
  return { dataDir, store, body, serve, update, [Symbol.asyncDispose]: dispose };
}

function hasCode(code: ErrorCode, ...mentions: RegExp[]) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && mentions.every((m) => m.test(e.message));
}

test('downloads the archive over HTTP with progress and imports it', async () => {
  await using t = await setup();
  const url = await t.serve((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': t.body.length });
    // Several writes, so progress moves more than once.
    for (let i = 0; i < t.body.length; i += 4096) res.write(t.body.subarray(i, i + 4096));
    res.end();
  });
  const starts: (number | null)[] = [];
  let advanced = 0;
  const report = await t.update(url, { start: (_l, total) => void starts.push(total), advance: (n) => void (advanced += n), done() {} });
  assert.equal(report.bytes, t.body.length);
  assert.equal(starts[0], t.body.length);
  assert.ok(advanced >= 3 * t.body.length); // download, check pass, import pass
  assert.deepEqual(report.imported.lists.map((l) => [l.id, l.usage, l.domains]), [['ut1/gambling', 'block', 3000], ['ut1/liste_blanche', 'allow', 1]]);
  assert.equal((await t.store.readList('ut1/gambling')).meta.source, url);
  assert.equal(report.imported.lists[0]!.file, `${url}:blacklists/gambling`);
  assert.deepEqual(await readdir(join(t.dataDir, 'lists', 'downloads')), ['ut1-blacklists.tar.gz']);
});

test('works without a content-length (chunked body)', async () => {
  await using t = await setup();
  const url = await t.serve((_req, res) => {
    res.writeHead(200);
    res.end(t.body);
  });
  const starts: (number | null)[] = [];
  await t.update(url, { start: (_l, total) => void starts.push(total), advance() {}, done() {} });
  assert.equal(starts[0], null);
  assert.equal((await t.store.readList('ut1/liste_blanche')).meta.usage, 'allow');
});

test('HTTP errors, refused connections, cut-off bodies and stalls are RF_DOWNLOAD_FAILED; the lists stay', async () => {
  await using t = await setup();
  const good = await t.serve((_req, res) => res.end(t.body));
  await t.update(good);
  const before = await t.store.readList('ut1/gambling');

  const notFound = await t.serve((_req, res) => {
    res.writeHead(404, 'Not Found');
    res.end('no such file');
  });
  await assert.rejects(t.update(notFound), hasCode(ErrorCodes.DOWNLOAD_FAILED, /HTTP 404/, /127\.0\.0\.1/));

  const refused = await listen(() => {});
  await new Promise((ok) => refused.server.close(ok));
  await assert.rejects(t.update(refused.url), hasCode(ErrorCodes.DOWNLOAD_FAILED, /ECONNREFUSED/));

  const cut = await t.serve((_req, res) => {
    res.writeHead(200, { 'content-length': t.body.length });
    res.write(t.body.subarray(0, t.body.length >> 1), () => res.destroy());
  });
  await assert.rejects(t.update(cut), hasCode(ErrorCodes.DOWNLOAD_FAILED));

  const stall = await t.serve((_req, res) => {
    res.writeHead(200, { 'content-length': t.body.length });
    res.write(t.body.subarray(0, 100));
  });
  await assert.rejects(t.update(stall, silentProgress, 300), hasCode(ErrorCodes.DOWNLOAD_FAILED, /timed out/));

  const garbage = await t.serve((_req, res) => res.end('<html>not an archive</html>'));
  await assert.rejects(t.update(garbage), hasCode(ErrorCodes.ARCHIVE_INVALID, /127\.0\.0\.1/));

  assert.deepEqual(await t.store.readList('ut1/gambling'), before);
  // No partial downloads left behind; the kept archive is still the one the lists came from.
  assert.deepEqual(await readdir(join(t.dataDir, 'lists', 'downloads')), ['ut1-blacklists.tar.gz']);
  assert.deepEqual(await readFile(join(t.dataDir, 'lists', 'downloads', 'ut1-blacklists.tar.gz')), t.body);
});

test('only http and https URLs are accepted', async () => {
  await using t = await setup();
  await assert.rejects(t.update('file:///etc/passwd'), hasCode(ErrorCodes.ARGUMENT_INVALID, /--url/));
  await assert.rejects(t.update('not a url'), hasCode(ErrorCodes.ARGUMENT_INVALID, /--url/));
});
