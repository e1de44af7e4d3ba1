// Drafts, change requests and published versions of each school's policy, in SQL.
import type { Kysely, Selectable } from 'kysely';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import { staleChange, type ChangeDecision, type PolicyChangeRequest, type PolicyDraft, type PolicyVersion } from '../../core/policy/change/change-request.ts';
import { canonicalText } from '../../core/policy/change/diff.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { parsePolicy } from '../../core/policy/validate.ts';
import type { PolicyChangeRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';
import type { PolicyChangesTable, PolicyVersionsTable } from './schema-policy.ts';
import { isForeignKeyViolation, isUniqueViolation, timeText } from './values.ts';

function readDocument(text: string, what: string): Policy {
  return parsePolicy(JSON.parse(text), what);
}

function toChange(row: Selectable<PolicyChangesTable>): PolicyChangeRequest {
  return {
    id: row.id,
    schoolId: row.school_id,
    kind: row.kind,
    state: row.state,
    document: readDocument(row.document, `stored change ${row.id}`),
    reason: row.reason,
    author: row.author,
    basedOnVersion: row.based_on_version,
    submittedAt: timeText(row.submitted_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : timeText(row.decided_at),
    decisionComment: row.decision_comment,
    publishedVersion: row.published_version,
  };
}

function toVersion(row: Selectable<PolicyVersionsTable>): PolicyVersion {
  return {
    schoolId: row.school_id,
    version: row.version,
    document: readDocument(row.document, `stored policy version ${row.version}`),
    parentVersion: row.parent_version,
    changeId: row.change_id,
    publishedAt: timeText(row.published_at),
  };
}

function unknownSchool(schoolId: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(schoolId)}`, schoolId);
}

function notPending(changeId: string): RingfenceError {
  return new RingfenceError(ErrorCodes.POLICY_CHANGE_CONFLICT, `change ${quoteInput(changeId)} is no longer pending`, changeId);
}

/** Stores a change request as given (inside the caller's transaction). */
export async function insertChangeRow(trx: Kysely<DatabaseSchema>, change: PolicyChangeRequest): Promise<void> {
  await trx
    .insertInto('policy_changes')
    .values({
      id: change.id,
      school_id: change.schoolId,
      kind: change.kind,
      state: change.state,
      document: canonicalText(change.document),
      reason: change.reason,
      author: change.author,
      based_on_version: change.basedOnVersion,
      submitted_at: change.submittedAt,
      decided_by: change.decidedBy,
      decided_at: change.decidedAt,
      decision_comment: change.decisionComment,
      published_version: change.publishedVersion,
    })
    .execute();
}

/**
 * Inside the caller's transaction: checks the change is pending and based on the current version,
 * stores its document as the next version and marks it published (see PolicyChangeRepository.publish).
 * Other aggregates (unblock requests) call it to publish in the same transaction as their own write.
 */
export async function publishInTransaction(trx: Kysely<DatabaseSchema>, changeId: string, decision: ChangeDecision): Promise<PolicyVersion> {
  const change = await trx.selectFrom('policy_changes').selectAll().where('id', '=', changeId).executeTakeFirst();
  if (!change || change.state !== 'pending') throw notPending(changeId);
  const current = await trx.selectFrom('policy_versions').select('version').where('school_id', '=', change.school_id).orderBy('version', 'desc').limit(1).executeTakeFirst();
  const currentVersion = current?.version ?? null;
  if (currentVersion !== change.based_on_version) throw staleChange({ id: changeId, basedOnVersion: change.based_on_version }, currentVersion);
  const row = {
    school_id: change.school_id,
    version: (currentVersion ?? 0) + 1,
    document: change.document,
    parent_version: currentVersion,
    change_id: changeId,
    published_at: decision.decidedAt,
  };
  // On PostgreSQL two transactions can both get here; the (school, version) key stops the second.
  await trx.insertInto('policy_versions').values(row).execute();
  const updated = await trx
    .updateTable('policy_changes')
    .set({ state: 'published', decided_by: decision.decidedBy, decided_at: decision.decidedAt, decision_comment: decision.comment, published_version: row.version })
    .where('id', '=', changeId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  if (updated.numUpdatedRows !== 1n) throw notPending(changeId);
  return toVersion(row);
}

/** A racing publish that lost on the (school, version) key, as the conflict it is; other errors unchanged. */
export function publishRaceError(e: unknown, changeId: string): unknown {
  if (isUniqueViolation(e)) {
    return new RingfenceError(ErrorCodes.POLICY_CHANGE_CONFLICT, `another change to the same policy was published at the same time as change ${quoteInput(changeId)}: start a new draft from the current policy`, changeId);
  }
  return e;
}

export class SqlPolicyRepository implements PolicyChangeRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(database: Database) {
    this.#db = database.db;
  }

  async requiresApproval(schoolId: string): Promise<boolean> {
    if (!isEntityId(schoolId)) return true;
    const row = await this.#db.selectFrom('policy_settings').select('require_approval').where('school_id', '=', schoolId).executeTakeFirst();
    return row === undefined || row.require_approval !== 0;
  }

  async setRequiresApproval(schoolId: string, required: boolean, at: string): Promise<void> {
    const value = required ? 1 : 0;
    await this.#schoolMustExist(schoolId, () =>
      this.#db
        .insertInto('policy_settings')
        .values({ school_id: schoolId, require_approval: value, updated_at: at })
        .onConflict((oc) => oc.column('school_id').doUpdateSet({ require_approval: value, updated_at: at }))
        .execute(),
    );
  }

  async findDraft(schoolId: string): Promise<PolicyDraft | null> {
    if (!isEntityId(schoolId)) return null;
    const row = await this.#db.selectFrom('policy_drafts').selectAll().where('school_id', '=', schoolId).executeTakeFirst();
    if (!row) return null;
    return { schoolId: row.school_id, document: readDocument(row.document, 'stored draft'), basedOnVersion: row.based_on_version, author: row.author, updatedAt: timeText(row.updated_at) };
  }

  async saveDraft(draft: PolicyDraft): Promise<void> {
    const values = { document: canonicalText(draft.document), based_on_version: draft.basedOnVersion, author: draft.author, updated_at: draft.updatedAt };
    await this.#schoolMustExist(draft.schoolId, () =>
      this.#db
        .insertInto('policy_drafts')
        .values({ school_id: draft.schoolId, ...values })
        .onConflict((oc) => oc.column('school_id').doUpdateSet(values))
        .execute(),
    );
  }

  async insertChange(change: PolicyChangeRequest, fromDraft: boolean): Promise<void> {
    await this.#schoolMustExist(change.schoolId, () =>
      this.#db.transaction().execute(async (trx) => {
        await insertChangeRow(trx, change);
        if (fromDraft) await trx.deleteFrom('policy_drafts').where('school_id', '=', change.schoolId).execute();
      }),
    );
  }

  async findChange(id: string): Promise<PolicyChangeRequest | null> {
    if (!isEntityId(id)) return null;
    const row = await this.#db.selectFrom('policy_changes').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toChange(row) : null;
  }

  async listChanges(schoolId: string): Promise<PolicyChangeRequest[]> {
    if (!isEntityId(schoolId)) return [];
    // Ids are UUIDv7: the tie-break for changes submitted in the same millisecond is still time order.
    const rows = await this.#db.selectFrom('policy_changes').selectAll().where('school_id', '=', schoolId).orderBy('submitted_at', 'desc').orderBy('id', 'desc').execute();
    return rows.map(toChange);
  }

  async currentVersion(schoolId: string): Promise<PolicyVersion | null> {
    if (!isEntityId(schoolId)) return null;
    const row = await this.#db.selectFrom('policy_versions').selectAll().where('school_id', '=', schoolId).orderBy('version', 'desc').limit(1).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  async findVersion(schoolId: string, version: number): Promise<PolicyVersion | null> {
    if (!isEntityId(schoolId) || !Number.isSafeInteger(version)) return null;
    const row = await this.#db.selectFrom('policy_versions').selectAll().where('school_id', '=', schoolId).where('version', '=', version).executeTakeFirst();
    return row ? toVersion(row) : null;
  }

  async listVersions(schoolId: string): Promise<PolicyVersion[]> {
    if (!isEntityId(schoolId)) return [];
    const rows = await this.#db.selectFrom('policy_versions').selectAll().where('school_id', '=', schoolId).orderBy('version', 'desc').execute();
    return rows.map(toVersion);
  }

  async publish(changeId: string, decision: ChangeDecision): Promise<PolicyVersion> {
    try {
      return await this.#db.transaction().execute((trx) => publishInTransaction(trx, changeId, decision));
    } catch (e) {
      throw publishRaceError(e, changeId);
    }
  }

  async decline(changeId: string, decision: ChangeDecision): Promise<void> {
    const updated = await this.#db
      .updateTable('policy_changes')
      .set({ state: 'declined', decided_by: decision.decidedBy, decided_at: decision.decidedAt, decision_comment: decision.comment })
      .where('id', '=', changeId)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (updated.numUpdatedRows !== 1n) throw notPending(changeId);
  }

  async #schoolMustExist<T>(schoolId: string, write: () => Promise<T>): Promise<T> {
    if (!isEntityId(schoolId)) throw unknownSchool(schoolId);
    try {
      return await write();
    } catch (e) {
      if (isForeignKeyViolation(e)) throw unknownSchool(schoolId);
      throw e;
    }
  }
}
