// Appending to the audit log. Appends are serialised (here by a queue, across processes by the
// repository's write lock), so two writers never chain onto the same tail and fork the log. An
// append resolves only after its transaction commits; the checkpoint is then moved forward.
import { validateAuditInput, type AuditEntry, type AuditInput } from '../../core/audit/entry.ts';
import { checkpointIsSealed, sealCheckpoint, sealEntry, type AuditSealFunctions } from '../../core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { AuditCheckpointStore, AuditRepository, Clock } from '../ports.ts';

export interface AuditLogDeps {
  readonly repository: AuditRepository;
  readonly checkpoints: AuditCheckpointStore;
  /** Hash and HMAC under the seal key (kept outside the database). */
  readonly seal: AuditSealFunctions;
  readonly clock: Clock;
}

export class AuditLog {
  readonly #deps: AuditLogDeps;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(deps: AuditLogDeps) {
    this.#deps = deps;
  }

  /** Validates, seals and stores one entry; resolves with it once it is committed. */
  async append(input: AuditInput): Promise<AuditEntry> {
    const record = validateAuditInput(input);
    const run = this.#queue.then(async () => {
      await this.#refuseIfBehindCheckpoint();
      const { repository, checkpoints, seal, clock } = this.#deps;
      const entry = await repository.appendAfterTail((tail) => sealEntry(record, clock.now().toISOString(), tail, seal));
      await checkpoints.write(sealCheckpoint(entry, seal));
      return entry;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /**
   * If entries at or before the checkpoint were removed, appending would overwrite the checkpoint
   * and with it the evidence: refuse instead, and let `ringfence audit verify` say what happened.
   */
  async #refuseIfBehindCheckpoint(): Promise<void> {
    const { repository, checkpoints, seal } = this.#deps;
    const checkpoint = await checkpoints.read();
    if (checkpoint === null) return;
    if (!checkpointIsSealed(checkpoint, seal)) {
      throw new RingfenceError(ErrorCodes.AUDIT_CHECKPOINT_INVALID, 'the audit checkpoint was not sealed with this key; appending is refused (run `ringfence audit verify`)');
    }
    const entry = await repository.entryAt(checkpoint.seq);
    if (entry?.hash !== checkpoint.hash) {
      throw new RingfenceError(
        ErrorCodes.AUDIT_BEHIND_CHECKPOINT,
        `the audit log no longer holds entry ${checkpoint.seq} as sealed in its checkpoint: entries may have been removed; appending is refused (run \`ringfence audit verify\`)`,
      );
    }
  }
}
