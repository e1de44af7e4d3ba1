// Deterministic activity records for tests at scale: record i is a pure function of i, so a test
// can generate millions without keeping them, and know what any search must return by computing
// the fields again. Times rise with i, three records per millisecond (ties the cursor must break).
import type { ActivityRecord } from '../../src/core/activity/record.ts';

export const GENERATED_START_MS = Date.parse('2025-09-01T07:00:00.000Z');
export const RECORDS_PER_MS = 3;

const CATEGORIES = ['search-engines', 'social-networking', 'games', 'news', 'education', 'video'] as const;

export const generated = {
  user: (i: number): string | null => (i % 10 === 9 ? null : `pupil-${i % 1999}`),
  device: (i: number): string | null => (i % 4 === 0 ? `laptop-${i % 503}` : null),
  client: (i: number): string => `10.1.${(i >> 8) % 16}.${i & 255}`,
  host: (i: number): string => `site-${i % 4001}.example`,
  category: (i: number): string | null => (i % 7 === 6 ? null : CATEGORIES[i % 6]!),
  decision: (i: number): 'allow' | 'block' => (i % 20 === 3 ? 'block' : 'allow'),
  source: (i: number): 'dns' | 'proxy' => (i % 3 === 0 ? 'proxy' : 'dns'),
  timeMs: (i: number): number => GENERATED_START_MS + Math.floor(i / RECORDS_PER_MS),
};

export function generatedRecord(i: number): ActivityRecord {
  const source = generated.source(i);
  const decision = generated.decision(i);
  const host = generated.host(i);
  return {
    time: new Date(generated.timeMs(i)).toISOString(),
    source,
    transport: source === 'dns' ? 'udp' : 'connect',
    client: generated.client(i),
    user: generated.user(i),
    device: generated.device(i),
    groups: i % 2 === 0 ? ['pupils', `year-${7 + (i % 7)}`] : ['pupils'],
    name: host,
    type: source === 'dns' ? 'A' : 'CONNECT',
    ...(source === 'proxy' ? { url: `https://${host}/page/${i % 97}`, status: decision === 'block' ? 403 : 200, bytesIn: i % 5000, bytesOut: i % 90000 } : { rcode: 'NOERROR' }),
    action: decision,
    answer: decision === 'block' ? 'blocked' : 'forwarded',
    tier: decision === 'block' ? 'school' : null,
    verdict: decision === 'block' ? 'block' : null,
    category: generated.category(i),
    rule: decision === 'block' ? 'rule-1' : null,
    list: generated.category(i),
    ref: `r${i}`,
    latencyMs: (i % 1000) / 8,
  };
}
