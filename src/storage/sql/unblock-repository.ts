// Teachers' unblock requests in SQL. A decision that publishes a policy version does both in one
// transaction: once the promise resolves, the request's state and the version are committed
// together, and a crash in between leaves neither.
import type { Kysely, Selectable } from 'kysely';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import type { PolicyVersion } from '../../core/policy/change/change-request.ts';
import type { UnblockRequest } from '../../core/unblock/unblock-request.ts';
import type { PolicyPublication, UnblockDecision, UnblockListFilter, UnblockOutcome, UnblockRequestRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import { insertChangeRow, publishInTransaction, publishRaceError } from './policy-repository.ts';
import type { DatabaseSchema } from './schema.ts';
import type { UnblockRequestsTable } from './schema-unblock.ts';
import { isForeignKeyViolation, timeText } from './values.ts';

type Row = Selectable<UnblockRequestsTable>;

function toRequest(row: Row): UnblockRequest {
  return {
    id: row.id,
    schoolId: row.school_id,
    requester: row.requester,
    site: { kind: row.site_kind, value: row.site },
    group: row.group_id,
    startsAt: timeText(row.starts_at),
    endsAt: timeText(row.ends_at),
    reason: row.reason,
    state: row.state,
    requestedAt: timeText(row.requested_at),
    decidedBy: row.decided_by,
    decidedAt: row.decided_at === null ? null : timeText(row.decided_at),
    decisionComment: row.decision_comment,
    publishedVersion: row.published_version,
    expiredAt: row.expired_at === null ? null : timeText(row.expired_at),
  };
}

function conflict(id: string, what: string): RingfenceError {
  return new RingfenceError(ErrorCodes.UNBLOCK_CONFLICT, `unblock request ${quoteInput(id)} ${what}`, id);
}

export class SqlUnblockRepository implements UnblockRequestRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(database: Database) {
    this.#db = database.db;
  }

  async insert(r: UnblockRequest): Promise<void> {
    if (!isEntityId(r.schoolId)) throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(r.schoolId)}`, r.schoolId);
    try {
      await this.#db
        .insertInto('unblock_requests')
        .values({
          id: r.id,
          school_id: r.schoolId,
          requester: r.requester,
          site_kind: r.site.kind,
          site: r.site.value,
          group_id: r.group,
          starts_at: r.startsAt,
          ends_at: r.endsAt,
          reason: r.reason,
          state: r.state,
          requested_at: r.requestedAt,
          decided_by: r.decidedBy,
          decided_at: r.decidedAt,
          decision_comment: r.decisionComment,
          published_version: r.publishedVersion,
          expired_at: r.expiredAt,
        })
        .execute();
    } catch (e) {
      if (isForeignKeyViolation(e)) throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(r.schoolId)}`, r.schoolId);
      throw e;
    }
  }

  async find(id: string): Promise<UnblockRequest | null> {
    if (!isEntityId(id)) return null;
    const row = await this.#db.selectFrom('unblock_requests').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRequest(row) : null;
  }

  async list(schoolId: string, filter: UnblockListFilter = {}): Promise<UnblockRequest[]> {
    if (!isEntityId(schoolId)) return [];
    if (filter.states !== undefined && filter.states.length === 0) return [];
    let q = this.#db.selectFrom('unblock_requests').selectAll().where('school_id', '=', schoolId);
    if (filter.states !== undefined) q = q.where('state', 'in', [...filter.states]);
    if (filter.requester !== undefined) q = q.where('requester', '=', filter.requester);
    // Times are fixed-width ISO text on SQLite and timestamptz on PostgreSQL: both sort as instants;
    // ids are UUIDv7, so requests made in the same millisecond still come newest first.
    return (await q.orderBy('requested_at', 'desc').orderBy('id', 'desc').execute()).map(toRequest);
  }

  async listDue(at: string): Promise<UnblockRequest[]> {
    const rows = await this.#db
      .selectFrom('unblock_requests')
      .selectAll()
      .where((eb) =>
        eb.or([
          eb.and([eb('state', 'in', ['pending', 'approved']), eb('ends_at', '<=', at)]),
          eb.and([eb('state', '=', 'approved'), eb('published_version', 'is', null), eb('starts_at', '<=', at)]),
        ]),
      )
      .orderBy('requested_at')
      .orderBy('id')
      .execute();
    return rows.map(toRequest);
  }

  async decide(id: string, decision: UnblockDecision, publication?: PolicyPublication): Promise<UnblockOutcome> {
    if (!isEntityId(id)) throw conflict(id, 'does not exist');
    return this.#publishing(publication, async (trx, publish) => {
      // The conditional update comes first: on PostgreSQL a racing decision waits here for this
      // transaction's row lock, then finds the request no longer pending.
      const updated = await trx
        .updateTable('unblock_requests')
        .set({ state: decision.state, decided_by: decision.decidedBy, decided_at: decision.decidedAt, decision_comment: decision.comment })
        .where('id', '=', id)
        .where('state', '=', 'pending')
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) throw conflict(id, 'is no longer pending');
      const version = await publish();
      if (version) await trx.updateTable('unblock_requests').set({ published_version: version.version }).where('id', '=', id).execute();
      return { request: toRequest(await trx.selectFrom('unblock_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow()), version };
    });
  }

  async publishRule(id: string, publication: PolicyPublication): Promise<UnblockOutcome> {
    if (!isEntityId(id)) throw conflict(id, 'does not exist');
    return this.#publishing(publication, async (trx, publish) => {
      const version = (await publish())!;
      const updated = await trx
        .updateTable('unblock_requests')
        .set({ published_version: version.version })
        .where('id', '=', id)
        .where('state', '=', 'approved')
        .where('published_version', 'is', null)
        .executeTakeFirst();
      if (updated.numUpdatedRows !== 1n) throw conflict(id, 'is not approved and waiting to start');
      return { request: toRequest(await trx.selectFrom('unblock_requests').selectAll().where('id', '=', id).executeTakeFirstOrThrow()), version };
    });
  }

  async expire(ids: readonly string[], at: string, publication?: PolicyPublication): Promise<{ expired: string[]; version: PolicyVersion | null }> {
    const valid = ids.filter(isEntityId);
    return this.#publishing(publication, async (trx, publish) => {
      const expired =
        valid.length === 0
          ? []
          : (
              await trx
                .updateTable('unblock_requests')
                .set({ state: 'expired', expired_at: at })
                .where('id', 'in', valid)
                .where('state', 'in', ['pending', 'approved'])
                .returning('id')
                .execute()
            ).map((r) => r.id);
      return { expired: expired.sort(), version: await publish() };
    });
  }

  /** Runs `work` in a transaction; `publish()` inside it stores and publishes the publication (null without one). */
  async #publishing<T>(publication: PolicyPublication | undefined, work: (trx: Kysely<DatabaseSchema>, publish: () => Promise<PolicyVersion | null>) => Promise<T>): Promise<T> {
    try {
      return await this.#db.transaction().execute((trx) =>
        work(trx, async () => {
          if (!publication) return null;
          await insertChangeRow(trx, publication.change);
          return publishInTransaction(trx, publication.change.id, publication.decision);
        }),
      );
    } catch (e) {
      throw publication ? publishRaceError(e, publication.change.id) : e;
    }
  }
}
