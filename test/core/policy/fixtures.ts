// Small policies and snapshots built in code for engine tests.
import { crc32 } from '../../../src/core/lists/checksum.ts';
import type { ListMeta } from '../../../src/core/lists/entry.ts';
import { buildSnapshotContents } from '../../../src/core/lists/snapshot-builder.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/core/lists/snapshot-format.ts';
import type { CategorySnapshot } from '../../../src/core/lists/snapshot.ts';
import { parsePolicy } from '../../../src/core/policy/validate.ts';
import type { Policy, PolicyInput } from '../../../src/core/policy/schema.ts';

export function meta(id: string, extra: Partial<ListMeta> = {}): ListMeta {
  return { id, category: null, usage: 'block', illegal: false, source: 'test', format: 'domains', importedAt: '2026-01-01T00:00:00Z', counts: { domains: 0, urls: 0, ips: 0 }, ...extra };
}

export function snapshotOf(lists: { id: string; domains?: string[]; urls?: { host: string; path: string }[]; meta?: Partial<ListMeta> }[]): CategorySnapshot {
  const contents = buildSnapshotContents(
    lists.map((l) => ({ meta: meta(l.id, l.meta), domains: l.domains ?? [], urls: l.urls ?? [], ips: [] })),
    { version: 1, createdAt: '2026-01-01T00:00:00Z' },
  );
  return decodeSnapshot(encodeSnapshot(contents, crc32), crc32);
}

export function policyOf(overrides: Partial<PolicyInput>): Policy {
  return parsePolicy({
    format: 1,
    school: { name: 'Test school', timeZone: 'Europe/London' },
    groups: [{ id: 'pupils', title: 'Pupils' }, { id: 'staff', title: 'Staff' }],
    schedules: { lessons: { title: 'Lessons', windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '15:00' }] } },
    calendar: { terms: [], holidays: [] },
    categories: {
      games: { title: 'Games', description: 'games', lists: ['games-list'] },
      illegal: { title: 'Illegal', description: 'illegal', lists: ['illegal-list'] },
      health: { title: 'Health', description: 'health', lists: ['health-list'], usage: 'allow' },
    },
    locked: { categories: ['illegal'] },
    rules: [],
    default: { action: 'allow' },
    safeSearch: { required: true },
    ...overrides,
  });
}

/** Monday 2026-11-23 10:00 and 19:00 in London (GMT in November). */
export const MONDAY_10 = Date.parse('2026-11-23T10:00:00Z');
export const MONDAY_19 = Date.parse('2026-11-23T19:00:00Z');
