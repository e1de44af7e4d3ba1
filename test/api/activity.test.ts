// The activity log through the API: search with filters and keyset pages, CSV export streamed with
// the formula guard, the retention setting, and an audit entry for every read.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { ActivityRecord } from '../../src/core/activity/record.ts';
import { SqlAuditRepository } from '../../src/storage/sql/audit-repository.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;

function record(i: number, over: Partial<ActivityRecord> = {}): ActivityRecord {
  return {
    time: new Date(Date.UTC(2026, 10, 2, 9, 0, i)).toISOString(),
    source: i % 2 ? 'dns' : 'proxy',
    transport: 'udp',
    client: `10.20.0.${i % 5}`,
    user: i % 3 === 0 ? 'pupil.a' : null,
    device: null,
    groups: ['pupils-ks2'],
    name: `site${i}.example`,
    type: 'A',
    action: i % 4 === 0 ? 'block' : 'allow',
    answer: 'ok',
    tier: i % 4 === 0 ? 'school' : null,
    verdict: null,
    category: i % 4 === 0 ? 'gambling' : null,
    rule: null,
    list: null,
    latencyMs: 1,
    ...over,
  };
}

before(async () => {
  api = await startTestApi();
  await api.plane.activity.insert(api.school.id, [...Array.from({ length: 40 }, (_, i) => record(i)), record(40, { name: '=cmd.example', user: '=HYPERLINK("x")' })]);
});
after(() => api.close());

test('search by user and decision, page by page with no gaps, and each search is audited', async () => {
  const dsl = await api.signIn('dsl');
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: { entries: { id: string; user: string; action: string }[]; next: string | null } } = await dsl.get(`/api/schools/${api.school.id}/activity?user=pupil.a&limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    for (const e of res.body.entries) assert.equal(e.user, 'pupil.a');
    seen.push(...res.body.entries.map((e) => e.id));
    cursor = res.body.next;
  } while (cursor);
  assert.equal(seen.length, 14);
  assert.equal(new Set(seen).size, 14);
  const blocks = await dsl.get(`/api/schools/${api.school.id}/activity?decision=block&category=gambling`);
  assert.equal(blocks.body.entries.length, 11);
  const entries = await new SqlAuditRepository(api.plane.database).entriesAfter(0, 10_000);
  const searches = entries.filter((e) => e.action === 'activity.searched' && e.actor === dsl.accountId);
  assert.equal(searches.length, 6, 'five pages and one more search, each audited');
  assert.equal(JSON.parse(searches[0]!.detailsJson).user, 'pupil.a');
  const bad = await dsl.get(`/api/schools/${api.school.id}/activity?from=yesterday`);
  assert.equal(bad.status, 400);
});

test('CSV export streams every matching row with the formula guard', async () => {
  const nm = await api.signIn('network-manager');
  const res = await nm.get(`/api/schools/${api.school.id}/activity/export`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type')!, /^text\/csv/);
  const lines = (res.body as string).trim().split(/\r?\n/);
  assert.equal(lines.length, 42);
  const evil = lines.find((l) => l.includes('cmd.example'))!;
  assert.ok(evil.includes(`'=cmd.example`), evil);
  assert.ok(!/(^|,)=/.test(evil), evil);
});

test('the retention period is read and set within its bounds', async () => {
  const head = await api.signIn('headteacher');
  assert.equal((await head.get(`/api/schools/${api.school.id}/activity/settings`)).body.retentionDays, 365);
  assert.equal((await head.put(`/api/schools/${api.school.id}/activity/settings`, { retentionDays: 3 })).status, 400);
  assert.equal((await head.put(`/api/schools/${api.school.id}/activity/settings`, { retentionDays: 90 })).body.retentionDays, 90);
});

test('the dashboard summary: hourly requests and blocks, and the most blocked categories, sites and users', async () => {
  const head = await api.signIn('headteacher');
  const res = await head.get(`/api/schools/${api.school.id}/activity/summary?from=2026-11-02T08:00:00Z&to=2026-11-02T11:00:00Z`);
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.bucket, 'hour');
  assert.deepEqual(res.body.buckets.map((b: { requests: number }) => b.requests), [0, 41, 0]);
  assert.equal(res.body.blocks, 11);
  assert.deepEqual(res.body.topCategories, [{ key: 'gambling', blocks: 11 }]);
  assert.equal(res.body.topSites.length, 10);
  assert.deepEqual(res.body.topUsers[0], { key: 'pupil.a', blocks: 4 });
  const tooLong = await head.get(`/api/schools/${api.school.id}/activity/summary?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z`);
  assert.equal(tooLong.status, 400);
});
