// A new school's first policy: the default pack published as version 1 by the system, with its
// reason in the change log like any other version. Nothing happens when a version exists.
import type { PolicyChangeRequest, PolicyVersion } from '../../core/policy/change/change-request.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { parsePolicy } from '../../core/policy/validate.ts';
import type { PolicyChangeDeps } from './policy-changes.ts';

export const SYSTEM_ACTOR = 'system';

export async function publishFirstVersion(deps: PolicyChangeDeps, schoolId: string, document: Policy, reason: string): Promise<PolicyVersion | null> {
  if (await deps.repository.currentVersion(schoolId)) return null;
  const policy = parsePolicy(document, 'the first policy');
  const change: PolicyChangeRequest = {
    id: deps.ids.newId(),
    schoolId,
    kind: 'change',
    state: 'pending',
    document: policy,
    reason,
    author: SYSTEM_ACTOR,
    basedOnVersion: null,
    submittedAt: deps.clock.now().toISOString(),
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    publishedVersion: null,
  };
  await deps.repository.insertChange(change, false);
  const version = await deps.repository.publish(change.id, { decidedBy: null, decidedAt: change.submittedAt, comment: null });
  await deps.audit.append({ schoolId, actor: SYSTEM_ACTOR, action: 'policy.published', target: `policy-change:${change.id}`, details: { kind: 'change', version: version.version, approvedBy: null, changes: ['first published version'], reason } });
  await deps.onPublished(schoolId, version.version, version.document);
  return version;
}
