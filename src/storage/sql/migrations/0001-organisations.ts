// Schools and the trusts and local authorities that hold them.
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

export function organisationsMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('responsible_bodies')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('trust', 'local_authority')`))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('schools')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.unique())
        .addColumn('time_zone', 'text', (c) => c.notNull())
        // Restrict: a trust or authority that still holds schools cannot disappear under them.
        .addColumn('responsible_body_id', t.id, (c) => c.references('responsible_bodies.id').onDelete('restrict'))
        .addColumn('created_at', t.time, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('schools_responsible_body_id').on('schools').column('responsible_body_id').execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('schools').execute();
      await db.schema.dropTable('responsible_bodies').execute();
    },
  };
}
