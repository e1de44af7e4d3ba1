// Schools, trusts and local authorities in SQL.
import type { Selectable, Updateable } from 'kysely';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import type { Organisation, ResponsibleBody, School, SchoolFields } from '../../core/org/organisation.ts';
import type { OrganisationScope } from '../../core/org/scope.ts';
import type { OrganisationRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { ResponsibleBodiesTable, SchoolsTable } from './schema.ts';
import { compareCodeUnits, isForeignKeyViolation, isUniqueViolation, timeText } from './values.ts';

// Sorted here, not by ORDER BY: the two databases collate text differently (SQLite by bytes,
// PostgreSQL by the database's locale), and the contract is one order on both.
const collator = new Intl.Collator('en-GB', { sensitivity: 'base', numeric: true });
const byName = (a: { name: string; id: string }, b: { name: string; id: string }) => collator.compare(a.name, b.name) || compareCodeUnits(a.id, b.id);

function toSchool(row: Selectable<SchoolsTable>): School {
  return {
    kind: 'school',
    id: row.id,
    name: row.name,
    reference: row.reference,
    timeZone: row.time_zone,
    responsibleBodyId: row.responsible_body_id,
    createdAt: timeText(row.created_at),
  };
}

function toResponsibleBody(row: Selectable<ResponsibleBodiesTable>): ResponsibleBody {
  return { kind: row.kind, id: row.id, name: row.name, createdAt: timeText(row.created_at) };
}

export class SqlOrganisationRepository implements OrganisationRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insertResponsibleBody(body: ResponsibleBody): Promise<void> {
    await this.#database.db
      .insertInto('responsible_bodies')
      .values({ id: body.id, kind: body.kind, name: body.name, created_at: body.createdAt })
      .execute();
  }

  async insertSchool(school: School): Promise<void> {
    await this.#mapConstraintErrors(school, () =>
      this.#database.db
        .insertInto('schools')
        .values({
          id: school.id,
          name: school.name,
          reference: school.reference,
          time_zone: school.timeZone,
          responsible_body_id: school.responsibleBodyId,
          created_at: school.createdAt,
        })
        .execute(),
    );
  }

  async updateSchool(id: string, changes: Partial<SchoolFields>): Promise<School | null> {
    if (!isEntityId(id)) return null;
    const set: Updateable<SchoolsTable> = {};
    if (changes.name !== undefined) set.name = changes.name;
    if (changes.reference !== undefined) set.reference = changes.reference;
    if (changes.timeZone !== undefined) set.time_zone = changes.timeZone;
    if (changes.responsibleBodyId !== undefined) set.responsible_body_id = changes.responsibleBodyId;
    if (Object.keys(set).length > 0) {
      await this.#mapConstraintErrors(changes, () => this.#database.db.updateTable('schools').set(set).where('id', '=', id).execute());
    }
    const row = await this.#database.db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSchool(row) : null;
  }

  async findOrganisation(id: string): Promise<Organisation | null> {
    // Stored ids are all canonical UUIDs; anything else matches nothing (and PostgreSQL's uuid type would reject it).
    if (!isEntityId(id)) return null;
    const school = await this.#database.db.selectFrom('schools').selectAll().where('id', '=', id).executeTakeFirst();
    if (school) return toSchool(school);
    const body = await this.#database.db.selectFrom('responsible_bodies').selectAll().where('id', '=', id).executeTakeFirst();
    return body ? toResponsibleBody(body) : null;
  }

  async listResponsibleBodies(): Promise<ResponsibleBody[]> {
    const rows = await this.#database.db.selectFrom('responsible_bodies').selectAll().execute();
    return rows.map(toResponsibleBody).sort(byName);
  }

  async listSchools(): Promise<School[]> {
    const rows = await this.#database.db.selectFrom('schools').selectAll().execute();
    return rows.map(toSchool).sort(byName);
  }

  async schoolsVisibleTo(scope: OrganisationScope): Promise<School[]> {
    const ids = [...scope].filter(isEntityId);
    if (ids.length === 0) return [];
    const rows = await this.#database.db
      .selectFrom('schools')
      .selectAll()
      .where((eb) => eb.or([eb('id', 'in', ids), eb('responsible_body_id', 'in', ids)]))
      .execute();
    return rows.map(toSchool).sort(byName);
  }

  async #mapConstraintErrors<T>(fields: Partial<SchoolFields>, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e) && fields.reference) {
        throw new RingfenceError(ErrorCodes.ORGANISATION_CONFLICT, `another school already has the reference ${quoteInput(fields.reference)}`, fields.reference);
      }
      if (isForeignKeyViolation(e) && fields.responsibleBodyId) {
        throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no trust or local authority with id ${quoteInput(fields.responsibleBodyId)}`, fields.responsibleBodyId);
      }
      throw e;
    }
  }
}
