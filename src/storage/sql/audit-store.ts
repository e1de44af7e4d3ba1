// The audit log put together from its SQL table, its key file and its checkpoint file.
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { AuditLog } from '../../services/audit/audit-log.ts';
import type { Clock } from '../../services/ports.ts';
import { AuditCheckpointFile } from './audit-checkpoint-file.ts';
import { auditCheckpointPath, auditSealFunctions, loadOrCreateAuditKey, readAuditKey } from './audit-key-file.ts';
import { SqlAuditRepository } from './audit-repository.ts';
import type { Database } from './database.ts';

export interface AuditLogOptions {
  /** The seal key file; usually defaultAuditKeyPath(dataDir). */
  readonly keyPath: string;
  readonly clock?: Clock;
}

/**
 * An AuditLog writing to `database`, sealed with the key at `keyPath`, checkpointed beside it.
 * The key is created when the log is new; a log that has entries but no key is refused, so a
 * lost key is restored from backup rather than silently replaced (which would break the chain).
 */
export async function openAuditLog(database: Database, options: AuditLogOptions): Promise<AuditLog> {
  const repository = new SqlAuditRepository(database);
  let key = readAuditKey(options.keyPath);
  if (!key) {
    const entries = await repository.count();
    if (entries > 0) {
      throw new RingfenceError(
        ErrorCodes.AUDIT_KEY_MISSING,
        `the audit log in ${database.description} has ${entries} entries but there is no audit key at ${options.keyPath}: restore the key from your backup (a new key would not verify them)`,
        options.keyPath,
      );
    }
    key = loadOrCreateAuditKey(options.keyPath);
  }
  return new AuditLog({
    repository,
    checkpoints: new AuditCheckpointFile(auditCheckpointPath(options.keyPath)),
    seal: auditSealFunctions(key),
    clock: options.clock ?? { now: () => new Date() },
  });
}
