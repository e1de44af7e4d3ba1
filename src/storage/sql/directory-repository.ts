// People, groups and memberships in SQL. A person's explicit groups are rows of
// directory_memberships; groups are created on first use and kept (devices and policies name them).
import type { Kysely, Selectable, Transaction } from 'kysely';
import { isEntityId } from '../../core/org/id.ts';
import type { DirectoryPerson, StoredPerson } from '../../core/directory/people.ts';
import type { DirectoryRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';
import type { DirectoryUsersTable } from './schema-directory.ts';
import { compareCodeUnits, timeText } from './values.ts';

type Db = Kysely<DatabaseSchema> | Transaction<DatabaseSchema>;

function toPerson(row: Selectable<DirectoryUsersTable>, groups: readonly string[]): StoredPerson {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    kind: row.kind,
    yearGroup: row.year_group === null ? null : Number(row.year_group),
    expiresAt: row.expires_at === null ? null : timeText(row.expires_at),
    groups: [...groups].sort(),
  };
}

export class SqlDirectoryRepository implements DirectoryRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async listPeople(schoolId: string): Promise<StoredPerson[]> {
    if (!isEntityId(schoolId)) return [];
    return this.#people(this.#database.db, schoolId);
  }

  async findPerson(schoolId: string, username: string): Promise<StoredPerson | null> {
    if (!isEntityId(schoolId)) return null;
    return (await this.#people(this.#database.db, schoolId, username))[0] ?? null;
  }

  async writePeople(schoolId: string, changes: { upsert: readonly DirectoryPerson[]; remove: readonly string[] }, at: string, newId: () => string): Promise<void> {
    await this.#database.db.transaction().execute(async (trx) => {
      if (changes.remove.length > 0) {
        await trx.deleteFrom('directory_users').where('school_id', '=', schoolId).where('username', 'in', [...changes.remove]).execute();
      }
      if (changes.upsert.length === 0) return;
      const groupIds = await this.#ensureGroups(trx, schoolId, changes.upsert.flatMap((p) => p.groups), newId);
      const existing = new Map(
        (await trx.selectFrom('directory_users').select(['id', 'username']).where('school_id', '=', schoolId).execute()).map((r) => [r.username, r.id]),
      );
      for (const person of changes.upsert) {
        const fields = { display_name: person.displayName, kind: person.kind, year_group: person.yearGroup, expires_at: person.expiresAt, updated_at: at };
        let id = existing.get(person.username);
        if (id) {
          await trx.updateTable('directory_users').set(fields).where('id', '=', id).execute();
          await trx.deleteFrom('directory_memberships').where('user_id', '=', id).execute();
        } else {
          id = newId();
          await trx.insertInto('directory_users').values({ id, school_id: schoolId, username: person.username, created_at: at, ...fields }).execute();
        }
        const userId = id;
        if (person.groups.length > 0) {
          await trx.insertInto('directory_memberships').values([...new Set(person.groups)].map((g) => ({ user_id: userId, group_id: groupIds.get(g)! }))).execute();
        }
      }
    });
  }

  async #ensureGroups(trx: Db, schoolId: string, names: readonly string[], newId: () => string): Promise<Map<string, string>> {
    const wanted = [...new Set(names)];
    const ids = new Map<string, string>();
    if (wanted.length === 0) return ids;
    for (const r of await trx.selectFrom('directory_groups').select(['id', 'name']).where('school_id', '=', schoolId).where('name', 'in', wanted).execute()) ids.set(r.name, r.id);
    const missing = wanted.filter((n) => !ids.has(n));
    if (missing.length > 0) {
      const rows = missing.map((name) => ({ id: newId(), school_id: schoolId, name }));
      await trx.insertInto('directory_groups').values(rows).execute();
      for (const r of rows) ids.set(r.name, r.id);
    }
    return ids;
  }

  async #people(db: Db, schoolId: string, username?: string): Promise<StoredPerson[]> {
    let users = db.selectFrom('directory_users').selectAll().where('school_id', '=', schoolId);
    if (username !== undefined) users = users.where('username', '=', username.trim().toLowerCase());
    const rows = await users.execute();
    if (rows.length === 0) return [];
    let memberships = db
      .selectFrom('directory_memberships')
      .innerJoin('directory_groups', 'directory_groups.id', 'directory_memberships.group_id')
      .select(['directory_memberships.user_id as userId', 'directory_groups.name as name'])
      .where('directory_groups.school_id', '=', schoolId);
    if (username !== undefined) memberships = memberships.where('directory_memberships.user_id', '=', rows[0]!.id);
    const groups = new Map<string, string[]>();
    for (const m of await memberships.execute()) groups.set(m.userId, [...(groups.get(m.userId) ?? []), m.name]);
    return rows.map((r) => toPerson(r, groups.get(r.id) ?? [])).sort((a, b) => compareCodeUnits(a.username, b.username));
  }
}
