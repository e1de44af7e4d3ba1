// Unblock requests reached through one school: a request id from another school is "unknown", so
// an approver scoped to one school can never decide another's request by guessing its id. And the
// form's choices: the policy's groups and the "until the end of today / this week / this term" ends.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { periodPresets, type PeriodPresets } from '../../core/unblock/period-presets.ts';
import type { UnblockRequest } from '../../core/unblock/unblock-request.ts';
import { approve, cancel, decline, find, type UnblockDeps, type UnblockResult } from './unblock-requests.ts';

async function requestOfSchool(deps: Pick<UnblockDeps, 'requests'>, schoolId: string, requestId: string): Promise<UnblockRequest> {
  const request = await find(deps, requestId);
  if (request.schoolId !== schoolId.toLowerCase()) throw new RingfenceError(ErrorCodes.UNBLOCK_UNKNOWN, `the school has no unblock request with id ${quoteInput(requestId)}`, requestId);
  return request;
}

export async function approveInSchool(deps: UnblockDeps, schoolId: string, requestId: string, approver: string, comment?: string | null): Promise<UnblockResult> {
  return approve(deps, (await requestOfSchool(deps, schoolId, requestId)).id, approver, comment);
}

export async function declineInSchool(deps: UnblockDeps, schoolId: string, requestId: string, approver: string, comment: string): Promise<UnblockResult> {
  return decline(deps, (await requestOfSchool(deps, schoolId, requestId)).id, approver, comment);
}

export async function cancelInSchool(deps: UnblockDeps, schoolId: string, requestId: string, requester: string): Promise<UnblockRequest> {
  return cancel(deps, (await requestOfSchool(deps, schoolId, requestId)).id, requester);
}

export interface UnblockFormChoices {
  readonly groups: readonly { readonly id: string; readonly title: string }[];
  readonly ends: PeriodPresets;
}

export async function unblockFormChoices(deps: Pick<UnblockDeps, 'policies' | 'clock'>, schoolId: string): Promise<UnblockFormChoices> {
  const current = await deps.policies.currentVersion(schoolId.toLowerCase());
  if (!current) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, 'the school has no published policy yet', schoolId);
  return { groups: current.document.groups, ends: periodPresets(current.document, deps.clock.now().getTime()) };
}
