// Opens the control plane's database: SQLite (better-sqlite3) or PostgreSQL (a pg Pool) behind one
// Kysely instance, migrated to the latest schema unless told otherwise.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { describeDatabase, validateDatabaseConfig, type DatabaseConfig } from './config.ts';
import type { DatabaseKind } from './migrations/column-types.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { DatabaseSchema } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';

export type { DatabaseKind } from './migrations/column-types.ts';

export interface Database {
  readonly kind: DatabaseKind;
  readonly db: Kysely<DatabaseSchema>;
  /** For messages: the file, or the URL without its password. */
  readonly description: string;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** Run pending migrations (default true). */
  readonly migrate?: boolean;
}

/** How long a writer waits for another process's write lock before SQLite gives up. */
const SQLITE_BUSY_TIMEOUT_MS = 10_000;
const SQLITE_CACHE_KIB = 64 * 1024;
const POOL_SIZE = 10;
const CONNECT_TIMEOUT_MS = 10_000;

export async function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): Promise<Database> {
  const valid = validateDatabaseConfig(config);
  const description = describeDatabase(valid);
  const database = valid.kind === 'sqlite' ? openSqlite(valid.file, description) : await openPostgres(valid.url, description);
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(database.db, database.kind);
    } catch (e) {
      await database.close();
      throw e;
    }
  }
  return database;
}

function unavailable(description: string, e: unknown): RingfenceError {
  return new RingfenceError(ErrorCodes.DATABASE_UNAVAILABLE, `cannot open ${description}: ${(e as Error).message}`);
}

function openSqlite(file: string, description: string): Database {
  let handle: BetterSqlite3.Database;
  try {
    mkdirSync(dirname(file), { recursive: true });
    handle = new BetterSqlite3(file);
    handle.pragma('journal_mode = WAL');
    // FULL, not NORMAL: with WAL, NORMAL already keeps committed transactions through a crash of
    // the process (SIGKILL), but can lose the last ones on power loss or an OS crash; FULL syncs the
    // WAL at every commit, so an acknowledged audit entry survives both. Control-plane writes are
    // few (admin actions, not per-request logging), so the fsync per commit costs nothing that shows.
    handle.pragma('synchronous = FULL');
    handle.pragma('foreign_keys = ON');
    handle.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
    // 64 MiB of page cache (the default is 2 MiB): the activity table's indexes outgrow the
    // default at a few hundred thousand rows, and every ingested row then reads index pages back.
    handle.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  } catch (e) {
    throw unavailable(description, e);
  }
  const db = new Kysely<DatabaseSchema>({ dialect: new ImmediateSqliteDialect({ database: handle }) });
  return { kind: 'sqlite', db, description, close: () => db.destroy() };
}

async function openPostgres(url: string, description: string): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle connection dropped by the server would otherwise crash the process; the pool replaces it.
  pool.on('error', () => undefined);
  const db = new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (e) {
    await db.destroy();
    throw unavailable(description, e);
  }
  return { kind: 'postgres', db, description, close: () => db.destroy() };
}
