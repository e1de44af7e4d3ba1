// The activity repository's contract on every database: records round-trip, each filter finds what
// it should, keyset pages cover everything once (ties in time included), retention prunes by
// school and age, ingest positions move only from where they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeCursor } from '../../../src/core/activity/cursor.ts';
import { parseActivitySearch, type ActivitySearchInput } from '../../../src/core/activity/query.ts';
import type { ActivityRecord } from '../../../src/core/activity/record.ts';
import { DEFAULT_ACTIVITY_RETENTION_DAYS } from '../../../src/core/activity/retention.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { searchActivity } from '../../../src/services/activity/search.ts';
import { pruneActivity, setActivityRetention } from '../../../src/services/activity/retention.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { SqlActivityRepository } from '../../../src/storage/sql/activity-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { generatedRecord } from '../../support/activity-records.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const ids = uuidV7Source();
const clock = { now: () => new Date('2025-09-01T08:00:00.000Z') };

async function setUp(database: TestDatabase) {
  const organisations = new SqlOrganisationRepository(database);
  const school = await createSchool({ repository: organisations, ids, clock }, { name: 'School A' });
  const other = await createSchool({ repository: organisations, ids, clock }, { name: 'School B' });
  return { repository: new SqlActivityRepository(database), schoolId: school.id, otherId: other.id };
}

const code = (c: string) => (e: unknown) => e instanceof RingfenceError && e.code === c;
const refs = (entries: readonly ActivityRecord[]) => entries.map((e) => e.ref);
/** Refs of generated records 0..n-1 that match, newest first (higher i is newer, ties broken by insert order). */
const expected = (n: number, match: (i: number) => boolean) => Array.from({ length: n }, (_, k) => n - 1 - k).filter(match).map((i) => `r${i}`);

async function all(repository: SqlActivityRepository, schoolId: string, input: ActivitySearchInput): Promise<string[]> {
  const out: (string | undefined)[] = [];
  let cursor: string | null = null;
  do {
    const page = await searchActivity(repository, schoolId, { ...input, cursor });
    out.push(...refs(page.entries));
    cursor = page.next;
  } while (cursor !== null);
  return out as string[];
}

await eachDialect('activity repository', (dialect) => {
  test('records read back as written, optional fields absent when not stored', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const records = [generatedRecord(0), generatedRecord(1), generatedRecord(3)];
    await repository.insert(schoolId, records);
    const page = await repository.search(parseActivitySearch(schoolId, {}));
    assert.deepEqual(page.entries.map(({ id, ...r }) => r), [...records].reverse());
    assert.equal(page.next, null);
    assert.deepEqual([...new Set(page.entries.map((e) => e.id))].length, 3, 'ids are distinct');
  });

  test('each filter finds exactly its records, newest first; schools do not see each other', async () => {
    await using database = await dialect.open();
    const { repository, schoolId, otherId } = await setUp(database);
    const n = 600;
    await repository.insert(schoolId, Array.from({ length: n }, (_, i) => generatedRecord(i)));
    await repository.insert(otherId, [generatedRecord(5)]);
    const r = (i: number) => generatedRecord(i);
    const cases: [ActivitySearchInput, (i: number) => boolean][] = [
      [{ user: 'pupil-42' }, (i) => r(i).user === 'pupil-42'],
      [{ device: 'laptop-8' }, (i) => r(i).device === 'laptop-8'],
      [{ device: '10.1.1.5' }, (i) => r(i).device === null && r(i).client === '10.1.1.5'],
      [{ category: 'games' }, (i) => r(i).category === 'games'],
      [{ decision: 'block' }, (i) => r(i).action === 'block'],
      [{ source: 'proxy' }, (i) => r(i).source === 'proxy'],
      [{ host: 'SITE-17.example.' }, (i) => r(i).name === 'site-17.example'],
      [{ decision: 'block', category: 'news' }, (i) => r(i).action === 'block' && r(i).category === 'news'],
      [{ from: r(100).time, to: r(400).time }, (i) => r(i).time >= r(100).time && r(i).time < r(400).time],
      [{ user: 'pupil-7', from: r(3).time }, (i) => r(i).user === 'pupil-7' && r(i).time >= r(3).time],
    ];
    for (const [input, match] of cases) {
      const want = expected(n, match);
      assert.ok(want.length > 0, `case ${JSON.stringify(input)} matches something`);
      assert.deepEqual(await all(repository, schoolId, { ...input, limit: 7 }), want, JSON.stringify(input));
    }
    assert.deepEqual(refs((await searchActivity(repository, otherId, {})).entries), ['r5']);
    assert.equal(await repository.count(schoolId), n);
  });

  test('paging through everything, 3 records per millisecond, gives each once in order', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const n = 1000;
    await repository.insert(schoolId, Array.from({ length: n }, (_, i) => generatedRecord(i)));
    for (const limit of [1, 3, 100, 500]) {
      const got = limit === 1 ? (await all(repository, schoolId, { limit, from: generatedRecord(n - 20).time })) : await all(repository, schoolId, { limit });
      const want = limit === 1 ? expected(n, (i) => generatedRecord(i).time >= generatedRecord(n - 20).time) : expected(n, () => true);
      assert.deepEqual(got, want, `limit ${limit}`);
    }
    const first = await searchActivity(repository, schoolId, { limit: 2 });
    assert.ok(first.next);
    assert.deepEqual(decodeCursor(first.next), { atMs: Date.parse(generatedRecord(n - 2).time), id: Number(first.entries[1]!.id) });
  });

  test('the search plan is an index range scan for each indexed filter', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const filters: [ActivitySearchInput, string][] = [[{}, 'time'], [{ user: 'u' }, 'username_time'], [{ device: 'd' }, 'device_key_time'], [{ category: 'c' }, 'category_time'], [{ decision: 'block' }, 'decision_time']];
    for (const [input, index] of filters) {
      const plan = (await repository.explainSearch(parseActivitySearch(schoolId, { ...input, from: '2025-09-01T00:00:00Z', to: '2025-09-02T00:00:00Z' }))).join('\n');
      if (dialect.name === 'sqlite') {
        assert.match(plan, new RegExp(`SEARCH activity_events USING INDEX activity_events_school_${index} `), plan);
        assert.doesNotMatch(plan, /TEMP B-TREE/, 'the index gives the order: no sort');
      } else {
        // An empty table may be read sequentially by PostgreSQL: only require that no sort of all rows is planned over an index scan's range.
        assert.doesNotMatch(plan, /Sort Key: .*at_ms.*\n(?!.*Index)/, plan);
      }
    }
  });

  test('retention defaults, validates its range, and prune deletes only what is older, by school, in chunks', async () => {
    await using database = await dialect.open();
    const { repository, schoolId, otherId } = await setUp(database);
    assert.equal(await repository.retentionDays(schoolId), DEFAULT_ACTIVITY_RETENTION_DAYS);
    await assert.rejects(setActivityRetention(repository, clock, schoolId, 6), code(ErrorCodes.ACTIVITY_RETENTION_INVALID));
    await assert.rejects(setActivityRetention(repository, clock, schoolId, 2556), code(ErrorCodes.ACTIVITY_RETENTION_INVALID));
    await assert.rejects(setActivityRetention(repository, clock, schoolId, 30.5), code(ErrorCodes.ACTIVITY_RETENTION_INVALID));
    await assert.rejects(setActivityRetention(repository, clock, ids.newId(), 30), code(ErrorCodes.ORGANISATION_UNKNOWN));
    assert.equal(await setActivityRetention(repository, clock, schoolId, 7), 7);
    assert.equal(await repository.retentionDays(schoolId), 7);
    const day = 86_400_000;
    const now = Date.parse('2025-09-20T12:00:00.000Z');
    const at = (ms: number, i: number): ActivityRecord => ({ ...generatedRecord(i), time: new Date(ms).toISOString() });
    const old = Array.from({ length: 25 }, (_, i) => at(now - 7 * day - 1 - i, i));
    const kept = [at(now - 7 * day, 100), at(now - day, 101)];
    await repository.insert(schoolId, [...old, ...kept]);
    await repository.insert(otherId, old);
    assert.equal(await pruneActivity(repository, schoolId, new Date(now), 10), 25);
    assert.deepEqual(refs((await searchActivity(repository, schoolId, {})).entries), ['r101', 'r100']);
    assert.equal(await repository.count(otherId), 25, 'the other school keeps a year by default');
    assert.equal(await pruneActivity(repository, otherId, new Date(now)), 0);
    assert.equal(await pruneActivity(repository, schoolId, new Date(now)), 0);
  });

  test('ingest positions move only from the stored offset, together with their rows', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const move = { origin: 'node-1', file: 'dns/2025-09-01.jsonl', complete: false, at: '2025-09-01T08:00:00.000Z' };
    assert.deepEqual(await repository.ingestPositions('node-1'), new Map());
    await repository.appendFromFile(schoolId, [generatedRecord(1)], { ...move, fromOffset: 0, toOffset: 120 });
    await assert.rejects(repository.appendFromFile(schoolId, [generatedRecord(2)], { ...move, fromOffset: 0, toOffset: 240 }), code(ErrorCodes.ACTIVITY_INGEST_CONFLICT));
    await assert.rejects(repository.appendFromFile(schoolId, [generatedRecord(2)], { ...move, fromOffset: 100, toOffset: 240 }), code(ErrorCodes.ACTIVITY_INGEST_CONFLICT));
    assert.equal(await repository.count(schoolId), 1, 'a refused move stores no rows');
    await repository.appendFromFile(schoolId, [generatedRecord(2)], { ...move, fromOffset: 120, toOffset: 240, complete: true });
    await repository.appendFromFile(schoolId, [], { ...move, file: 'proxy/2025-09-01.jsonl', fromOffset: 0, toOffset: 0 });
    assert.deepEqual(await repository.ingestPositions('node-1'), new Map([['dns/2025-09-01.jsonl', { offset: 240, complete: true }], ['proxy/2025-09-01.jsonl', { offset: 0, complete: false }]]));
    assert.deepEqual(await repository.ingestPositions('node-2'), new Map(), 'positions are per origin');
    await assert.rejects(repository.appendFromFile(ids.newId(), [generatedRecord(3)], { ...move, file: 'x', fromOffset: 0, toOffset: 1 }), code(ErrorCodes.ORGANISATION_UNKNOWN));
    assert.equal((await repository.ingestPositions('node-1')).has('x'), false, 'the position of a refused batch is not stored');
  });
});
