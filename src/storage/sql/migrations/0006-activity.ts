// The activity log in the database: one row per DNS query or proxied request, the position ingest
// reached in each log file, and each school's retention period.
// Times are Unix milliseconds in a bigint (not the usual ISO text/timestamptz): the table holds
// millions of rows and every index ends with the time, so 8 bytes instead of 24 keeps the indexes
// small on SQLite, and both databases compare and page on the same integer.
// Each index is (school, filter column, time[, id]): every search by user, device, category or
// decision, newest first, is one index range scan. On SQLite the row id is already the last column
// of every index entry. Each index costs inserts (the log's write rate), so there are no more than
// these; host and source filter the rows of one of these ranges.
import { sql, type Kysely, type Migration } from 'kysely';
import { MAX_ACTIVITY_RETENTION_DAYS, MIN_ACTIVITY_RETENTION_DAYS } from '../../../core/activity/retention.ts';
import { columnTypes, type DatabaseKind } from './column-types.ts';

/** The filters with an index of their own (besides time alone). */
export const ACTIVITY_INDEXED_COLUMNS = ['username', 'device_key', 'category', 'decision'] as const;

export function activityMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  const tail = kind === 'postgres' ? ['at_ms', 'id'] : ['at_ms'];
  return {
    async up(db: Kysely<unknown>) {
      let table = db.schema.createTable('activity_events');
      table = kind === 'postgres'
        ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : table.addColumn('id', 'integer', (c) => c.primaryKey());
      await table
        .addColumn('school_id', t.id, (c) => c.notNull().references('schools.id').onDelete('restrict'))
        .addColumn('at_ms', t.bigint, (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('dns', 'proxy')`))
        .addColumn('transport', 'text', (c) => c.notNull())
        .addColumn('client', 'text', (c) => c.notNull())
        .addColumn('username', 'text')
        .addColumn('device', 'text')
        // What the device filter matches: the device's label, or the client address when there is none.
        .addColumn('device_key', 'text', (c) => c.notNull())
        .addColumn('groups_json', 'text', (c) => c.notNull())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('url', 'text')
        .addColumn('decision', 'text', (c) => c.notNull().check(sql`decision in ('allow', 'block')`))
        .addColumn('answer', 'text', (c) => c.notNull())
        .addColumn('tier', 'text')
        .addColumn('verdict', 'text')
        .addColumn('category', 'text')
        .addColumn('rule', 'text')
        .addColumn('list_name', 'text')
        .addColumn('rcode', 'text')
        .addColumn('status', 'integer')
        .addColumn('ref', 'text')
        .addColumn('latency_ms', kind === 'postgres' ? 'double precision' : 'real', (c) => c.notNull())
        .addColumn('bytes_in', t.bigint)
        .addColumn('bytes_out', t.bigint)
        .execute();
      await db.schema.createIndex('activity_events_school_time').on('activity_events').columns(['school_id', ...tail]).execute();
      for (const column of ACTIVITY_INDEXED_COLUMNS) {
        await db.schema.createIndex(`activity_events_school_${column}_time`).on('activity_events').columns(['school_id', column, ...tail]).execute();
      }
      await db.schema
        .createTable('activity_ingest_positions')
        // Which node's files (a name the ingester is given), so nodes sharing a database do not collide.
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('file', 'text', (c) => c.notNull())
        .addColumn('byte_offset', t.bigint, (c) => c.notNull().check(sql`byte_offset >= 0`))
        // 1 = a past day's file read to its end: later runs skip it without looking at the file.
        .addColumn('complete', 'integer', (c) => c.notNull().defaultTo(0).check(sql`complete in (0, 1)`))
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('activity_ingest_positions_pk', ['origin', 'file'])
        .execute();
      await db.schema
        .createTable('activity_settings')
        .addColumn('school_id', t.id, (c) => c.primaryKey().references('schools.id').onDelete('restrict'))
        .addColumn('retention_days', 'integer', (c) =>
          c.notNull().check(sql.raw(`retention_days between ${MIN_ACTIVITY_RETENTION_DAYS} and ${MAX_ACTIVITY_RETENTION_DAYS}`)),
        )
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['activity_settings', 'activity_ingest_positions', 'activity_events']) await db.schema.dropTable(table).execute();
    },
  };
}
