// Change control reached through one school: a change id from another school is "unknown", so an
// account scoped to one school can never decide another's change by guessing its id. And the
// "what changes" preview of the draft against the published version.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import type { Approver, PolicyChangeRequest, PolicyVersion } from '../../core/policy/change/change-request.ts';
import { diffPolicies, type PolicyDifference } from '../../core/policy/change/diff.ts';
import type { PolicyChangeRepository } from '../ports.ts';
import { approve, decline, type PolicyChangeDeps } from './policy-changes.ts';

async function changeOfSchool(repository: PolicyChangeRepository, schoolId: string, changeId: string): Promise<PolicyChangeRequest> {
  const change = await repository.findChange(parseEntityId(changeId, 'change id', ErrorCodes.POLICY_CHANGE_INVALID));
  if (!change || change.schoolId !== schoolId.toLowerCase()) {
    throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, `the school has no policy change with id ${quoteInput(changeId)}`, changeId);
  }
  return change;
}

export async function approveInSchool(deps: PolicyChangeDeps, schoolId: string, changeId: string, approver: Approver, comment?: string): Promise<PolicyVersion> {
  const change = await changeOfSchool(deps.repository, schoolId, changeId);
  return approve(deps, change.id, approver, comment);
}

export async function declineInSchool(deps: PolicyChangeDeps, schoolId: string, changeId: string, approver: Approver, comment: string): Promise<PolicyChangeRequest> {
  const change = await changeOfSchool(deps.repository, schoolId, changeId);
  return decline(deps, change.id, approver, comment);
}

export interface DraftPreview {
  readonly basedOnVersion: number | null;
  readonly currentVersion: number | null;
  /** The draft against the version in force (every difference when there is none yet). */
  readonly differences: readonly PolicyDifference[];
}

/** What publishing the draft would change; null when the school has no draft. */
export async function previewDraft(repository: PolicyChangeRepository, schoolId: string): Promise<DraftPreview | null> {
  const school = parseEntityId(schoolId, 'school id', ErrorCodes.POLICY_CHANGE_INVALID);
  const [draft, current] = await Promise.all([repository.findDraft(school), repository.currentVersion(school)]);
  if (!draft) return null;
  const differences = current ? diffPolicies(current.document, draft.document) : [{ area: 'school' as const, kind: 'added' as const, id: null, fields: [], summary: 'first version of the policy' }];
  return { basedOnVersion: draft.basedOnVersion, currentVersion: current?.version ?? null, differences };
}
