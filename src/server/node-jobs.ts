// The node's timed work: moving activity from the log files into the database, pruning it past the
// school's retention, starting and expiring unblock rules, and ending stale console sessions.
import { join } from 'node:path';
import type { Policy } from '../core/policy/schema.ts';
import { ingestActivity } from '../services/activity/ingest.ts';
import { pruneActivity } from '../services/activity/retention.ts';
import { runDue } from '../services/unblock/unblock-due.ts';
import { activityLogFiles } from '../storage/files/activity-files.ts';
import type { Job } from './background-jobs.ts';
import type { ControlPlane } from './control-plane.ts';
import type { StartConfig } from './start-config.ts';

const ACTIVITY_PRUNE_EVERY_MS = 60 * 60 * 1000;

export function nodeJobs(plane: ControlPlane, config: StartConfig, schoolId: string, onPublished: (schoolId: string, version: number, document: Policy) => Promise<void>): Job[] {
  const unblock = plane.unblockDeps(onPublished);
  const files = activityLogFiles(join(config.dataDir, 'logs'));
  return [
    {
      name: 'activity',
      everyMs: config.ingestEveryMs,
      run: async () => {
        const r = await ingestActivity({ repository: plane.activity, files, clock: plane.clock }, { schoolId });
        return r.badLines > 0 ? `stored ${r.rows} entries; skipped ${r.badLines} unreadable lines` : null;
      },
    },
    {
      name: 'activity retention',
      everyMs: ACTIVITY_PRUNE_EVERY_MS,
      run: async () => {
        const removed = await pruneActivity(plane.activity, schoolId, plane.clock.now());
        return removed > 0 ? `removed ${removed} entries older than the school's retention period` : null;
      },
    },
    {
      name: 'unblock requests',
      everyMs: config.housekeepingEveryMs,
      run: async () => {
        const r = await runDue(unblock);
        const parts = [r.activated.length ? `${r.activated.length} started` : '', r.expired.length ? `${r.expired.length} expired` : '', r.failed.length ? `${r.failed.length} failed` : ''].filter(Boolean);
        return parts.length ? parts.join(', ') : null;
      },
    },
    {
      name: 'sessions',
      everyMs: config.housekeepingEveryMs,
      run: async () => {
        const ended = await plane.auth.purgeStaleSessions();
        return ended > 0 ? `ended ${ended} stale console sessions` : null;
      },
    },
  ];
}
