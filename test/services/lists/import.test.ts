import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readFile, rm, truncate, writeFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importLists, listIdFromFileName, type ImportRequest } from '../../../src/services/lists/import.ts';
import { FileListStore } from '../../../src/storage/files/list-store.ts';
import { silentProgress, type ProgressReporter } from '../../../src/services/ports.ts';
import { ErrorCodes, RingfenceError, type ErrorCode } from '../../../src/core/errors.ts';
import { generatedDomains, ut1Files, writeTarGz } from './ut1-fixture.ts';

const SHARED = join('..', 'shared', 'data', 'domains');
const NOW = new Date('2024-05-01T10:00:00Z');

async function setup() {
  const dir = await mkdtemp(join(tmpdir(), 'rf-import-'));
  const store = new FileListStore(join(dir, 'data'));
  const run = (request: ImportRequest, progress: ProgressReporter = silentProgress) => importLists(request, { store, progress, now: () => NOW });
  return { dir, store, run, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

function hasCode(code: ErrorCode, mention?: string) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && (mention === undefined || e.message.includes(mention));
}

/** URL lines that stay different once trailing slashes and a leading www. are dropped. */
async function distinctUrlLines(path: string): Promise<number> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter((l) => l.trim() !== '');
  return new Set(lines.map((l) => l.trim().replace(/^www\./, '').replace(/(.)\/+$/, '$1'))).size;
}

function countingProgress() {
  const p = { starts: [] as { label: string; total: number | null }[], advanced: 0, calls: 0, done: 0 };
  const reporter: ProgressReporter = {
    start: (label, total) => void p.starts.push({ label, total }),
    advance: (n) => { p.advanced += n; p.calls++; },
    done: () => void p.done++,
  };
  return { p, reporter };
}

test('imports the shared UT1 folder: per-category counts match COUNTS.csv, usage decides allow/block', async () => {
  await using t = await setup();
  const { p, reporter } = countingProgress();
  const started = performance.now();
  const report = await t.run({ format: 'ut1', path: join(SHARED, 'ut1') }, reporter);
  console.log(`# UT1 folder import: ${Math.round(performance.now() - started)} ms, ${report.lists.length} lists, ${report.totalBad} bad lines`);
  assert.ok(p.calls > 50, `progress advanced ${p.calls} times`);
  assert.equal(p.advanced, p.starts[0]!.total);

  const csv = (await readFile(join(SHARED, 'ut1', 'COUNTS.csv'), 'utf8')).trim().split('\n').slice(1);
  const byId = new Map(report.lists.map((l) => [l.id, l]));
  for (const row of csv) {
    const [cat, domains, , urls] = row.split(',');
    const want = { domains: Number(domains || 0), urls: Number(urls || 0) };
    const got = byId.get(`ut1/${cat}`);
    if (want.domains + want.urls === 0) continue;
    assert.ok(got, `ut1/${cat} imported`);
    // Lines in `domains` become domain or ip entries; duplicates and bad lines make a few less.
    const close = (a: number, b: number) => a <= b && a >= b * 0.98 - 3;
    assert.ok(close(got.domains + got.ips, want.domains), `${cat}: ${got.domains}+${got.ips} vs ${want.domains} domains lines`);
    // malware and phishing list ~5% of their URLs twice, with and without a trailing "/": one entry each.
    const distinct = want.urls === 0 ? 0 : await distinctUrlLines(join(SHARED, 'ut1', cat!, 'urls'));
    assert.ok(close(got.urls, distinct) && distinct >= want.urls * 0.94, `${cat}: ${got.urls} vs ${want.urls} urls lines (${distinct} distinct)`);
  }
  assert.equal(byId.get('ut1/liste_blanche')?.usage, 'allow');
  assert.equal(byId.get('ut1/child')?.usage, 'allow');
  assert.equal(byId.get('ut1/bank')?.usage, 'block'); // says white and black
  assert.equal(byId.get('ut1/gambling')?.usage, 'block');
  assert.equal(byId.get('ut1/exceptions_liste_bu')?.usage, 'block'); // no usage file
  assert.deepEqual({ ...byId.get('ut1/adult'), badExamples: undefined, file: undefined }, {
    id: 'ut1/adult', category: null, usage: 'block', domains: 0, urls: 1090, ips: 0, bad: 0, badExamples: undefined, file: undefined,
  });
  const dyn = byId.get('ut1/dynamic-dns')!;
  assert.equal(dyn.bad, 0, JSON.stringify(dyn.badExamples)); // `.afshin.ir` lines are accepted

  const gambling = await t.store.readList('ut1/gambling');
  assert.equal(gambling.meta.usage, 'block');
  assert.equal(gambling.meta.format, 'ut1');
  assert.equal(gambling.meta.importedAt, NOW.toISOString());
  assert.ok(gambling.domains.includes('0-casino.info'));
  assert.deepEqual(gambling.urls.find((u) => u.host === 'astrolabio.net'), { host: 'astrolabio.net', path: '/casino' });
  assert.equal((await t.store.listMetas()).length, report.lists.length);
});

test('imports a UT1 .tar.gz without extracting it, whatever the order of its files', async () => {
  await using t = await setup();
  const files = ut1Files({
    gambling: { domains: [...generatedDomains('gambling', 500), 'bad name.example', '# comment'], urls: ['www.casino.example/Play/'], usage: 'black\n' },
    liste_blanche: { domains: generatedDomains('white', 20), usage: '# allowed sites\nwhite\n' },
    mixed: { domains: ['mixed.example'], usage: 'white\nblack\n' },
    urlsonly: { urls: ['example.net/a', 'example.net/b/'] },
    empty: { domains: ['# nothing here'], usage: 'black' },
    expressions_only: {},
  });
  // Put gambling's urls file last, after other categories, and prefix some names with ./
  const reordered = [...files.filter((f) => f.name !== 'blacklists/gambling/urls'), files.find((f) => f.name === 'blacklists/gambling/urls')!];
  const archive = join(t.dir, 'blacklists.tar.gz');
  await writeTarGz(archive, reordered.map((f, i) => (i % 2 ? { ...f, name: `./${f.name}` } : f)), { 'blacklists/ads': 'publicite', 'blacklists/alias/domains': '../gambling/domains' });

  const { p, reporter } = countingProgress();
  const report = await t.run({ format: 'ut1', path: archive }, reporter);
  assert.deepEqual(report.lists.map((l) => [l.id, l.usage, l.domains, l.urls, l.bad]), [
    ['ut1/gambling', 'block', 500, 1, 1],
    ['ut1/liste_blanche', 'allow', 20, 0, 0],
    ['ut1/mixed', 'block', 1, 0, 0],
    ['ut1/urlsonly', 'block', 0, 2, 0],
  ]);
  assert.deepEqual(report.skipped, [{ name: 'empty', reason: 'no valid entries (0 bad lines)' }]);
  assert.deepEqual(report.lists[0]!.badExamples, [{ line: 501, text: 'bad name.example', reason: 'unexpected space inside an entry', file: 'gambling/domains' }]);
  assert.deepEqual((await t.store.readList('ut1/gambling')).urls, [{ host: 'casino.example', path: '/Play' }]);
  assert.deepEqual((await t.store.readList('ut1/urlsonly')).urls, [{ host: 'example.net', path: '/a' }, { host: 'example.net', path: '/b' }]);
  const size = (await stat(archive)).size;
  assert.deepEqual(p.starts.map((s) => s.total), [size, size]); // check pass, then import pass
  assert.equal(p.advanced, 2 * size);
});

test('a truncated or corrupt archive is refused before any list changes', async () => {
  await using t = await setup();
  const archive = join(t.dir, 'blacklists.tar.gz');
  await writeTarGz(archive, ut1Files({ gambling: { domains: ['old.example'] } }));
  await t.run({ format: 'ut1', path: archive });
  await writeTarGz(archive, ut1Files({
    gambling: { domains: generatedDomains('new', 5000) },
    zzz: { domains: generatedDomains('zzz', 20000) },
  }));
  await truncate(archive, Math.floor((await stat(archive)).size * 0.8));
  await assert.rejects(t.run({ format: 'ut1', path: archive }), hasCode(ErrorCodes.ARCHIVE_INVALID, archive));
  assert.deepEqual((await t.store.readList('ut1/gambling')).domains, ['old.example']);
  assert.deepEqual((await t.store.listMetas()).map((m) => m.id), ['ut1/gambling']);

  await writeFile(archive, 'this is not gzip');
  await assert.rejects(t.run({ format: 'ut1', path: archive }), hasCode(ErrorCodes.ARCHIVE_INVALID));
  await writeTarGz(archive, [{ name: 'README', body: 'nothing' }]);
  await assert.rejects(t.run({ format: 'ut1', path: archive }), hasCode(ErrorCodes.LIST_EMPTY));
});

test('imports a hosts file (Block List Project gambling) under a derived or given id', async () => {
  await using t = await setup();
  const path = join(SHARED, 'blocklistproject', 'gambling_2020-09-02.txt');
  const report = await t.run({ format: 'hosts', path });
  assert.equal(report.lists.length, 1);
  const list = report.lists[0]!;
  assert.deepEqual({ id: list.id, domains: list.domains, urls: list.urls, ips: list.ips, bad: list.bad, category: list.category, usage: list.usage },
    { id: 'gambling_2020-09-02', domains: 58599, urls: 0, ips: 0, bad: 0, category: null, usage: 'block' });
  const stored = await t.store.readList('gambling_2020-09-02');
  assert.ok(stored.domains.includes('___id___.c.mystat-in.net')); // inline "#[Wildcard DNS]" comment dropped

  const named = await t.run({ format: 'hosts', path, name: 'blp/gambling', category: 'gambling', illegal: true });
  assert.equal(named.lists[0]!.id, 'blp/gambling');
  const meta = (await t.store.readList('blp/gambling')).meta;
  assert.deepEqual([meta.category, meta.illegal, meta.format, meta.counts.domains], ['gambling', true, 'hosts', 58599]);
});

test('plain domains: bad lines are skipped, counted, and the first five shown with line numbers', async () => {
  await using t = await setup();
  const path = join(t.dir, 'School Blocks.TXT');
  const lines = ['# my list', 'good.example', 'bad name', 'example.org/Path/', '10.0.0.0/8', '', 'x!y.example', '0.0.0.0 hosts.example', '*.wild.example', 'a..b', 'seventh-bad!', 'good.example', '192.0.2.1'];
  await writeFile(path, lines.join('\r\n'));
  const report = await t.run({ format: 'domains', path, usage: 'allow' });
  const list = report.lists[0]!;
  assert.equal(list.id, 'school-blocks');
  assert.equal(list.usage, 'allow');
  assert.deepEqual([list.domains, list.urls, list.ips, list.bad, report.totalBad], [1, 1, 2, 6, 6]);
  assert.deepEqual(list.badExamples.map((e) => [e.line, e.text]), [[3, 'bad name'], [7, 'x!y.example'], [8, '0.0.0.0 hosts.example'], [9, '*.wild.example'], [10, 'a..b']]);
  assert.match(list.badExamples[2]!.reason, /--format hosts/);
  assert.equal(list.file, path);
});

test('adblock: ||domain^ rules import, other rules are reported as unsupported', async () => {
  await using t = await setup();
  const path = join(t.dir, 'filters.txt');
  await writeFile(path, ['[Adblock Plus 2.0]', '! Title: test', '||ads.example^', '||track.example^$important', '@@||ok.example^', 'example.com##.banner', '||x.example^$badfilter', '||ads.example^'].join('\n'));
  const list = (await t.run({ format: 'adblock', path })).lists[0]!;
  assert.deepEqual([list.id, list.domains, list.bad], ['filters', 2, 3]);
  assert.deepEqual(list.badExamples.map((e) => e.reason), ['exception rules (@@) are not supported', 'element-hiding (cosmetic) rules are not supported', 'unsupported option $badfilter: it changes what the rule blocks']);
});

test('re-importing the same list replaces it', async () => {
  await using t = await setup();
  const path = join(t.dir, 'list.txt');
  await writeFile(path, 'a.example\nb.example\n');
  await t.run({ format: 'domains', path });
  await writeFile(path, 'c.example\n');
  await t.run({ format: 'domains', path });
  await t.run({ format: 'domains', path });
  assert.deepEqual((await t.store.listMetas()).map((m) => m.id), ['list']);
  assert.deepEqual((await t.store.readList('list')).domains, ['c.example']);
});

test('unreadable paths and empty lists are errors, never empty lists', async () => {
  await using t = await setup();
  const missing = join(t.dir, 'missing.txt');
  await assert.rejects(t.run({ format: 'hosts', path: missing }), hasCode(ErrorCodes.LIST_UNREADABLE, missing));
  await assert.rejects(t.run({ format: 'ut1', path: missing }), hasCode(ErrorCodes.LIST_UNREADABLE, missing));
  await mkdir(join(t.dir, 'folder'));
  await assert.rejects(t.run({ format: 'domains', path: join(t.dir, 'folder') }), hasCode(ErrorCodes.LIST_UNREADABLE, 'directory'));
  await assert.rejects(t.run({ format: 'ut1', path: join(t.dir, 'folder') }), hasCode(ErrorCodes.LIST_EMPTY));
  if (process.getuid?.() !== 0) {
    const locked = join(t.dir, 'locked.txt');
    await writeFile(locked, 'a.example\n');
    await chmod(locked, 0o000);
    await assert.rejects(t.run({ format: 'domains', path: locked }), hasCode(ErrorCodes.LIST_UNREADABLE, 'permission denied'));
  }
  const comments = join(t.dir, 'comments.txt');
  await writeFile(comments, '# only comments\n\nnot a domain!\n');
  await assert.rejects(t.run({ format: 'domains', path: comments }), hasCode(ErrorCodes.LIST_EMPTY, comments));
  assert.deepEqual(await t.store.listMetas(), []);
});

test('request validation and the derived list id rule', async () => {
  await using t = await setup();
  const path = join(t.dir, 'x.txt');
  await assert.rejects(t.run({ format: 'ut1', path, name: 'x' }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--name'));
  await assert.rejects(t.run({ format: 'ut1', path, usage: 'allow' }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--usage'));
  await assert.rejects(t.run({ format: 'hosts', path, name: 'Bad Name' }), hasCode(ErrorCodes.LIST_NAME_INVALID, '--name'));
  await assert.rejects(t.run({ format: 'hosts', path, category: 'Not OK' }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--category'));
  await assert.rejects(t.run({ format: 'csv' as 'hosts', path }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--format'));
  await assert.rejects(t.run({ format: 'hosts', path: '' }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--path'));
  await writeFile(join(t.dir, '---.txt'), 'a.example\n');
  await assert.rejects(t.run({ format: 'domains', path: join(t.dir, '---.txt') }), hasCode(ErrorCodes.ARGUMENT_INVALID, '--name'));
  assert.equal(listIdFromFileName('Gambling List (2020).txt'), 'gambling-list-2020');
  assert.equal(listIdFromFileName('sinfonietta_gambling-hosts'), 'sinfonietta_gambling-hosts');
  assert.equal(listIdFromFileName('.hidden.list'), 'hidden');
  assert.equal(listIdFromFileName('Über Liste.txt'), 'ber-liste');
});
