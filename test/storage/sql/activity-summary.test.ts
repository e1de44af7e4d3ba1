// The dashboard summary on both databases: hourly buckets (empty ones included), totals, and the
// top blocked keys, from one set of rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { summaryWindow } from '../../../src/core/activity/summary.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { SqlActivityRepository } from '../../../src/storage/sql/activity-repository.ts';
import { SqlActivitySummary } from '../../../src/storage/sql/activity-summary.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect } from '../../support/databases.ts';

await eachDialect('activity summary', (dialect) => {
  test('buckets, totals and top blocked categories, sites, users and devices', async () => {
    await using database = await dialect.open();
    const clock = { now: () => new Date('2026-11-02T06:00:00Z') };
    const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids: uuidV7Source(), clock }, { name: 'Summary school' });
    const at = (h: number, m: number) => new Date(Date.UTC(2026, 10, 2, h, m)).toISOString();
    const row = (time: string, action: 'allow' | 'block', name: string, user: string | null, category: string | null) => ({
      time, source: 'dns' as const, transport: 'udp', client: '10.0.0.9', user, device: user ? null : 'tablet-3', groups: [], name, type: 'A', action, answer: 'x', tier: null, verdict: null, category, rule: null, list: null, latencyMs: 1,
    });
    await new SqlActivityRepository(database).insert(school.id, [
      row(at(9, 5), 'block', 'bet.example', 'pupil.a', 'gambling'),
      row(at(9, 10), 'block', 'bet.example', 'pupil.a', 'gambling'),
      row(at(9, 20), 'allow', 'news.example', 'pupil.b', null),
      row(at(11, 0), 'block', 'game.example', null, 'games'),
      row(at(13, 0), 'block', 'outside.example', 'pupil.c', 'games'),
    ]);
    const summary = await new SqlActivitySummary(database).summarise(summaryWindow(school.id, '2026-11-02T09:00:00Z', '2026-11-02T12:00:00Z'));
    assert.deepEqual(summary.buckets, [
      { start: '2026-11-02T09:00:00.000Z', requests: 3, blocks: 2 },
      { start: '2026-11-02T10:00:00.000Z', requests: 0, blocks: 0 },
      { start: '2026-11-02T11:00:00.000Z', requests: 1, blocks: 1 },
    ]);
    assert.equal(summary.requests, 4);
    assert.deepEqual(summary.topCategories, [{ key: 'gambling', blocks: 2 }, { key: 'games', blocks: 1 }]);
    assert.deepEqual(summary.topSites[0], { key: 'bet.example', blocks: 2 });
    assert.deepEqual(summary.topUsers, [{ key: 'pupil.a', blocks: 2 }]);
    assert.deepEqual(summary.topDevices.map((d) => d.key).sort(), ['10.0.0.9', 'tablet-3']);
  });
});
