// The dashboard's activity summary for a school and a window (at most 31 days). It names the
// pupils and devices with the most blocks, so reading it is audited like a search.
import { summaryWindow, type ActivitySummary } from '../../core/activity/summary.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { ActivitySummaryReader } from '../ports.ts';

export interface ActivitySummaryDeps {
  readonly summaries: ActivitySummaryReader;
  readonly audit: Pick<AuditLog, 'append'>;
}

export async function summariseActivity(deps: ActivitySummaryDeps, actor: string, schoolId: string, from: string, to: string): Promise<ActivitySummary> {
  const summary = await deps.summaries.summarise(summaryWindow(schoolId, from, to));
  await deps.audit.append({ schoolId, actor, action: 'activity.summarised', target: 'activity', details: { from, to } });
  return summary;
}
