// Kysely's SQLite dialect with two changes, both so that several processes can share one file:
//  - every transaction starts with BEGIN IMMEDIATE. A deferred BEGIN (the default) takes the write
//    lock only at the first write; if another process wrote since this transaction first read,
//    SQLite fails at once with SQLITE_BUSY instead of waiting. Taking the lock up front makes
//    read-then-write transactions (the audit tail, migrations) wait for up to busy_timeout instead.
//    better-sqlite3 waits synchronously, so keep write transactions short.
//  - migrations run in a transaction. Kysely assumes SQLite has no transactional DDL, so by default
//    it migrates with no transaction and no lock: two processes starting at once would both create
//    the same tables, and a failed migration would be left half done. SQLite's DDL is transactional.
import {
  CompiledQuery,
  SqliteAdapter,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type DialectAdapter,
  type Driver,
  type SqliteDialectConfig,
} from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
