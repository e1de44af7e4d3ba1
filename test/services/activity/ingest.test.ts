// Ingest from real log files written by JsonlActivityLog into a real database: whole lines only,
// bad lines counted and skipped, files growing between and during runs, crashes mid-file, re-runs
// idempotent, finished days skipped without reading them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activityLine, type ActivityRecord } from '../../../src/core/activity/record.ts';
import { ingestActivity, type IngestOptions } from '../../../src/services/activity/ingest.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import type { ActivityLogFiles, ActivityRepository } from '../../../src/services/ports.ts';
import { activityLogFiles } from '../../../src/storage/files/activity-files.ts';
import { JsonlActivityLog } from '../../../src/storage/files/activity-log.ts';
import { SqlActivityRepository } from '../../../src/storage/sql/activity-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { generatedRecord } from '../../support/activity-records.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const DAY1 = '2025-09-01';
const DAY2 = '2025-09-02';

/** Record i on the given day (generated records, moved to that day). */
function recordOn(day: string, i: number): ActivityRecord {
  return { ...generatedRecord(i), time: `${day}T${String(8 + (i % 8)).padStart(2, '0')}:00:00.${String(i % 1000).padStart(3, '0')}Z` };
}

async function setUp(database: TestDatabase) {
  const clockAt = { now: () => new Date(`${DAY2}T10:00:00.000Z`) };
  const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids: uuidV7Source(), clock: clockAt }, { name: 'School A' });
  const dir = await mkdtemp(join(tmpdir(), 'rf-activity-'));
  const repository = new SqlActivityRepository(database);
  return { dir, repository, clock: clockAt, options: { schoolId: school.id, origin: 'node-1' } as IngestOptions, [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

async function writeLog(dir: string, records: readonly ActivityRecord[]): Promise<void> {
  const log = new JsonlActivityLog(dir, { flushMs: 60_000 });
  for (const r of records) log.append(r);
  await log.close();
}

/** Every stored ref of the school, oldest first, through the repository's own paging. */
async function storedRefs(repository: ActivityRepository, schoolId: string): Promise<string[]> {
  const out: string[] = [];
  let after = null;
  for (;;) {
    const page = await repository.search({ schoolId, filter: {}, limit: 1000, after });
    out.push(...page.entries.map((e) => e.ref!));
    if (page.next === null) return out.reverse();
    after = page.next;
  }
}

const sorted = (refs: string[]) => [...refs].sort();

await eachDialect('activity ingest', (dialect) => {
  test('whole lines in, a bad line counted, a partial last line waits, re-runs add nothing', async () => {
    await using database = await dialect.open();
    await using s = await setUp(database);
    const deps = { repository: s.repository, files: activityLogFiles(s.dir), clock: s.clock };
    const first = [...Array.from({ length: 30 }, (_, i) => recordOn(DAY1, i)), ...Array.from({ length: 20 }, (_, i) => recordOn(DAY2, 100 + i))];
    await writeLog(s.dir, first);
    const dnsDay2 = join(s.dir, 'dns', `${DAY2}.jsonl`);
    const partial = activityLine(recordOn(DAY2, 200));
    await appendFile(dnsDay2, `{"time":"not a record"}\n\n${partial.slice(0, 40)}`);

    const run1 = await ingestActivity(deps, { ...s.options, batchRows: 7, readBytes: 512 });
    assert.deepEqual({ ...run1, ms: 0 }, { files: 4, rows: 50, badLines: 1, conflicts: 0, ms: 0 });
    assert.deepEqual(sorted(await storedRefs(s.repository, s.options.schoolId)), sorted(first.map((r) => r.ref!)));

    await appendFile(dnsDay2, `${partial.slice(40)}\n`);
    const run2 = await ingestActivity(deps, { ...s.options, batchRows: 7, readBytes: 512 });
    assert.deepEqual({ ...run2, ms: 0 }, { files: 1, rows: 1, badLines: 0, conflicts: 0, ms: 0 });

    const run3 = await ingestActivity(deps, s.options);
    assert.deepEqual({ ...run3, ms: 0 }, { files: 0, rows: 0, badLines: 0, conflicts: 0, ms: 0 });
    const refs = await storedRefs(s.repository, s.options.schoolId);
    assert.equal(refs.length, 51);
    assert.equal(new Set(refs).size, 51, 'no row twice');
    const stored = (await s.repository.search({ schoolId: s.options.schoolId, filter: {}, limit: 1, after: null })).entries[0]!;
    const { id, ...record } = stored;
    assert.deepEqual(record, JSON.parse(activityLine(first.find((r) => r.ref === stored.ref)!)), 'a stored record is the line it came from');
  });

  test('a file growing while it is read: what came after the size seen waits for the next run', async () => {
    await using database = await dialect.open();
    await using s = await setUp(database);
    await writeLog(s.dir, Array.from({ length: 40 }, (_, i) => recordOn(DAY2, i)));
    const real = activityLogFiles(s.dir);
    let grown = false;
    const files: ActivityLogFiles = {
      ...real,
      async read(file, offset, length) {
        if (!grown) {
          grown = true;
          await appendFile(join(s.dir, file), `${activityLine(recordOn(DAY2, 500))}\n${activityLine(recordOn(DAY2, 501)).slice(0, 25)}`);
        }
        return real.read(file, offset, length);
      },
    };
    const run1 = await ingestActivity({ repository: s.repository, files, clock: s.clock }, { ...s.options, readBytes: 700 });
    assert.equal(run1.rows, 40);
    const run2 = await ingestActivity({ repository: s.repository, files: real, clock: s.clock }, s.options);
    assert.equal(run2.rows, 1, 'the whole line written during the first run; the partial one still waits');
    assert.equal(run2.badLines, 0);
    assert.equal(await s.repository.count(s.options.schoolId), 41);
  });

  test('a crash between batches loses and repeats nothing', async () => {
    await using database = await dialect.open();
    await using s = await setUp(database);
    const records = Array.from({ length: 100 }, (_, i) => recordOn(DAY2, i));
    await writeLog(s.dir, records);
    let calls = 0;
    const appendFromFile: ActivityRepository['appendFromFile'] = async (...args) => {
      if (++calls === 3) throw new Error('power cut');
      return s.repository.appendFromFile(...args);
    };
    const crashing = new Proxy(s.repository, {
      get: (target, name) => (name === 'appendFromFile' ? appendFromFile : (Reflect.get(target, name) as Function).bind(target)),
    });
    const files = activityLogFiles(s.dir);
    await assert.rejects(ingestActivity({ repository: crashing, files, clock: s.clock }, { ...s.options, batchRows: 10 }), /power cut/);
    const partial = await s.repository.count(s.options.schoolId);
    assert.ok(partial > 0 && partial < 100, `some batches were stored before the crash (${partial})`);
    await ingestActivity({ repository: s.repository, files, clock: s.clock }, { ...s.options, batchRows: 10 });
    assert.deepEqual(sorted(await storedRefs(s.repository, s.options.schoolId)), sorted(records.map((r) => r.ref!)));
  });

  test('a line longer than a read is skipped and counted; finished days are then skipped unread', async () => {
    await using database = await dialect.open();
    await using s = await setUp(database);
    await writeLog(s.dir, [recordOn(DAY1, 1)]);
    await appendFile(join(s.dir, 'dns', `${DAY1}.jsonl`), `${'x'.repeat(3000)}\n${activityLine(recordOn(DAY1, 4))}\n`);
    let sizes = 0;
    const real = activityLogFiles(s.dir);
    const files: ActivityLogFiles = { ...real, size: (f) => (sizes++, real.size(f)) };
    const later = { now: () => new Date('2025-09-10T00:00:00.000Z') };
    const run1 = await ingestActivity({ repository: s.repository, files, clock: later }, { ...s.options, readBytes: 1024 });
    assert.deepEqual({ ...run1, ms: 0 }, { files: 1, rows: 2, badLines: 1, conflicts: 0, ms: 0 });
    assert.deepEqual(await s.repository.ingestPositions('node-1'), new Map([[`dns/${DAY1}.jsonl`, { offset: (await real.size(`dns/${DAY1}.jsonl`))!, complete: true }]]));
    sizes = 0;
    const run2 = await ingestActivity({ repository: s.repository, files, clock: later }, s.options);
    assert.equal(run2.rows, 0);
    assert.equal(sizes, 0, 'a finished day costs no stat');
  });
});
