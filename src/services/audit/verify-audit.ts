// Verifying the audit log: walks the chain from the first entry and stops at the first problem.
//
// What it detects (given the seal key and the checkpoint file):
//  - an entry edited in place (its contents no longer give its hash)          → "edited"
//  - an entry re-hashed after editing, or written by anyone without the key   → "bad-seal"
//  - entries removed from the start or middle (a broken link or a gap)        → "deleted"
//  - entries removed from the end, up to the checkpoint                       → "deleted"
//  - an entry added (forged, or a copy of a genuine one)                      → "inserted"
//  - entries moved (their sequence numbers swapped or shifted)                → "reordered"
//  - sequence numbers changed without moving anything                         → "edited"
//  - a checkpoint not sealed with the key                                     → "bad-seal"
// What it cannot detect:
//  - anything done by someone holding the seal key and write access to the database: they can
//    write a consistent chain and checkpoint (keep the key away from database administrators);
//  - removal of entries appended after the last checkpoint was written (a crash between commit and
//    checkpoint, or a tail cut while the checkpoint file was also rolled back or deleted: a missing
//    checkpoint is reported as a warning, not as tampering);
//  - the database and the checkpoint both restored from an older backup (a rollback);
//  - actions that were never recorded, or entries whose contents were false when written.
import { GENESIS_HASH, type AuditEntry, type AuditTail } from '../../core/audit/entry.ts';
import { checkpointIsSealed, entryFault, type AuditCheckpoint, type AuditSealFunctions } from '../../core/audit/seal.ts';
import { ErrorCodes, isRingfenceError } from '../../core/errors.ts';
import { silentProgress, type AuditCheckpointStore, type AuditRepository, type ProgressReporter } from '../ports.ts';

export type AuditProblemKind = 'edited' | 'deleted' | 'inserted' | 'reordered' | 'bad-seal';

export interface AuditProblem {
  /** The first sequence number found wrong (for removed entries, the first one missing). */
  readonly seq: number;
  readonly kind: AuditProblemKind;
  readonly message: string;
}

export interface AuditVerification {
  /** Entries found sound, in chain order from entry 1, before any problem. */
  readonly verified: number;
  /** The last sound entry (null when none). */
  readonly last: AuditTail | null;
  readonly checkpoint: AuditCheckpoint | null;
  /** The first problem, or null when the log is intact. */
  readonly problem: AuditProblem | null;
  /** Things that limit what could be checked, e.g. no checkpoint. */
  readonly warnings: readonly string[];
}

export interface VerifyAuditDeps {
  readonly repository: AuditRepository;
  readonly checkpoints: AuditCheckpointStore;
  readonly seal: AuditSealFunctions;
  readonly progress?: ProgressReporter;
  /** Entries read per query (default 1000). */
  readonly pageSize?: number;
}

const where = (tail: AuditTail) => (tail.seq === 0 ? 'the start of the log' : `entry ${tail.seq}`);

export async function verifyAudit(deps: VerifyAuditDeps): Promise<AuditVerification> {
  const { repository, seal } = deps;
  const progress = deps.progress ?? silentProgress;
  const pageSize = deps.pageSize ?? 1000;
  const warnings: string[] = [];
  // Read before walking: entries appended meanwhile are then beyond the checkpoint, not missing.
  let checkpoint: AuditCheckpoint | null = null;
  let checkpointProblem: AuditProblem | null = null;
  try {
    checkpoint = await deps.checkpoints.read();
  } catch (e) {
    if (!isRingfenceError(e) || e.code !== ErrorCodes.AUDIT_CHECKPOINT_INVALID) throw e;
    checkpointProblem = { seq: 0, kind: 'bad-seal', message: e.message };
  }

  const total = await repository.count();
  progress.start('verifying audit log', total);
  let prev: AuditTail = { seq: 0, hash: GENESIS_HASH };
  let verified = 0;
  let hashAtCheckpoint: string | null = null;
  const finish = (problem: AuditProblem | null): AuditVerification => {
    progress.done(problem ? `problem at entry ${problem.seq}` : `${verified} entries verified`);
    return { verified, last: prev.seq === 0 ? null : prev, checkpoint, problem, warnings };
  };

  for (;;) {
    const page = await repository.entriesAfter(prev.seq, pageSize);
    for (const entry of page) {
      const problem = await checkEntry(repository, seal, entry, prev, verified + 1);
      if (problem) return finish(problem);
      prev = { seq: entry.seq, hash: entry.hash };
      verified++;
      if (checkpoint && entry.seq === checkpoint.seq) hashAtCheckpoint = entry.hash;
    }
    progress.advance(page.length);
    if (page.length < pageSize) break;
  }

  if (verified < total) {
    return finish({ seq: prev.seq + 1, kind: 'inserted', message: `the log holds ${total} entries but only ${verified} are in the chain: entries were added with sequence numbers below 1` });
  }
  if (checkpointProblem) return finish({ ...checkpointProblem, seq: prev.seq });
  if (checkpoint === null) {
    if (verified > 0) warnings.push('there is no checkpoint, so entries cut from the end of the log would go unnoticed');
    return finish(null);
  }
  if (!checkpointIsSealed(checkpoint, seal)) {
    return finish({ seq: checkpoint.seq, kind: 'bad-seal', message: 'the checkpoint was not sealed with this key: it was replaced by someone without the key, or this is not the key the log was sealed with' });
  }
  if (checkpoint.seq > prev.seq) {
    const missing = checkpoint.seq === prev.seq + 1 ? `entry ${checkpoint.seq} is` : `entries ${prev.seq + 1}–${checkpoint.seq} are`;
    return finish({ seq: prev.seq + 1, kind: 'deleted', message: `${missing} missing from the end: the checkpoint records ${checkpoint.seq} entries but the log ends at ${where(prev)}` });
  }
  if (hashAtCheckpoint !== checkpoint.hash) {
    return finish({ seq: checkpoint.seq, kind: 'deleted', message: `entry ${checkpoint.seq} is not the entry the checkpoint sealed: entries were removed and others written in their place` });
  }
  return finish(null);
}

/** The problem with `entry`, which should follow `prev` as entry number `expectedSeq`; null when sound. */
async function checkEntry(repository: AuditRepository, seal: AuditSealFunctions, entry: AuditEntry, prev: AuditTail, expectedSeq: number): Promise<AuditProblem | null> {
  const fault = entryFault(entry, seal);
  if (fault) {
    // A forged entry slipped in: the entry after it still links to the one before it.
    const [next] = await repository.entriesAfter(entry.seq, 1);
    if (next && next.prevHash === prev.hash && entryFault(next, seal) === null) {
      return { seq: entry.seq, kind: 'inserted', message: `entry ${entry.seq} is not part of the chain: entry ${next.seq} follows ${where(prev)} directly` };
    }
    if (fault === 'edited') return { seq: entry.seq, kind: 'edited', message: `entry ${entry.seq} was changed after it was written: its contents no longer match its hash` };
    const wrongKey = prev.seq === 0 ? ', or this is not the key the log was sealed with' : '';
    return { seq: entry.seq, kind: 'bad-seal', message: `entry ${entry.seq} was not sealed with this key: it was rewritten by someone without the key${wrongKey}` };
  }
  if (entry.prevHash !== prev.hash) return diagnoseBrokenLink(repository, entry, prev, expectedSeq);
  if (entry.seq !== expectedSeq) {
    return { seq: entry.seq, kind: 'edited', message: `sequence numbers were changed: the entry numbered ${entry.seq} is entry ${expectedSeq} of the chain (the chain itself is intact)` };
  }
  return null;
}

/** A genuine entry that does not follow `prev`: a copy, a moved entry, or the one after a gap. */
async function diagnoseBrokenLink(repository: AuditRepository, entry: AuditEntry, prev: AuditTail, expectedSeq: number): Promise<AuditProblem> {
  const copies = (await repository.seqsWithHash(entry.hash)).filter((seq) => seq !== entry.seq);
  if (copies.length > 0) return { seq: entry.seq, kind: 'inserted', message: `entry ${entry.seq} is a copy of entry ${copies[0]}` };
  const rightful = (await repository.seqsWithPrevHash(prev.hash)).filter((seq) => seq !== entry.seq);
  if (rightful.length > 0) {
    return { seq: entry.seq, kind: 'reordered', message: `entry ${entry.seq} is out of order: the entry that follows ${where(prev)} is numbered ${rightful[0]}` };
  }
  if (entry.seq > expectedSeq) {
    const missing = entry.seq === expectedSeq + 1 ? `entry ${expectedSeq} is` : `entries ${expectedSeq}–${entry.seq - 1} are`;
    return { seq: expectedSeq, kind: 'deleted', message: `${missing} missing: entry ${entry.seq} does not follow ${where(prev)}` };
  }
  return { seq: entry.seq, kind: 'deleted', message: `an entry between ${where(prev)} and entry ${entry.seq} is missing (the entries after it were renumbered to hide the gap)` };
}
