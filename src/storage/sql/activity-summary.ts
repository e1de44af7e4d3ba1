// The dashboard's summary of the activity table: grouped counts over a bounded window, each query a
// range scan of one of the (school, …, time) indexes.
import { sql, type Kysely } from 'kysely';
import { fillBuckets, type ActivitySummary, type Ranked, type SummaryWindow } from '../../core/activity/summary.ts';
import type { ActivitySummaryReader } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';

const num = (v: unknown) => Number(v);

export class SqlActivitySummary implements ActivitySummaryReader {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(database: Database) {
    this.#db = database.db;
  }

  async summarise(w: SummaryWindow): Promise<ActivitySummary> {
    const inWindow = sql`school_id = ${w.schoolId} and at_ms >= ${w.fromMs} and at_ms < ${w.toMs}`;
    // A literal, not a parameter: SQLite would divide by a bound number as REAL (no flooring).
    const bucket = sql`(at_ms / ${sql.lit(w.bucketMs)}) * ${sql.lit(w.bucketMs)}`;
    const counted = await sql<{ start: unknown; requests: unknown; blocks: unknown }>`
      select ${bucket} as start, count(*) as requests, sum(case when decision = 'block' then 1 else 0 end) as blocks
      from activity_events where ${inWindow} group by ${bucket}`.execute(this.#db);
    const top = async (column: 'category' | 'host' | 'username' | 'device_key'): Promise<Ranked[]> => {
      const rows = await sql<{ key: string; blocks: unknown }>`
        select ${sql.ref(column)} as key, count(*) as blocks from activity_events
        where ${inWindow} and decision = 'block' and ${sql.ref(column)} is not null
        group by ${sql.ref(column)} order by blocks desc, key limit ${w.top}`.execute(this.#db);
      return rows.rows.map((r) => ({ key: r.key, blocks: num(r.blocks) }));
    };
    const byStart = new Map(counted.rows.map((r) => [num(r.start), { requests: num(r.requests), blocks: num(r.blocks) }]));
    const buckets = fillBuckets(w, byStart);
    return {
      from: new Date(w.fromMs).toISOString(),
      to: new Date(w.toMs).toISOString(),
      bucket: w.bucketMs === 3_600_000 ? 'hour' : 'day',
      buckets,
      requests: buckets.reduce((n, b) => n + b.requests, 0),
      blocks: buckets.reduce((n, b) => n + b.blocks, 0),
      topCategories: await top('category'),
      topSites: await top('host'),
      topUsers: await top('username'),
      topDevices: await top('device_key'),
    };
  }
}
