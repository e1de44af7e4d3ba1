// The audit log's entries in SQL. Append-only by construction: this class has no update or delete,
// and triggers in the database refuse both (migrations/0002-audit-log.ts).
import type { Selectable } from 'kysely';
import type { AuditEntry, AuditTail } from '../../core/audit/entry.ts';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import type { AuditRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { AuditEntriesTable } from './schema.ts';
import { isForeignKeyViolation, timeText, toNumber } from './values.ts';
import { withWriteLock } from './write-lock.ts';

function toEntry(row: Selectable<AuditEntriesTable>): AuditEntry {
  return {
    seq: toNumber(row.seq),
    at: timeText(row.at),
    schoolId: row.school_id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    detailsJson: row.details,
    prevHash: row.prev_hash,
    hash: row.hash,
    mac: row.mac,
  };
}

export class SqlAuditRepository implements AuditRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async appendAfterTail(seal: (tail: AuditTail | null) => AuditEntry): Promise<AuditEntry> {
    let schoolId: string | null = null;
    try {
      return await withWriteLock(this.#database, 'audit', async (trx) => {
        const last = await trx.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
        const tail = last ? { seq: toNumber(last.seq), hash: last.hash } : null;
        const entry = seal(tail);
        schoolId = entry.schoolId;
        if (entry.seq !== (tail?.seq ?? 0) + 1) throw new Error(`audit entry ${entry.seq} does not follow the tail ${tail?.seq ?? 0}`);
        await trx
          .insertInto('audit_entries')
          .values({
            seq: entry.seq,
            at: entry.at,
            school_id: entry.schoolId,
            actor: entry.actor,
            action: entry.action,
            target: entry.target,
            details: entry.detailsJson,
            prev_hash: entry.prevHash,
            hash: entry.hash,
            mac: entry.mac,
          })
          .execute();
        return entry;
      });
    } catch (e) {
      if (isForeignKeyViolation(e)) {
        throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(schoolId ?? '')} to record an audit entry for`, schoolId ?? '');
      }
      throw e;
    }
  }

  async tail(): Promise<AuditTail | null> {
    const last = await this.#database.db.selectFrom('audit_entries').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
    return last ? { seq: toNumber(last.seq), hash: last.hash } : null;
  }

  async count(): Promise<number> {
    const { n } = await this.#database.db.selectFrom('audit_entries').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    return toNumber(n as string | number | bigint);
  }

  async entriesAfter(afterSeq: number, limit: number): Promise<AuditEntry[]> {
    const rows = await this.#database.db.selectFrom('audit_entries').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
    return rows.map(toEntry);
  }

  async entryAt(seq: number): Promise<AuditEntry | null> {
    const row = await this.#database.db.selectFrom('audit_entries').selectAll().where('seq', '=', seq).executeTakeFirst();
    return row ? toEntry(row) : null;
  }

  async seqsWithHash(hash: string): Promise<number[]> {
    const rows = await this.#database.db.selectFrom('audit_entries').select('seq').where('hash', '=', hash).orderBy('seq').execute();
    return rows.map((r) => toNumber(r.seq));
  }

  async seqsWithPrevHash(prevHash: string): Promise<number[]> {
    const rows = await this.#database.db.selectFrom('audit_entries').select('seq').where('prev_hash', '=', prevHash).orderBy('seq').execute();
    return rows.map((r) => toNumber(r.seq));
  }
}
