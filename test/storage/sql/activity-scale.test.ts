// The activity log at scale: millions of generated rows on SQLite (RINGFENCE_ACTIVITY_SCALE_ROWS,
// default 2,000,000), 100,000 on PostgreSQL. Each filter's first and a deep page are exactly the
// rows expected, and the whole log exports as CSV in order with bounded heap growth. Durations are
// reported as test diagnostics (insert rate, search times, export rate).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { sql } from 'kysely';
import { ACTIVITY_CSV_COLUMNS } from '../../../src/core/activity/csv.ts';
import { parseActivitySearch, type ActivitySearchInput } from '../../../src/core/activity/query.ts';
import { exportActivityCsv, searchActivity } from '../../../src/services/activity/search.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { SqlActivityRepository } from '../../../src/storage/sql/activity-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { generated, generatedRecord } from '../../support/activity-records.ts';
import { eachDialect } from '../../support/databases.ts';

const SQLITE_ROWS = Number(process.env.RINGFENCE_ACTIVITY_SCALE_ROWS ?? 2_000_000);
const POSTGRES_ROWS = 100_000;
const INSERT_ROWS = 50_000;
/** Heap kept (measured after a full collection) while exporting: far below the CSV's size (hundreds of MB at 2M rows). */
const HEAP_BOUND = 32 * 1024 * 1024;
/** Chunks (pages of rows) between heap samples. */
const SAMPLE_EVERY = 50;

// A full collection before each sample, so what is measured is what the export keeps, not garbage.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const REF_COLUMN = ACTIVITY_CSV_COLUMNS.indexOf('ref');

/** The first `limit` indexes i < below, newest first, that match. */
function newest(below: number, limit: number, match: (i: number) => boolean): string[] {
  const out: string[] = [];
  for (let i = below - 1; i >= 0 && out.length < limit; i--) if (match(i)) out.push(`r${i}`);
  return out;
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);

await eachDialect('activity log at scale', (dialect) => {
  const rows = dialect.name === 'sqlite' ? SQLITE_ROWS : POSTGRES_ROWS;

  test(`${rows} rows: insert, search by each filter, export all as CSV`, { timeout: 600_000 }, async (t) => {
    await using database = await dialect.open();
    const clock = { now: () => new Date('2025-09-01T06:00:00.000Z') };
    const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids: uuidV7Source(), clock }, { name: 'School A' });
    const repository = new SqlActivityRepository(database);

    let started = performance.now();
    for (let from = 0; from < rows; from += INSERT_ROWS) {
      const batch = [];
      for (let i = from; i < Math.min(rows, from + INSERT_ROWS); i++) batch.push(generatedRecord(i));
      await repository.insert(school.id, batch);
    }
    const insertMs = performance.now() - started;
    t.diagnostic(`${dialect.name}: inserted ${rows} rows in ${seconds(insertMs)} s (${Math.round(rows / (insertMs / 1000))} rows/s)`);
    if (dialect.name === 'postgres') await sql`analyze activity_events`.execute(database.db);

    const mid = Math.floor(rows / 2);
    const quarter = Math.floor(rows / 4);
    const cases: [string, ActivitySearchInput, (i: number) => boolean][] = [
      ['everything', {}, () => true],
      ['user', { user: 'pupil-42' }, (i) => generated.user(i) === 'pupil-42'],
      ['device', { device: 'laptop-8' }, (i) => generated.device(i) === 'laptop-8'],
      ['client', { device: '10.1.3.77' }, (i) => generated.device(i) === null && generated.client(i) === '10.1.3.77'],
      ['category', { category: 'games' }, (i) => generated.category(i) === 'games'],
      ['decision', { decision: 'block' }, (i) => generated.decision(i) === 'block'],
      ['source', { source: 'proxy' }, (i) => generated.source(i) === 'proxy'],
      ['host', { host: 'site-17.example', from: new Date(generated.timeMs(quarter)).toISOString() }, (i) => generated.host(i) === 'site-17.example' && i >= quarter - (quarter % 3)],
      ['user and decision', { user: 'pupil-3', decision: 'block' }, (i) => generated.user(i) === 'pupil-3' && generated.decision(i) === 'block'],
    ];
    for (const [name, input, match] of cases) {
      started = performance.now();
      const first = await searchActivity(repository, school.id, { ...input, limit: 100 });
      const firstMs = performance.now() - started;
      assert.deepEqual(first.entries.map((e) => e.ref), newest(rows, 100, match), `${name}: first page`);
      // A deep page: everything before the middle of the log's time span.
      const to = new Date(generated.timeMs(mid)).toISOString();
      started = performance.now();
      const deep = await searchActivity(repository, school.id, { ...input, to, limit: 100 });
      const deepMs = performance.now() - started;
      const below = mid - (mid % 3); // the first index of mid's millisecond
      assert.deepEqual(deep.entries.map((e) => e.ref), newest(below, 100, (i) => match(i) && i < below), `${name}: deep page`);
      if (first.next) {
        started = performance.now();
        const second = await searchActivity(repository, school.id, { ...input, limit: 100, cursor: first.next });
        assert.deepEqual(second.entries.map((e) => e.ref), newest(rows, 200, match).slice(100), `${name}: second page`);
      }
      t.diagnostic(`${dialect.name}: search ${name}: first page ${firstMs.toFixed(1)} ms, deep page ${deepMs.toFixed(1)} ms${first.next ? `, next page ${(performance.now() - started).toFixed(1)} ms` : ''}`);
      if (dialect.name === 'postgres' && name !== 'everything' && name !== 'source' && name !== 'host') {
        const plan = (await repository.explainSearch(parseActivitySearch(school.id, { ...input, to }))).join('\n');
        assert.match(plan, /Index (Only )?Scan Backward using activity_events_school_/, `${name}: ${plan}`);
      }
    }

    // The whole log, as the export streams it: every row once, newest first, heap bounded.
    gc();
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = heapBefore;
    let chunks = 0;
    let expected = rows - 1;
    let bytes = 0;
    let header = true;
    started = performance.now();
    for await (const chunk of exportActivityCsv(repository, school.id, {})) {
      bytes += chunk.length;
      if (header) {
        assert.equal(chunk, `${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`);
        header = false;
        continue;
      }
      const lines = chunk.split('\r\n');
      assert.equal(lines.pop(), '', 'chunks end at a line end');
      for (const line of lines) {
        const ref = line.split(',')[REF_COLUMN];
        if (ref !== `r${expected}`) assert.fail(`row ${rows - 1 - expected} of the export is ${ref}, expected r${expected}`);
        expected--;
      }
      if (++chunks % SAMPLE_EVERY === 0) {
        gc();
        peak = Math.max(peak, process.memoryUsage().heapUsed);
      }
    }
    const exportMs = performance.now() - started;
    assert.equal(expected, -1, 'every row exported');
    const growth = peak - heapBefore;
    t.diagnostic(`${dialect.name}: exported ${rows} rows (${(bytes / 1e6).toFixed(0)} MB of CSV) in ${seconds(exportMs)} s (${Math.round(rows / (exportMs / 1000))} rows/s); heap growth ${(growth / 1e6).toFixed(1)} MB`);
    assert.ok(growth < HEAP_BOUND, `heap grew by ${growth} bytes while exporting`);
    if (rows >= 1_000_000) assert.ok(growth < bytes / 4, 'heap growth is well below the size of the data');
  });
});
