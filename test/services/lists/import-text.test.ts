// A list uploaded as text: progress counts every line once, the stored list is never illegal, and
// text that is not a list is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ListEntry, ListMeta } from '../../../src/core/lists/entry.ts';
import { importTextList } from '../../../src/services/lists/import-text.ts';
import type { ListStore, ProgressReporter, StoredList } from '../../../src/services/ports.ts';

function memoryStore(): ListStore & { written: { meta: ListMeta; entries: ListEntry[] }[] } {
  const written: { meta: ListMeta; entries: ListEntry[] }[] = [];
  return {
    written,
    async writeList(meta, entries) {
      written.push({ meta, entries: [...entries] });
    },
    async removeList() {},
    async listMetas() {
      return written.map((w) => w.meta);
    },
    async readList(): Promise<StoredList> {
      throw new Error('not used');
    },
  };
}

function recorder(): ProgressReporter & { total: number | null; advanced: number } {
  const r = {
    total: null as number | null,
    advanced: 0,
    start(_label: string, total: number | null) {
      r.total = total;
    },
    advance(n: number) {
      r.advanced += n;
    },
    done() {},
  };
  return r;
}

const deps = (store: ListStore, progress: ProgressReporter) => ({ store, progress, now: () => new Date('2026-01-05T09:00:00Z'), actor: '0190f3c2-0000-7000-8000-000000000001' });

test('progress covers every line across slices; the list is stored unlocked with a console source', async () => {
  const lines = Array.from({ length: 12_345 }, (_, i) => `site-${i}.example`);
  const store = memoryStore();
  const progress = recorder();
  const result = await importTextList({ name: 'school/many', category: 'games', usage: 'block', format: 'domains', text: `\uFEFF${lines.join('\r\n')}` }, deps(store, progress));
  assert.equal(progress.total, 12_345);
  assert.equal(progress.advanced, 12_345);
  assert.equal(result.domains, 12_345);
  assert.equal(result.bad, 0);
  assert.equal(store.written[0]!.meta.illegal, false);
  assert.match(store.written[0]!.meta.source, /^console:/);
});

test('text holding NUL bytes is refused as not a list', async () => {
  await assert.rejects(
    importTextList({ name: 'school/binary', category: 'games', usage: 'block', format: 'domains', text: 'a.example\n\0\0\0' }, deps(memoryStore(), recorder())),
    (e: Error & { code?: string }) => e.code === 'RF_LIST_UNREADABLE',
  );
});
