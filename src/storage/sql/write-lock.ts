// A transaction that holds a named write lock from its first statement, across processes:
// on SQLite the database's single write lock (BEGIN IMMEDIATE; other writers wait busy_timeout),
// on PostgreSQL a transaction-scoped advisory lock. Reading the tail and appending inside one such
// transaction is what keeps two writers from chaining onto the same entry.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';

/** Advisory lock keys (PostgreSQL), one per thing that needs serialised writers. */
const LOCK_KEYS = { audit: 0x5246_4155 } as const;
export type WriteLock = keyof typeof LOCK_KEYS;

export async function withWriteLock<T>(database: Database, lock: WriteLock, work: (trx: Kysely<DatabaseSchema>) => Promise<T>): Promise<T> {
  return database.db.transaction().execute(async (trx) => {
    // SQLite transactions already begin with the database's write lock (see sqlite-dialect.ts).
    if (database.kind === 'postgres') await sql`select pg_advisory_xact_lock(${LOCK_KEYS[lock]}::bigint)`.execute(trx);
    return work(trx);
  });
}
