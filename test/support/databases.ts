// Runs a test suite against every database Ringfence supports: SQLite always (a temporary file),
// PostgreSQL when DATABASE_URL is set (a database per suite, created on the server DATABASE_URL
// names, and a schema in it per database opened; all dropped after).
// With RINGFENCE_REQUIRE_POSTGRES=1 a missing or unreachable PostgreSQL fails the suite, so CI
// cannot pass by silently skipping it. Usage, at the top level of a test file:
//
//   await eachDialect('audit repository', (dialect) => {
//     test('…', async () => { await using db = await dialect.open(); … });
//   });
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import pg from 'pg';
import type { DatabaseConfig } from '../../src/storage/sql/config.ts';
import { openDatabase, type Database, type DatabaseKind, type OpenOptions } from '../../src/storage/sql/database.ts';
import type { DatabaseSchema } from '../../src/storage/sql/schema.ts';

export interface TestDatabase extends Database {
  readonly config: DatabaseConfig;
  /** A private temporary folder (for key and checkpoint files), removed with the database. */
  readonly dir: string;
  /**
   * Runs `work` with the audit table's append-only triggers out of the way, as an administrator
   * with direct access to the database could: for tests of what verification finds.
   */
  asAdministrator(work: (db: Kysely<DatabaseSchema>) => Promise<unknown>): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface TestDialect {
  readonly name: DatabaseKind;
  /** A fresh, migrated database (pass `{ migrate: false }` for an empty one). */
  open(options?: OpenOptions): Promise<TestDatabase>;
}

const REQUIRED = process.env.RINGFENCE_REQUIRE_POSTGRES === '1';
// Read once, when the module loads: tests run while later suites are still being defined, and a
// test that changes DATABASE_URL for a moment (the audit verify command's) must not redirect them.
const DATABASE_URL = process.env.DATABASE_URL;

/** Null when PostgreSQL answers at DATABASE_URL, else why not. */
async function postgresUnavailable(): Promise<string | null> {
  const url = DATABASE_URL;
  if (!url) return 'DATABASE_URL is not set';
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return `PostgreSQL at DATABASE_URL is unreachable: ${(e as Error).message}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

// Probed when this module loads, so before the importing file defines any test: SQLite tests run
// synchronous work in long stretches of microtasks, and a probe left running beside them sees its
// connect timer fire before its socket is ever read ("timeout expired" for a server that is up);
// and suites defined after a file's first test had finished were silently never run (seen in CI).
const postgresReason = await postgresUnavailable();

/** Defines the suites at once (nothing is awaited); `await` at the call site is harmless. */
export async function eachDialect(title: string, define: (dialect: TestDialect) => void): Promise<void> {
  const reason = postgresReason;
  describe(`${title} [sqlite]`, () => {
    const dialect = new SqliteDialect();
    after(() => dialect.closeAll());
    define(dialect);
  });
  if (reason && REQUIRED) {
    describe(`${title} [postgres]`, () => {
      test('PostgreSQL is available (RINGFENCE_REQUIRE_POSTGRES=1)', () => assert.fail(reason));
    });
    return;
  }
  if (reason) {
    describe(`${title} [postgres]`, { skip: reason }, () => undefined);
    return;
  }
  const url = DATABASE_URL!;
  describe(`${title} [postgres]`, () => {
    const dialect = new PostgresDialect(url);
    after(() => dialect.closeAll());
    define(dialect);
  });
}

abstract class DialectBase implements TestDialect {
  abstract readonly name: DatabaseKind;
  protected readonly open_ = new Set<TestDatabase>();

  abstract open(options?: OpenOptions): Promise<TestDatabase>;

  async closeAll(): Promise<void> {
    for (const db of [...this.open_]) await db[Symbol.asyncDispose]();
  }

  protected track(database: Database, config: DatabaseConfig, dir: string, asAdministrator: TestDatabase['asAdministrator'], cleanUp: () => Promise<void>): TestDatabase {
    let disposed = false;
    const testDb: TestDatabase = {
      ...database,
      config,
      dir,
      asAdministrator,
      [Symbol.asyncDispose]: async () => {
        if (disposed) return;
        disposed = true;
        this.open_.delete(testDb);
        await database.close();
        await cleanUp();
        await rm(dir, { recursive: true, force: true });
      },
    };
    this.open_.add(testDb);
    return testDb;
  }
}

class SqliteDialect extends DialectBase {
  readonly name = 'sqlite' as const;

  async open(options?: OpenOptions): Promise<TestDatabase> {
    const dir = await mkdtemp(join(tmpdir(), 'rf-sql-'));
    const config: DatabaseConfig = { kind: 'sqlite', file: join(dir, 'ringfence.db') };
    const database = await openDatabase(config, options);
    const asAdministrator: TestDatabase['asAdministrator'] = async (work) => {
      await sql`drop trigger if exists audit_entries_no_update`.execute(database.db);
      await sql`drop trigger if exists audit_entries_no_delete`.execute(database.db);
      await work(database.db);
    };
    return this.track(database, config, dir, asAdministrator, async () => undefined);
  }
}

/**
 * One database per test file (so concurrent files never see each other's catalog changes: Kysely's
 * introspection scans every schema of a database), one schema per open() inside it.
 */
class PostgresDialect extends DialectBase {
  readonly name = 'postgres' as const;
  readonly #url: string;
  #fileDatabase: Promise<{ url: URL; admin: pg.Pool }> | undefined;

  constructor(url: string) {
    super();
    this.#url = url;
  }

  #database(): Promise<{ url: URL; admin: pg.Pool }> {
    this.#fileDatabase ??= (async () => {
      const name = `rf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      const server = new pg.Client({ connectionString: this.#url });
      await server.connect();
      try {
        await server.query(`create database ${name}`);
      } finally {
        await server.end();
      }
      const url = new URL(this.#url);
      url.pathname = `/${name}`;
      const admin = new pg.Pool({ connectionString: url.toString(), max: 2 });
      // The database is dropped WITH (FORCE) at the end: an idle connection it ends must not crash the run.
      admin.on('error', () => undefined);
      return { url, admin };
    })();
    return this.#fileDatabase;
  }

  async open(options?: OpenOptions): Promise<TestDatabase> {
    const { url: base, admin } = await this.#database();
    const schema = `rf_${randomBytes(4).toString('hex')}`;
    await admin.query(`create schema ${schema}`);
    const url = new URL(base);
    url.searchParams.set('options', `-c search_path=${schema}`);
    const config: DatabaseConfig = { kind: 'postgres', url: url.toString() };
    const dir = await mkdtemp(join(tmpdir(), 'rf-sql-'));
    const dropSchema = async () => void (await admin.query(`drop schema if exists ${schema} cascade`));
    let database: Database;
    try {
      database = await openDatabase(config, options);
    } catch (e) {
      await dropSchema();
      throw e;
    }
    const asAdministrator: TestDatabase['asAdministrator'] = async (work) => {
      await sql`alter table audit_entries disable trigger user`.execute(database.db);
      try {
        await work(database.db);
      } finally {
        await sql`alter table audit_entries enable trigger user`.execute(database.db);
      }
    };
    return this.track(database, config, dir, asAdministrator, dropSchema);
  }

  override async closeAll(): Promise<void> {
    await super.closeAll();
    if (!this.#fileDatabase) return;
    const { url, admin } = await this.#fileDatabase;
    this.#fileDatabase = undefined;
    await admin.end();
    const server = new pg.Client({ connectionString: this.#url });
    await server.connect();
    try {
      await server.query(`drop database if exists ${url.pathname.slice(1)} with (force)`);
    } finally {
      await server.end();
    }
  }
}
