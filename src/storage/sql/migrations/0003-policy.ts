// Change control of the policy: settings, the open draft, change requests and published versions.
// The (school, version) primary key is what makes two racing publishes end with one winner.
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

export function policyMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('policy_settings')
        .addColumn('school_id', t.id, (c) => c.primaryKey().references('schools.id').onDelete('restrict'))
        .addColumn('require_approval', 'integer', (c) => c.notNull().defaultTo(1).check(sql`require_approval in (0, 1)`))
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('policy_drafts')
        .addColumn('school_id', t.id, (c) => c.primaryKey().references('schools.id').onDelete('restrict'))
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('based_on_version', 'integer')
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('policy_changes')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, (c) => c.notNull().references('schools.id').onDelete('restrict'))
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('change', 'rollback')`))
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
      await db.schema.createIndex('policy_changes_school_id_submitted_at').on('policy_changes').columns(['school_id', 'submitted_at']).execute();
      await db.schema
        .createTable('policy_versions')
        .addColumn('school_id', t.id, (c) => c.notNull().references('schools.id').onDelete('restrict'))
        .addColumn('version', 'integer', (c) => c.notNull().check(sql`version > 0`))
        .addColumn('document', 'text', (c) => c.notNull())
        .addColumn('parent_version', 'integer')
        .addColumn('change_id', t.id, (c) => c.notNull().unique().references('policy_changes.id').onDelete('restrict'))
        .addColumn('published_at', t.time, (c) => c.notNull())
        .addPrimaryKeyConstraint('policy_versions_pkey', ['school_id', 'version'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('policy_versions').execute();
      await db.schema.dropTable('policy_changes').execute();
      await db.schema.dropTable('policy_drafts').execute();
      await db.schema.dropTable('policy_settings').execute();
    },
  };
}
