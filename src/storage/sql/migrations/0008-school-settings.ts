// Per-school settings that are neither policy nor activity: for now, the block page's words. One
// row per school, made on the first save; a null column means the built-in words.
import type { Kysely, Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

export function schoolSettingsMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('school_settings')
        .addColumn('school_id', t.id, (c) => c.primaryKey().references('schools.id').onDelete('cascade'))
        .addColumn('block_page_heading', 'text')
        .addColumn('block_page_explanation', 'text')
        .addColumn('block_page_who_to_ask', 'text')
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('school_settings').execute();
    },
  };
}
