import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileListStore, listFileName } from '../../src/storage/files/list-store.ts';
import type { ListEntry, ListMeta } from '../../src/core/lists/entry.ts';
import { ErrorCodes, RingfenceError } from '../../src/core/errors.ts';

async function tempStore(): Promise<{ store: FileListStore; dir: string; [Symbol.asyncDispose](): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'rf-store-'));
  return { store: new FileListStore(dir), dir, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

function meta(id: string, extra: Partial<ListMeta> = {}): ListMeta {
  return {
    id, category: null, usage: 'block', illegal: false, source: '/src/list.txt', format: 'domains',
    importedAt: '2024-05-01T10:00:00.000Z', counts: { domains: 0, urls: 0, ips: 0 }, ...extra,
  };
}

const ENTRIES: ListEntry[] = [
  { kind: 'domain', host: 'example.com' },
  { kind: 'url', host: 'example.org', path: '/Some Path/ünïcode?q=1' },
  { kind: 'ip', family: 4, address: '10.0.0.0', prefix: 8 },
  { kind: 'ip', family: 6, address: '2001:db8::', prefix: 32 },
  { kind: 'domain', host: 'xn--bcher-kva.de' },
];

function isUnreadable(file: string) {
  return (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.LIST_UNREADABLE && e.message.includes(file);
}

test('writes and reads back a list with every kind of entry; counts come from the entries', async () => {
  await using t = await tempStore();
  await t.store.writeList(meta('ut1/gambling', { category: 'gambling', usage: 'allow', illegal: true }), ENTRIES);
  const list = await t.store.readList('ut1/gambling');
  assert.deepEqual(list.domains, ['example.com', 'xn--bcher-kva.de']);
  assert.deepEqual(list.urls, [{ host: 'example.org', path: '/Some Path/ünïcode?q=1' }]);
  assert.deepEqual(list.ips, [{ family: 4, address: '10.0.0.0', prefix: 8 }, { family: 6, address: '2001:db8::', prefix: 32 }]);
  assert.deepEqual(list.meta, meta('ut1/gambling', { category: 'gambling', usage: 'allow', illegal: true, counts: { domains: 2, urls: 1, ips: 2 } }));
  assert.deepEqual(await readdir(join(t.dir, 'lists', 'store')), ['ut1+gambling.list']);
  assert.deepEqual((await t.store.listMetas()).map((m) => m.id), ['ut1/gambling']);
});

test('an empty store lists nothing; a missing list is an error naming it', async () => {
  await using t = await tempStore();
  assert.deepEqual(await t.store.listMetas(), []);
  await assert.rejects(t.store.readList('nope'), isUnreadable('nope.list'));
  await t.store.removeList('nope'); // removing what is not there is fine
});

test('list ids map to safe file names; invalid ids are refused', async () => {
  assert.equal(listFileName('ut1/gambling'), 'ut1+gambling.list');
  assert.equal(listFileName('blp'), 'blp.list');
  await using t = await tempStore();
  for (const id of ['../etc', 'a/b/c', 'UT1/x', '', '/abs']) {
    await assert.rejects(t.store.writeList(meta(id), ENTRIES), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.LIST_NAME_INVALID, id);
  }
});

test('re-writing replaces the list; removeList deletes it', async () => {
  await using t = await tempStore();
  await t.store.writeList(meta('a'), ENTRIES);
  await t.store.writeList(meta('a'), [{ kind: 'domain', host: 'only.example' }]);
  assert.deepEqual((await t.store.readList('a')).domains, ['only.example']);
  await t.store.writeList(meta('b'), ENTRIES);
  assert.deepEqual((await t.store.listMetas()).map((m) => m.id), ['a', 'b']);
  await t.store.removeList('a');
  assert.deepEqual((await t.store.listMetas()).map((m) => m.id), ['b']);
});

test('a write that fails half-way leaves the previous list intact and no temp file', async () => {
  await using t = await tempStore();
  await t.store.writeList(meta('ut1/adult'), ENTRIES);
  function* failing(): Iterable<ListEntry> {
    for (let i = 0; i < 50_000; i++) yield { kind: 'domain', host: `d${i}.example` };
    throw new Error('source broke');
  }
  await assert.rejects(t.store.writeList(meta('ut1/adult'), failing()), /source broke/);
  const list = await t.store.readList('ut1/adult');
  assert.deepEqual(list.domains, ['example.com', 'xn--bcher-kva.de']);
  assert.deepEqual(await readdir(join(t.dir, 'lists', 'store')), ['ut1+adult.list']);
});

test('a corrupt or truncated list file is an error naming the file, never an empty list', async () => {
  await using t = await tempStore();
  await t.store.writeList(meta('x'), ENTRIES);
  const file = join(t.dir, 'lists', 'store', 'x.list');
  const good = await readFile(file);

  const flipped = Buffer.from(good);
  flipped[good.indexOf('example.com')] = 0x45; // 'E'
  await writeFile(file, flipped);
  await assert.rejects(t.store.readList('x'), (e: unknown) => isUnreadable(file)(e) && /checksum/.test((e as Error).message));

  await writeFile(file, good);
  await truncate(file, good.length - 30);
  await assert.rejects(t.store.readList('x'), isUnreadable(file));

  await writeFile(file, '');
  await assert.rejects(t.store.readList('x'), isUnreadable(file));
  await assert.rejects(t.store.listMetas(), isUnreadable(file));

  await writeFile(file, 'ringfence-list 1\n{not json\n');
  await assert.rejects(t.store.listMetas(), isUnreadable(file));
});

test('a 300k-domain list is written and read back quickly', async () => {
  await using t = await tempStore();
  const domains = Array.from({ length: 300_000 }, (_, i) => `host-${i}.category-${i % 97}.example.com`);
  const t0 = performance.now();
  await t.store.writeList(meta('big'), domains.map((host): ListEntry => ({ kind: 'domain', host })));
  const t1 = performance.now();
  const list = await t.store.readList('big');
  const t2 = performance.now();
  assert.equal(list.domains.length, 300_000);
  assert.equal(list.domains[123_456], domains[123_456]);
  assert.equal(list.meta.counts.domains, 300_000);
  console.log(`# 300k domains: write ${Math.round(t1 - t0)} ms, readList ${Math.round(t2 - t1)} ms`);
  assert.ok(t2 - t1 < 2000, `readList took ${t2 - t1} ms`);
});
