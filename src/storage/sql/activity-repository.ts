// The activity log in SQL: bulk inserts, keyset pages newest first, chunked deletes for retention,
// and the ingest position of each log file, moved in the same transaction as the rows it covers.
import { CompiledQuery, type Kysely, type Selectable } from 'kysely';
import type { ActivityCursor } from '../../core/activity/cursor.ts';
import type { ActivityEntry, ActivitySearch } from '../../core/activity/query.ts';
import type { ActivityRecord } from '../../core/activity/record.ts';
import { DEFAULT_ACTIVITY_RETENTION_DAYS } from '../../core/activity/retention.ts';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import type { ActivityIngestPosition, ActivityPositionMove, ActivityRepository, ActivityRows } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';
import type { ActivityEventsTable } from './schema-activity.ts';
import { isForeignKeyViolation, isUniqueViolation, toNumber } from './values.ts';

/** Rows per INSERT statement: 25 columns stay under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const ROWS_PER_STATEMENT = 500;

type Row = Selectable<ActivityEventsTable>;

const INSERT_COLUMNS = [
  'school_id', 'at_ms', 'source', 'transport', 'client', 'username', 'device', 'device_key', 'groups_json', 'host', 'type', 'url',
  'decision', 'answer', 'tier', 'verdict', 'category', 'rule', 'list_name', 'rcode', 'status', 'ref', 'latency_ms', 'bytes_in', 'bytes_out',
] as const satisfies readonly (keyof ReturnType<typeof toRow>)[];

function toRow(schoolId: string, r: ActivityRecord) {
  return {
    school_id: schoolId,
    at_ms: Date.parse(r.time),
    source: r.source,
    transport: r.transport,
    client: r.client,
    username: r.user,
    device: r.device,
    device_key: r.device ?? r.client,
    groups_json: JSON.stringify(r.groups),
    host: r.name,
    type: r.type,
    url: r.url ?? null,
    decision: r.action,
    answer: r.answer,
    tier: r.tier,
    verdict: r.verdict,
    category: r.category,
    rule: r.rule,
    list_name: r.list,
    rcode: r.rcode ?? null,
    status: r.status ?? null,
    ref: r.ref ?? null,
    latency_ms: r.latencyMs,
    bytes_in: r.bytesIn ?? null,
    bytes_out: r.bytesOut ?? null,
  };
}

function toEntry(row: Row): ActivityEntry {
  // Optional fields are absent when not stored, as in the record the log line held.
  return {
    id: String(row.id),
    time: new Date(toNumber(row.at_ms)).toISOString(),
    source: row.source,
    transport: row.transport,
    client: row.client,
    user: row.username,
    device: row.device,
    groups: JSON.parse(row.groups_json) as string[],
    name: row.host,
    type: row.type,
    ...(row.url !== null ? { url: row.url } : {}),
    action: row.decision,
    answer: row.answer,
    tier: row.tier,
    verdict: row.verdict,
    category: row.category,
    rule: row.rule,
    list: row.list_name,
    ...(row.rcode !== null ? { rcode: row.rcode } : {}),
    ...(row.status !== null ? { status: row.status } : {}),
    ...(row.ref !== null ? { ref: row.ref } : {}),
    latencyMs: row.latency_ms,
    ...(row.bytes_in !== null ? { bytesIn: toNumber(row.bytes_in) } : {}),
    ...(row.bytes_out !== null ? { bytesOut: toNumber(row.bytes_out) } : {}),
  };
}

/** The index for a search: the first filter given, in order of how few rows each value usually has. */
function indexFor(f: ActivitySearch['filter']): string {
  if (f.user !== undefined) return 'activity_events_school_username_time';
  if (f.device !== undefined) return 'activity_events_school_device_key_time';
  if (f.category !== undefined) return 'activity_events_school_category_time';
  if (f.decision !== undefined) return 'activity_events_school_decision_time';
  return 'activity_events_school_time';
}

function unknownSchool(schoolId: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(schoolId)}`, schoolId);
}

function conflict(move: ActivityPositionMove): RingfenceError {
  return new RingfenceError(ErrorCodes.ACTIVITY_INGEST_CONFLICT, `another ingester moved ${quoteInput(move.file)} from byte ${move.fromOffset} first; this batch was not stored`, move.file);
}

export class SqlActivityRepository implements ActivityRepository {
  readonly #db: Kysely<DatabaseSchema>;
  readonly #kind: Database['kind'];
  readonly #insertSqlCache = new Map<number, string>();

  constructor(database: Database) {
    this.#db = database.db;
    this.#kind = database.kind;
  }

  async ingestPositions(origin: string): Promise<Map<string, ActivityIngestPosition>> {
    const rows = await this.#db.selectFrom('activity_ingest_positions').select(['file', 'byte_offset', 'complete']).where('origin', '=', origin).execute();
    return new Map(rows.map((r) => [r.file, { offset: toNumber(r.byte_offset), complete: r.complete === 1 }]));
  }

  async appendFromFile(schoolId: string, records: readonly ActivityRecord[], move: ActivityPositionMove): Promise<void> {
    await this.#write(schoolId, async (trx) => {
      // The position first: a second ingester racing on the same file waits here (row lock on
      // PostgreSQL, the write lock on SQLite) and then finds the position moved.
      await this.#movePosition(trx, move);
      await this.#insertRows(trx, schoolId, records);
    });
  }

  async insert(schoolId: string, records: readonly ActivityRecord[]): Promise<void> {
    await this.#write(schoolId, (trx) => this.#insertRows(trx, schoolId, records));
  }

  async search(search: ActivitySearch): Promise<ActivityRows> {
    if (!isEntityId(search.schoolId)) return { entries: [], next: null };
    // One more than asked for: tells whether there is a next page without a second query.
    const rows = (await this.#db.executeQuery<Row>(this.#compileSearch(search))).rows;
    const more = rows.length > search.limit;
    if (more) rows.pop();
    const last = rows[rows.length - 1];
    const next: ActivityCursor | null = more && last ? { atMs: toNumber(last.at_ms), id: toNumber(last.id) } : null;
    return { entries: rows.map(toEntry), next };
  }

  /** The database's plan for a search, one line per step (to check it is an index range scan). */
  async explainSearch(search: ActivitySearch): Promise<string[]> {
    const q = this.#compileSearch(search);
    const prefix = this.#kind === 'sqlite' ? 'explain query plan ' : 'explain ';
    const result = await this.#db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
    return result.rows.map((r) => String(r.detail ?? r['QUERY PLAN']));
  }

  /**
   * Without statistics SQLite's planner prefers the (school, time) index whenever a time range is
   * given, even with a filter whose own index would be a short range: it is told which index to use.
   * PostgreSQL's planner, with its statistics, chooses well on its own.
   */
  #compileSearch(search: ActivitySearch): CompiledQuery<Row> {
    const q = this.#searchQuery(search).compile();
    if (this.#kind !== 'sqlite') return q;
    const index = indexFor(search.filter);
    const from = 'from "activity_events"';
    if (!q.sql.includes(from)) throw new Error(`activity search SQL changed shape: ${q.sql}`);
    return CompiledQuery.raw(q.sql.replace(from, `${from} indexed by "${index}"`), [...q.parameters]) as CompiledQuery<Row>;
  }

  #searchQuery(search: ActivitySearch) {
    const f = search.filter;
    let q = this.#db.selectFrom('activity_events').selectAll().where('school_id', '=', search.schoolId);
    if (f.user !== undefined) q = q.where('username', '=', f.user);
    if (f.device !== undefined) q = q.where('device_key', '=', f.device);
    if (f.host !== undefined) q = q.where('host', '=', f.host);
    if (f.category !== undefined) q = q.where('category', '=', f.category);
    if (f.decision !== undefined) q = q.where('decision', '=', f.decision);
    if (f.source !== undefined) q = q.where('source', '=', f.source);
    if (f.fromMs !== undefined) q = q.where('at_ms', '>=', f.fromMs);
    if (f.toMs !== undefined) q = q.where('at_ms', '<', f.toMs);
    const after = search.after;
    if (after !== null) q = q.where((eb) => eb(eb.refTuple('at_ms', 'id'), '<', eb.tuple(after.atMs, after.id)));
    return q.orderBy('at_ms', 'desc').orderBy('id', 'desc').limit(search.limit + 1);
  }

  async count(schoolId: string): Promise<number> {
    if (!isEntityId(schoolId)) return 0;
    const row = await this.#db.selectFrom('activity_events').select((eb) => eb.fn.countAll<string | number>().as('n')).where('school_id', '=', schoolId).executeTakeFirstOrThrow();
    return toNumber(row.n);
  }

  async retentionDays(schoolId: string): Promise<number> {
    if (!isEntityId(schoolId)) return DEFAULT_ACTIVITY_RETENTION_DAYS;
    const row = await this.#db.selectFrom('activity_settings').select('retention_days').where('school_id', '=', schoolId).executeTakeFirst();
    return row?.retention_days ?? DEFAULT_ACTIVITY_RETENTION_DAYS;
  }

  async setRetentionDays(schoolId: string, days: number, at: string): Promise<void> {
    await this.#write(schoolId, (trx) =>
      trx
        .insertInto('activity_settings')
        .values({ school_id: schoolId, retention_days: days, updated_at: at })
        .onConflict((oc) => oc.column('school_id').doUpdateSet({ retention_days: days, updated_at: at }))
        .execute(),
    );
  }

  async deleteOlderThan(schoolId: string, beforeMs: number, max: number): Promise<number> {
    if (!isEntityId(schoolId)) return 0;
    // Oldest first through the (school, time) index, so each chunk is a short range at the start.
    const result = await this.#db
      .deleteFrom('activity_events')
      .where('id', 'in', (eb) =>
        eb.selectFrom('activity_events').select('id').where('school_id', '=', schoolId).where('at_ms', '<', beforeMs).orderBy('at_ms').orderBy('id').limit(max),
      )
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #insertRows(trx: Kysely<DatabaseSchema>, schoolId: string, records: readonly ActivityRecord[]): Promise<void> {
    // The statement text is made once per row count and the values passed flat: building the query
    // through Kysely cost more per row than the database's own insert.
    for (let i = 0; i < records.length; i += ROWS_PER_STATEMENT) {
      const end = Math.min(records.length, i + ROWS_PER_STATEMENT);
      const values: unknown[] = [];
      for (let j = i; j < end; j++) {
        const row = toRow(schoolId, records[j]!);
        for (const column of INSERT_COLUMNS) values.push(row[column]);
      }
      await trx.executeQuery(CompiledQuery.raw(this.#insertSql(end - i), values));
    }
  }

  #insertSql(rows: number): string {
    let text = this.#insertSqlCache.get(rows);
    if (text === undefined) {
      let n = 0;
      const tuple = () => `(${INSERT_COLUMNS.map(() => (this.#kind === 'postgres' ? `$${++n}` : '?')).join(', ')})`;
      text = `insert into activity_events (${INSERT_COLUMNS.join(', ')}) values ${Array.from({ length: rows }, tuple).join(', ')}`;
      if (this.#insertSqlCache.size > 8) this.#insertSqlCache.clear();
      this.#insertSqlCache.set(rows, text);
    }
    return text;
  }

  async #movePosition(trx: Kysely<DatabaseSchema>, move: ActivityPositionMove): Promise<void> {
    const values = { byte_offset: move.toOffset, complete: move.complete ? 1 : 0, updated_at: move.at };
    const updated = await trx
      .updateTable('activity_ingest_positions')
      .set(values)
      .where('origin', '=', move.origin)
      .where('file', '=', move.file)
      .where('byte_offset', '=', move.fromOffset)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 1n) return;
    if (move.fromOffset !== 0) throw conflict(move);
    // No row yet (a new file): the primary key stops a second ingester inserting it too.
    const existing = await trx.selectFrom('activity_ingest_positions').select('byte_offset').where('origin', '=', move.origin).where('file', '=', move.file).executeTakeFirst();
    if (existing) throw conflict(move);
    try {
      await trx.insertInto('activity_ingest_positions').values({ origin: move.origin, file: move.file, ...values }).execute();
    } catch (e) {
      throw isUniqueViolation(e) ? conflict(move) : e;
    }
  }

  async #write<T>(schoolId: string, work: (trx: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
    if (!isEntityId(schoolId)) throw unknownSchool(schoolId);
    try {
      return await this.#db.transaction().execute(work);
    } catch (e) {
      if (isForeignKeyViolation(e)) throw unknownSchool(schoolId);
      throw e;
    }
  }
}
