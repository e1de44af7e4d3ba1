// The directory: people, groups and memberships; the device register; networks of each site.
// Uniqueness per school: usernames (stored lower-case), MACs (stored normalised), CIDR blocks
// (stored canonical), so equal things written differently still collide.
import { sql, type ColumnDefinitionBuilder, type Kysely, type Migration } from 'kysely';
import { columnTypes, type DatabaseKind } from './column-types.ts';

export function directoryMigration(kind: DatabaseKind): Migration {
  const t = columnTypes(kind);
  const school = (c: ColumnDefinitionBuilder) => c.notNull().references('schools.id').onDelete('restrict');
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('directory_users')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, school)
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('staff', 'pupil', 'guest')`))
        .addColumn('year_group', 'integer', (c) => c.check(sql`year_group between 0 and 13`))
        .addColumn('expires_at', t.time)
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addColumn('updated_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('directory_users_school_username', ['school_id', 'username'])
        .execute();
      await db.schema
        .createTable('directory_groups')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, school)
        .addColumn('name', 'text', (c) => c.notNull())
        .addUniqueConstraint('directory_groups_school_name', ['school_id', 'name'])
        .execute();
      await db.schema
        .createTable('directory_memberships')
        .addColumn('user_id', t.id, (c) => c.notNull().references('directory_users.id').onDelete('cascade'))
        .addColumn('group_id', t.id, (c) => c.notNull().references('directory_groups.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('directory_memberships_pk', ['user_id', 'group_id'])
        .execute();
      await db.schema.createIndex('directory_memberships_group_id').on('directory_memberships').column('group_id').execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, school)
        .addColumn('class_id', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('mac', 'text')
        .addColumn('address', 'text')
        // A person removed from the directory leaves their device registered, without an owner.
        .addColumn('owner_id', t.id, (c) => c.references('directory_users.id').onDelete('set null'))
        .addColumn('group_name', 'text')
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('devices_school_mac', ['school_id', 'mac'])
        .execute();
      await db.schema.createIndex('devices_owner_id').on('devices').column('owner_id').execute();
      await db.schema
        .createTable('networks')
        .addColumn('id', t.id, (c) => c.primaryKey())
        .addColumn('school_id', t.id, school)
        .addColumn('cidr', 'text', (c) => c.notNull())
        .addColumn('site', 'text', (c) => c.notNull())
        .addColumn('default_group', 'text', (c) => c.notNull())
        .addColumn('created_at', t.time, (c) => c.notNull())
        .addUniqueConstraint('networks_school_cidr', ['school_id', 'cidr'])
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of ['networks', 'devices', 'directory_memberships', 'directory_groups', 'directory_users']) await db.schema.dropTable(table).execute();
    },
  };
}
