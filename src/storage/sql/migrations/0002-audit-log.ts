// The audit log: append-only. Triggers refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL), so
// the application cannot change history by mistake; a database administrator can still drop the
// triggers, which is what the hash chain and its seal are for (see services/audit/verify-audit.ts).
import { sql, type Kysely, type Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

const REFUSED = 'audit_entries is append-only';

export function auditLogMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('audit_entries')
        // Assigned by the appender (tail + 1 under the write lock), not by a sequence: no gaps.
        .addColumn('seq', t.bigint, (c) => c.primaryKey().check(sql`seq > 0`))
        .addColumn('at', t.time, (c) => c.notNull())
        .addColumn('school_id', t.id, (c) => c.references('schools.id').onDelete('restrict'))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('mac', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_entries_school_id_seq').on('audit_entries').columns(['school_id', 'seq']).execute();
      if (kind === 'postgres') {
        await sql
          .raw(`CREATE FUNCTION audit_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION '${REFUSED}: % refused', TG_OP; END $$`)
          .execute(db);
        await sql.raw('CREATE TRIGGER audit_entries_no_change BEFORE UPDATE OR DELETE ON audit_entries FOR EACH ROW EXECUTE FUNCTION audit_entries_append_only()').execute(db);
        await sql.raw('CREATE TRIGGER audit_entries_no_truncate BEFORE TRUNCATE ON audit_entries FOR EACH STATEMENT EXECUTE FUNCTION audit_entries_append_only()').execute(db);
      } else {
        await sql.raw(`CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON audit_entries BEGIN SELECT RAISE(ABORT, '${REFUSED}: UPDATE refused'); END`).execute(db);
        await sql.raw(`CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON audit_entries BEGIN SELECT RAISE(ABORT, '${REFUSED}: DELETE refused'); END`).execute(db);
      }
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('audit_entries').execute();
      if (kind === 'postgres') await sql.raw('DROP FUNCTION audit_entries_append_only()').execute(db);
    },
  };
}
