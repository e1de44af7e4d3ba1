// Console accounts: who signs in to the web console, with a role and a scope (the organisations
// they may see), their sessions and one-time sign-in tokens. Tokens are stored only as SHA-256
// hashes, so a copy of the database cannot be used to sign in; TOTP secrets are stored sealed
// under a key kept outside the database (storage/crypto/secret-box.ts).
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

const ROLES = sql`role in ('governor', 'headteacher', 'dsl', 'network-manager', 'teacher', 'pupil', 'trust-admin')`;
const STAGES = sql`stage in ('mfa-enrolment', 'mfa-code', 'full')`;

export function consoleAccountsMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('console_accounts')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('role', 'text', (c) => c.notNull().check(ROLES))
        .addColumn('password_hash', 'text')
        .addColumn('totp_secret', 'text')
        .addColumn('totp_last_step', t.bigint)
        .addColumn('mfa_enrolled_at', t.time)
        .addColumn('disabled_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      // No foreign key on organisation_id: it names a school or a trust/authority (two tables).
      // The use case checks the organisation exists; organisations are never deleted.
      await db.schema
        .createTable('console_account_scopes')
        .addColumn('account_id', t.id, (c) => c.notNull().references('console_accounts.id').onDelete('cascade'))
        .addColumn('organisation_id', t.id, (c) => c.notNull())
        .addPrimaryKeyConstraint('console_account_scopes_pk', ['account_id', 'organisation_id'])
        .execute();
      await db.schema.createIndex('console_account_scopes_organisation_id').on('console_account_scopes').column('organisation_id').execute();
      await db.schema
        .createTable('console_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', t.id, (c) => c.notNull().references('console_accounts.id').onDelete('cascade'))
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('stage', 'text', (c) => c.notNull().check(STAGES))
        .addColumn('pending_totp_secret', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('last_seen_at', t.time, (c) => c.notNull())
        .addColumn('client_address', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('console_sessions_account_id').on('console_sessions').column('account_id').execute();
      await db.schema
        .createTable('console_one_time_sign_ins')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('account_id', t.id, (c) => c.notNull().references('console_accounts.id').onDelete('cascade'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('expires_at', t.time, (c) => c.notNull())
        .addColumn('used_at', t.time)
        .execute();
      await db.schema.createIndex('console_one_time_sign_ins_account_id').on('console_one_time_sign_ins').column('account_id').execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['console_one_time_sign_ins', 'console_sessions', 'console_account_scopes', 'console_accounts']) await db.schema.dropTable(table).execute();
    },
  };
}
