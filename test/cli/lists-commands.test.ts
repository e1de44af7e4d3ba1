import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ut1Files, writeTarGz, generatedDomains } from '../services/lists/ut1-fixture.ts';

const SHARED = join('..', 'shared', 'data', 'domains');

function ringfence(args: string[], dataDir: string) {
  const r = spawnSync(process.execPath, ['bin/ringfence.mjs', ...args, '--data', dataDir], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Async, for commands that talk to a server running in this process. */
function ringfenceAsync(args: string[], dataDir: string): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['bin/ringfence.mjs', ...args, '--data', dataDir]);
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.on('close', (code) => ok({ code, out, err }));
  });
}

async function tempDir() {
  const dir = await mkdtemp(join(tmpdir(), 'rf-cli-'));
  return { dir, data: join(dir, 'data'), [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

test('lists import --format ut1 prints one line per category and rebuilds the snapshot', async () => {
  await using t = await tempDir();
  const r = ringfence(['lists', 'import', '--format', 'ut1', '--path', join(SHARED, 'ut1')], t.data);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^imported 69 lists:/m);
  assert.match(r.out, /^ut1\/gambling\s+block\s+32233\s+5\s+14\s+0$/m);
  assert.match(r.out, /^ut1\/liste_blanche\s+allow\s/m);
  assert.match(r.out, /^snapshot version \d+: \d+ domains/m);
});

test('lists import of a single file prints counts and the first bad lines', async () => {
  await using t = await tempDir();
  const hosts = ringfence(['lists', 'import', '--format', 'hosts', '--path', join(SHARED, 'blocklistproject', 'gambling_2020-09-02.txt'), '--name', 'blp/gambling', '--category', 'gambling'], t.data);
  assert.equal(hosts.code, 0, hosts.err);
  assert.match(hosts.out, /imported blp\/gambling \(block, category gambling\)/);
  assert.match(hosts.out, /58599 domains, 0 urls, 0 ips; 0 bad lines skipped/);

  const file = join(t.dir, 'allowed.txt');
  await writeFile(file, ['good.example', 'bad name', 'bad!.example', 'school.example/page'].join('\n'));
  const r = ringfence(['lists', 'import', '--format', 'domains', '--path', file, '--usage', 'allow'], t.data);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /imported allowed \(allow\)/);
  assert.match(r.out, /1 domains, 1 urls, 0 ips; 2 bad lines skipped/);
  assert.match(r.out, /allowed\.txt:2: "bad name": unexpected space/);
  assert.match(r.out, /allowed\.txt:3: "bad!\.example": .*"!"/);
});

test('lists import rejects bad options and unreadable paths with exit code 2', async () => {
  await using t = await tempDir();
  const cases: [string[], RegExp][] = [
    [['--format', 'csv', '--path', 'x'], /--format must be one of ut1, hosts, domains, adblock.*RF_ARGUMENT_INVALID/],
    [['--path', 'x'], /--format is required/],
    [['--format', 'hosts'], /--path is required.*RF_ARGUMENT_INVALID/],
    [['--format', 'hosts', '--path', 'x', '--usage', 'maybe'], /--usage must be allow or block.*RF_ARGUMENT_INVALID/],
    [['--format', 'hosts', '--path', join(t.dir, 'nope.txt')], /cannot read .*nope\.txt: no such file.*RF_LIST_UNREADABLE/],
    [['--format', 'hosts', '--path', t.dir], /is a directory.*RF_LIST_UNREADABLE/],
    [['--format', 'hosts', '--path', 'x', '--bogus'], /bogus/],
  ];
  for (const [args, message] of cases) {
    const r = ringfence(['lists', 'import', ...args], t.data);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, message);
  }
});

test('lists update downloads from --url and imports; a 404 exits 2 and keeps the lists', async () => {
  await using t = await tempDir();
  const archive = join(t.dir, 'served.tar.gz');
  await writeTarGz(archive, ut1Files({ gambling: { domains: generatedDomains('gambling', 100), usage: 'black' } }));
  const body = await readFile(archive);
  const server = createServer((req, res) => {
    if (req.url === '/blacklists.tar.gz') res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  try {
    const ok = await ringfenceAsync(['lists', 'update', '--url', `${base}/blacklists.tar.gz`], t.data);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /downloaded http:\/\/127\.0\.0\.1:\d+\/blacklists\.tar\.gz/);
    assert.match(ok.out, /^ut1\/gambling\s+block\s+100\s/m);

    const missing = await ringfenceAsync(['lists', 'update', '--url', `${base}/missing.tar.gz`], t.data);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /HTTP 404.*RF_DOWNLOAD_FAILED/);
    const list = await readFile(join(t.data, 'lists', 'store', 'ut1+gambling.list'), 'utf8');
    assert.match(list, /gambling-99\.example/);
  } finally {
    server.closeAllConnections();
    await new Promise((ok) => server.close(ok));
  }
});
