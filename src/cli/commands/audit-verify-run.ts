// `ringfence audit verify`, the work: checks the audit log's hash chain, seals and checkpoint.
// Exit 0 when intact, 3 when tampering is found, 2 for bad input (no key, bad DATABASE_URL).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { verifyAudit, type AuditVerification } from '../../services/audit/verify-audit.ts';
import { AuditCheckpointFile } from '../../storage/sql/audit-checkpoint-file.ts';
import { auditCheckpointPath, auditSealFunctions, defaultAuditKeyPath, readAuditKey } from '../../storage/sql/audit-key-file.ts';
import { SqlAuditRepository } from '../../storage/sql/audit-repository.ts';
import { databaseConfigFromEnv } from '../../storage/sql/config.ts';
import { openDatabase } from '../../storage/sql/database.ts';
import type { CliContext, CommandInput } from '../command.ts';
import { EXIT_TAMPERED } from './audit-verify.ts';

export async function runAuditVerify({ values }: CommandInput, ctx: CliContext): Promise<number> {
    const keyPath = typeof values.key === 'string' ? resolve(values.key) : defaultAuditKeyPath(ctx.dataDir);
    const checkpoints = new AuditCheckpointFile(auditCheckpointPath(keyPath));
    const config = databaseConfigFromEnv(process.env, ctx.dataDir);
    if (config.kind === 'sqlite' && !existsSync(config.file)) {
      // Do not create an empty database just to verify it.
      const checkpoint = await checkpoints.read();
      if (!checkpoint) {
        ctx.out(`no audit log yet: there is no database at ${config.file}`);
        return 0;
      }
      ctx.out(`audit log TAMPERED: the database ${config.file} is missing, but the checkpoint records ${checkpoint.seq} entries`);
      return EXIT_TAMPERED;
    }
    const database = await openDatabase(config);
    try {
      const repository = new SqlAuditRepository(database);
      const key = readAuditKey(keyPath);
      if (!key) {
        if ((await repository.count()) === 0 && !(await checkpoints.read())) {
          ctx.out(`audit log is empty (${database.description}); nothing to verify`);
          return 0;
        }
        throw new RingfenceError(ErrorCodes.AUDIT_KEY_MISSING, `there is no audit key at ${keyPath}: restore it from your backup, or give its path with --key FILE`, keyPath);
      }
      const result = await verifyAudit({ repository, checkpoints, seal: auditSealFunctions(key), progress: ctx.progress });
      report(result, database.description, checkpoints.path, ctx);
      return result.problem ? EXIT_TAMPERED : 0;
    } finally {
      await database.close();
    }
}

function report(result: AuditVerification, where: string, checkpointPath: string, ctx: CliContext): void {
  const span = result.last ? `entries 1–${result.last.seq}` : 'no entries';
  if (result.problem) {
    const { seq, kind, message } = result.problem;
    ctx.out(`audit log TAMPERED (${where}): ${kind} at entry ${seq}: ${message}`);
    ctx.out(`${result.verified} entries verified (${span}); verification stops at the first problem`);
    return;
  }
  const checkpoint = result.checkpoint ? `; the checkpoint at entry ${result.checkpoint.seq} matches` : '';
  ctx.out(`audit log intact (${where}): ${result.verified} entries (${span}); every hash, seal and link checked${checkpoint}`);
  for (const warning of result.warnings) ctx.out(`warning: ${warning} (${checkpointPath})`);
}
