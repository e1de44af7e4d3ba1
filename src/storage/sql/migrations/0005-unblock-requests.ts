// Teachers' unblock requests, and two new kinds of policy change: 'unblock' (an approved request's
// rule added) and 'unblock-expiry' (ended unblocks removed). SQLite cannot alter a CHECK
// constraint, so there policy_changes is rebuilt with the new one (rows, index and references kept).
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type ColumnTypes, type DatabaseKind } from './column-types.ts';

const KINDS_BEFORE = ['change', 'rollback'];
const KINDS_AFTER = ['change', 'rollback', 'unblock', 'unblock-expiry'];

function kindCheck(kinds: readonly string[]) {
  return sql.raw(`kind in (${kinds.map((k) => `'${k}'`).join(', ')})`);
}

/** As 0003 created it, under another name, with the given kinds allowed. */
async function createPolicyChanges(db: Kysely<unknown>, t: ColumnTypes, name: string, kinds: readonly string[]): Promise<void> {
  await db.schema
    .createTable(name)
    .addColumn('id', t.id, (c) => c.primaryKey())
    .addColumn('school_id', t.id, (c) => c.notNull().references('schools.id').onDelete('restrict'))
    .addColumn('kind', 'text', (c) => c.notNull().check(kindCheck(kinds)))
    .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'published', 'declined')`))
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('based_on_version', 'integer')
    .addColumn('submitted_at', t.time, (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', t.time)
    .addColumn('decision_comment', 'text')
    .addColumn('published_version', 'integer')
    .execute();
}

async function allowKinds(db: Kysely<unknown>, kind: DatabaseKind, kinds: readonly string[]): Promise<void> {
  if (kind === 'postgres') {
    // PostgreSQL named 0003's column check policy_changes_kind_check.
    await sql`alter table policy_changes drop constraint policy_changes_kind_check`.execute(db);
    await sql`alter table policy_changes add constraint policy_changes_kind_check check (${kindCheck(kinds)})`.execute(db);
    return;
  }
  // policy_versions references policy_changes, and foreign keys cannot be turned off inside the
  // migration's transaction: its rows step aside while the table they reference is replaced.
  await createPolicyChanges(db, columnTypes(kind), 'policy_changes_rebuilt', kinds);
  await sql`insert into policy_changes_rebuilt select id, school_id, kind, state, document, reason, author, based_on_version, submitted_at, decided_by, decided_at, decision_comment, published_version from policy_changes`.execute(db);
  await sql`create temp table policy_versions_kept as select * from policy_versions`.execute(db);
  await sql`delete from policy_versions`.execute(db);
  await db.schema.dropTable('policy_changes').execute();
  await sql`alter table policy_changes_rebuilt rename to policy_changes`.execute(db);
  await sql`insert into policy_versions select * from policy_versions_kept`.execute(db);
  await sql`drop table policy_versions_kept`.execute(db);
  await db.schema.createIndex('policy_changes_school_id_submitted_at').on('policy_changes').columns(['school_id', 'submitted_at']).execute();
}

export function unblockRequestsMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await allowKinds(db, kind, KINDS_AFTER);
      await db.schema
        .createTable('unblock_requests')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, (c) => c.notNull().references('schools.id').onDelete('restrict'))
        .addColumn('requester', 'text', (c) => c.notNull())
        .addColumn('site_kind', 'text', (c) => c.notNull().check(sql`site_kind in ('domain', 'url')`))
        .addColumn('site', 'text', (c) => c.notNull())
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('starts_at', t.time, (c) => c.notNull())
        .addColumn('ends_at', t.time, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'approved', 'declined', 'cancelled', 'expired')`))
        .addColumn('requested_at', t.time, (c) => c.notNull())
        .addColumn('decided_by', 'text')
        .addColumn('decided_at', t.time)
        .addColumn('decision_comment', 'text')
        .addColumn('published_version', 'integer')
        .addColumn('expired_at', t.time)
        .addCheckConstraint('unblock_requests_period', sql`ends_at > starts_at`)
        .execute();
      await db.schema.createIndex('unblock_requests_school_id_requested_at').on('unblock_requests').columns(['school_id', 'requested_at']).execute();
      // The periodic expiry looks for requests still open whose period has ended.
      await db.schema.createIndex('unblock_requests_state_ends_at').on('unblock_requests').columns(['state', 'ends_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('unblock_requests').execute();
      await allowKinds(db, kind, KINDS_BEFORE);
    },
  };
}
