// What a named child looked at is among the most sensitive records held: every search, every
// export and every change of the retention period is written to the audit log, with who did it
// and the filters they used.
import type { ActivitySearchInput } from '../../core/activity/query.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActivityRepository, ActivitySummaryReader, Clock } from '../ports.ts';
import { setActivityRetention } from './retention.ts';
import { exportActivityCsv, searchActivity } from './search.ts';

export interface AuditedActivityDeps {
  readonly repository: ActivityRepository;
  readonly summaries: ActivitySummaryReader;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
}

function filters(input: ActivitySearchInput): Record<string, string | null> {
  const keys = ['user', 'device', 'host', 'category', 'decision', 'source', 'from', 'to'] as const;
  return Object.fromEntries(keys.filter((k) => input[k] != null && input[k] !== '').map((k) => [k, String(input[k])]));
}

export async function searchActivityAudited(deps: AuditedActivityDeps, actor: string, schoolId: string, input: ActivitySearchInput) {
  const page = await searchActivity(deps.repository, schoolId, input);
  // Recorded after the search succeeded (so a refused search leaves no entry), before anything is shown.
  await deps.audit.append({ schoolId, actor, action: 'activity.searched', target: 'activity', details: { ...filters(input), page: input.cursor ? 'next' : 'first', rows: page.entries.length } });
  return page;
}

/** The export's chunks; the audit entry is written before the first chunk leaves. */
export async function exportActivityAudited(deps: AuditedActivityDeps, actor: string, schoolId: string, input: ActivitySearchInput): Promise<AsyncIterable<string>> {
  const chunks = exportActivityCsv(deps.repository, schoolId, input);
  await deps.audit.append({ schoolId, actor, action: 'activity.exported', target: 'activity', details: filters(input) });
  return chunks;
}

export async function setRetentionAudited(deps: AuditedActivityDeps, actor: string, schoolId: string, days: number): Promise<number> {
  const before = await deps.repository.retentionDays(schoolId);
  const after = await setActivityRetention(deps.repository, deps.clock, schoolId, days);
  await deps.audit.append({ schoolId, actor, action: 'activity.retention-set', target: 'activity', details: { before, after } });
  return after;
}
