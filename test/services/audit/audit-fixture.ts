// A real audit log on a test database (SQL table, key file, checkpoint file), and the edits an
// administrator with direct database access could make to it.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'kysely';
import type { AuditEntry } from '../../../src/core/audit/entry.ts';
import { canonicalEntryText } from '../../../src/core/audit/seal.ts';
import type { AuditLog } from '../../../src/services/audit/audit-log.ts';
import { verifyAudit, type VerifyAuditDeps } from '../../../src/services/audit/verify-audit.ts';
import type { ProgressReporter } from '../../../src/services/ports.ts';
import { AuditCheckpointFile } from '../../../src/storage/sql/audit-checkpoint-file.ts';
import { auditCheckpointPath, auditSealFunctions, loadOrCreateAuditKey } from '../../../src/storage/sql/audit-key-file.ts';
import { SqlAuditRepository } from '../../../src/storage/sql/audit-repository.ts';
import { openAuditLog } from '../../../src/storage/sql/audit-store.ts';
import type { TestDatabase } from '../../support/databases.ts';

export interface AuditFixture {
  readonly log: AuditLog;
  readonly repository: SqlAuditRepository;
  readonly checkpoints: AuditCheckpointFile;
  readonly keyPath: string;
  /** The entries appended so far, as append() returned them. */
  readonly entries: AuditEntry[];
  append(n: number): Promise<void>;
  verify(options?: { progress?: ProgressReporter; pageSize?: number; key?: Uint8Array }): ReturnType<typeof verifyAudit>;
  /** Runs SQL with the append-only triggers out of the way. */
  tamper(...statements: ReturnType<typeof sql>[]): Promise<void>;
}

export async function auditFixture(database: TestDatabase): Promise<AuditFixture> {
  const keyPath = join(database.dir, 'keys', 'audit.key');
  let ms = Date.parse('2025-10-06T08:30:00.000Z');
  const log = await openAuditLog(database, { keyPath, clock: { now: () => new Date((ms += 1500)) } });
  const repository = new SqlAuditRepository(database);
  const checkpoints = new AuditCheckpointFile(auditCheckpointPath(keyPath));
  const entries: AuditEntry[] = [];
  return {
    log, repository, checkpoints, keyPath, entries,
    async append(n) {
      for (let i = 0; i < n; i++) {
        const k = entries.length + 1;
        entries.push(await log.append({ schoolId: null, actor: 'system', action: 'policy.rule.update', target: `rule:${k}`, details: { change: k, note: 'Zeitplan ✓' } }));
      }
    },
    verify(options = {}) {
      const deps: VerifyAuditDeps = { repository, checkpoints, seal: auditSealFunctions(options.key ?? loadOrCreateAuditKey(keyPath)), ...options };
      return verifyAudit(deps);
    },
    async tamper(...statements) {
      await database.asAdministrator(async (db) => {
        for (const statement of statements) await statement.execute(db);
      });
    },
  };
}

/** Moves entries with seq ≥ from by `by` (positive or negative), without tripping the primary key midway. */
export function shiftSeqs(from: number, by: number): ReturnType<typeof sql>[] {
  return [
    sql`update audit_entries set seq = seq + 1000000 where seq >= ${from}`,
    sql`update audit_entries set seq = seq - 1000000 + ${by} where seq >= 1000000`,
  ];
}

/** Swaps the entries numbered a and b. */
export function swapSeqs(a: number, b: number): ReturnType<typeof sql>[] {
  return [
    sql`update audit_entries set seq = 1000000 where seq = ${a}`,
    sql`update audit_entries set seq = ${a} where seq = ${b}`,
    sql`update audit_entries set seq = ${b} where seq = 1000000`,
  ];
}

/** Inserts a row as given (no chain maths). */
export function insertRow(entry: AuditEntry): ReturnType<typeof sql> {
  return sql`insert into audit_entries (seq, at, school_id, actor, action, target, details, prev_hash, hash, mac)
    values (${entry.seq}, ${entry.at}, ${entry.schoolId}, ${entry.actor}, ${entry.action}, ${entry.target}, ${entry.detailsJson}, ${entry.prevHash}, ${entry.hash}, ${entry.mac})`;
}

/** The hash an edited entry would have: what someone without the key can recompute. */
export function rehash(entry: AuditEntry): string {
  return createHash('sha256').update(canonicalEntryText(entry)).digest('hex');
}
