// Every migration, in order, given in code (no file globbing at run time, so a bundle or a changed
// working directory cannot lose one). Names sort in the order they run; never rename or edit a
// migration that has shipped: add a new one.
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { DatabaseKind } from './column-types.ts';
import { organisationsMigration } from './0001-organisations.ts';
import { auditLogMigration } from './0002-audit-log.ts';
import { policyMigration } from './0003-policy.ts';
import { directoryMigration } from './0004-directory.ts';
import { unblockRequestsMigration } from './0005-unblock-requests.ts';
import { activityMigration } from './0006-activity.ts';
import { consoleAccountsMigration } from './0007-console-accounts.ts';
import { schoolSettingsMigration } from './0008-school-settings.ts';

export function migrations(kind: DatabaseKind): Record<string, Migration> {
  return {
    '0001_organisations': organisationsMigration(kind),
    '0002_audit_log': auditLogMigration(kind),
    '0003_policy': policyMigration(kind),
    '0004_directory': directoryMigration(kind),
    '0005_unblock_requests': unblockRequestsMigration(kind),
    '0006_activity': activityMigration(kind),
    '0007_console_accounts': consoleAccountsMigration(kind),
    '0008_school_settings': schoolSettingsMigration(kind),
  };
}

// Kysely<any>: migrations run before (and regardless of) the typed schema they create.
type AnyKysely = Kysely<any>;

async function migrator(db: AnyKysely, kind: DatabaseKind): Promise<Migrator> {
  // On PostgreSQL, name the schema: otherwise Kysely looks for its tables in every schema, and a
  // schema_migrations table in another schema (another app, another test) would be taken for ours.
  const schema = kind === 'postgres' ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema : undefined;
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations(kind) },
    migrationTableName: 'schema_migrations',
    migrationLockTableName: 'schema_migrations_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Runs what has not run yet (each migration in its own transaction; concurrent runs wait). */
export async function migrateToLatest(db: AnyKysely, kind: DatabaseKind): Promise<string[]> {
  const { error, results } = await (await migrator(db, kind)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  return (results ?? []).map((r) => r.migrationName);
}

/** Undoes the latest migration (for tests of the migrations themselves). */
export async function migrateDown(db: AnyKysely, kind: DatabaseKind): Promise<void> {
  const { error } = await (await migrator(db, kind)).migrateDown();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
