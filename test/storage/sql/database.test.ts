import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { databaseConfigFromEnv, describeDatabase, redactUrl } from '../../../src/storage/sql/config.ts';
import { openDatabase } from '../../../src/storage/sql/database.ts';
import { migrateDown, migrateToLatest, migrations } from '../../../src/storage/sql/migrations/index.ts';
import { eachDialect } from '../../support/databases.ts';
import { runAppendersTogether } from './fixtures/run-appender.ts';

function configError(pattern: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.DATABASE_CONFIG_INVALID && pattern.test(e.message);
}

test('SQLite in the data folder by default; PostgreSQL when DATABASE_URL is set', () => {
  assert.deepEqual(databaseConfigFromEnv({}, '/srv/ringfence'), { kind: 'sqlite', file: '/srv/ringfence/ringfence.db' });
  assert.deepEqual(databaseConfigFromEnv({ DATABASE_URL: '  ' }, '/srv/ringfence'), { kind: 'sqlite', file: '/srv/ringfence/ringfence.db' });
  assert.deepEqual(databaseConfigFromEnv({ DATABASE_URL: 'postgresql://app@db.internal:5432/ringfence' }, '/srv/ringfence'), {
    kind: 'postgres', url: 'postgresql://app@db.internal:5432/ringfence',
  });
});

test('a bad DATABASE_URL is refused, and its password is never shown', () => {
  assert.throws(() => databaseConfigFromEnv({ DATABASE_URL: 'mysql://app:s3cret@db/ringfence' }, '/d'), configError(/must start with postgres:\/\/.*"mysql:\/\/app:\*\*\*@db\/ringfence"|"mysql:\/\/app:\*\*\*@db\/ringfence" must start with postgres:\/\//));
  assert.throws(() => databaseConfigFromEnv({ DATABASE_URL: 'not a url' }, '/d'), configError(/"not a url" is not a URL/));
  assert.throws(() => databaseConfigFromEnv({}, 'relative/data'), configError(/must be an absolute path/));
  assert.equal(redactUrl('postgres://app:s3cret@db:5432/x'), 'postgres://app:***@db:5432/x');
  assert.equal(describeDatabase({ kind: 'postgres', url: 'postgres://app:s3cret@db/x' }), 'PostgreSQL postgres://app:***@db/x');
});

test('SQLite is opened in WAL mode, synchronous FULL, with foreign keys and a busy timeout', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rf-sql-'));
  try {
    const database = await openDatabase({ kind: 'sqlite', file: join(dir, 'nested', 'ringfence.db') });
    try {
      const pragma = async (name: string) => Object.values((await sql.raw(`pragma ${name}`).execute(database.db)).rows[0] as object)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 2, 'FULL');
      assert.equal(await pragma('foreign_keys'), 1);
      assert.equal(await pragma('busy_timeout'), 10_000);
    } finally {
      await database.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a file that is not a database, or a PostgreSQL that does not answer, is a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rf-sql-'));
  try {
    const file = join(dir, 'ringfence.db');
    await writeFile(file, 'this is not a database, just text long enough to have a header\n'.repeat(20));
    await assert.rejects(openDatabase({ kind: 'sqlite', file }), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.DATABASE_UNAVAILABLE && e.message.includes(`cannot open SQLite ${file}`));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  // Port 1 on loopback: nothing listens, the connection is refused at once.
  await assert.rejects(
    openDatabase({ kind: 'postgres', url: 'postgres://app:s3cret@127.0.0.1:1/ringfence' }),
    (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.DATABASE_UNAVAILABLE && e.message.startsWith('cannot open PostgreSQL postgres://app:***@127.0.0.1:1/ringfence') && !e.message.includes('s3cret'),
  );
});

await eachDialect('migrations', (dialect) => {
  test('run once, in order; running again does nothing; down and up again works', async () => {
    await using database = await dialect.open({ migrate: false });
    const names = Object.keys(migrations(database.kind));
    assert.deepEqual(names.slice(0, 2), ['0001_organisations', '0002_audit_log']);
    assert.deepEqual(await migrateToLatest(database.db, database.kind), names);
    assert.deepEqual(await migrateToLatest(database.db, database.kind), []);
    // Introspection lists every schema on PostgreSQL: keep this database's own.
    const own = database.kind === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s : undefined;
    const tables = async () =>
      (await database.db.introspection.getTables()).filter((t) => t.schema === own && !t.name.startsWith('schema_migrations')).map((t) => t.name).sort();
    const all = await tables();
    for (const t of ['audit_entries', 'responsible_bodies', 'schools']) assert.ok(all.includes(t), t);
    await migrateDown(database.db, database.kind);
    const fewer = await tables();
    assert.ok(fewer.length < all.length && fewer.every((t) => all.includes(t)), 'the last migration\'s tables are gone');
    assert.deepEqual(await migrateToLatest(database.db, database.kind), [names.at(-1)]);
    assert.deepEqual(await tables(), all);
  });

  test('two processes opening a new database at once both migrate it, once', async () => {
    await using database = await dialect.open({ migrate: false });
    const runs = await runAppendersTogether(database.config, join(database.dir, 'audit.key'), 3, ['a', 'b']);
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const seqs = runs.flatMap((r) => r.acked.map((line) => Number(line.split(' ')[1])));
    assert.deepEqual(seqs.sort((a, b) => a - b), [1, 2, 3, 4, 5, 6], 'and their appends formed one chain');
    assert.deepEqual(await migrateToLatest(database.db, database.kind), []);
    const applied = await database.db.selectFrom('schema_migrations' as never).selectAll().execute();
    assert.equal(applied.length, Object.keys(migrations(database.kind)).length);
  });
});
