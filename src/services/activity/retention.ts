// Keeping activity logs only as long as the school decided: setting the period, and pruning what
// is older, in bounded chunks so no transaction holds the write lock for long.
import { retentionCutoffMs, validateRetentionDays } from '../../core/activity/retention.ts';
import type { ActivityRepository, Clock } from '../ports.ts';

/** Rows deleted per transaction. */
export const PRUNE_CHUNK_ROWS = 5000;

export async function setActivityRetention(repository: ActivityRepository, clock: Clock, schoolId: string, days: number): Promise<number> {
  const valid = validateRetentionDays(days);
  await repository.setRetentionDays(schoolId, valid, clock.now().toISOString());
  return valid;
}

/** Deletes the school's entries older than its retention period at `now`; returns how many. */
export async function pruneActivity(repository: ActivityRepository, schoolId: string, now: Date, chunkRows = PRUNE_CHUNK_ROWS): Promise<number> {
  const cutoff = retentionCutoffMs(now, await repository.retentionDays(schoolId));
  let total = 0;
  for (;;) {
    const deleted = await repository.deleteOlderThan(schoolId, cutoff, chunkRows);
    total += deleted;
    if (deleted < chunkRows) return total;
  }
}
