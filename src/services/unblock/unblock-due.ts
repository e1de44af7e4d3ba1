// The periodic work of unblock requests (the server calls runDue every minute or so): rules of
// approved requests whose period has started are published, and requests whose period has ended
// are marked expired and their rules removed in a new policy version, by the system. The engine
// already ignores a rule past its expiry, so a late run never leaves a site unblocked too long.
import { SYSTEM_ACTOR } from '../../core/audit/entry.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { PolicyChangeRequest } from '../../core/policy/change/change-request.ts';
import { unblockRuleId, withoutEndedUnblocks } from '../../core/unblock/unblock-rule.ts';
import type { UnblockRequest } from '../../core/unblock/unblock-request.ts';
import { recordPublished } from '../policy-change/policy-changes.ts';
import { policyDeps, publishing, record, unblockPublication, type UnblockDeps } from './unblock-requests.ts';

export interface DueResult {
  /** Requests whose rule was published because their period started. */
  readonly activated: readonly string[];
  /** Requests marked expired. */
  readonly expired: readonly string[];
  /** Policy versions published, in order. */
  readonly versions: readonly number[];
  /** Requests that could not be started (e.g. their group left the policy); tried again next run. */
  readonly failed: readonly { readonly id: string; readonly error: string }[];
}

const REASON_LISTS_AT_MOST = 10;

export async function runDue(deps: UnblockDeps): Promise<DueResult> {
  const ended = await expireDue(deps);
  const started = await activateDue(deps);
  return { activated: started.activated, expired: ended.expired, versions: [...ended.versions, ...started.versions], failed: started.failed };
}

/** Marks requests whose period has ended expired and publishes each school's policy without their rules. */
export async function expireDue(deps: UnblockDeps): Promise<DueResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const due = (await deps.requests.listDue(at)).filter((r) => Date.parse(r.endsAt) <= now.getTime());
  const bySchool = new Map<string, UnblockRequest[]>();
  for (const r of due) bySchool.set(r.schoolId, [...(bySchool.get(r.schoolId) ?? []), r]);
  const expired: string[] = [];
  const versions: number[] = [];
  for (const [schoolId, requests] of bySchool) {
    const ids = requests.map((r) => r.id);
    const ruleIds = new Set(requests.map((r) => unblockRuleId(r.id)));
    let outcome;
    try {
      outcome = await publishing(
        deps,
        schoolId,
        (current) => {
          const document = withoutEndedUnblocks(current.document, now.getTime(), ruleIds);
          if (document === current.document) return null;
          const change: PolicyChangeRequest = {
            id: deps.ids.newId(),
            schoolId,
            kind: 'unblock-expiry',
            state: 'pending',
            document,
            reason: endedReason(requests),
            author: SYSTEM_ACTOR,
            basedOnVersion: current.version,
            submittedAt: at,
            decidedBy: null,
            decidedAt: null,
            decisionComment: null,
            publishedVersion: null,
          };
          return { change, decision: { decidedBy: null, decidedAt: at, comment: null } };
        },
        (publication) => deps.requests.expire(ids, at, publication),
      );
    } catch (e) {
      // A school without a published policy has no rules to remove: just close its requests.
      if (!(e instanceof RingfenceError && e.code === ErrorCodes.UNBLOCK_CONFLICT)) throw e;
      outcome = { ...(await deps.requests.expire(ids, at)), change: null };
    }
    for (const request of requests) {
      if (outcome.expired.includes(request.id)) await record(deps, request, SYSTEM_ACTOR, 'unblock.expired', { endsAt: request.endsAt, version: outcome.version?.version ?? null });
    }
    expired.push(...outcome.expired);
    if (outcome.change && outcome.version) {
      versions.push(outcome.version.version);
      await recordPublished(policyDeps(deps), outcome.change, outcome.version, null, null);
    }
  }
  return { activated: [], expired, versions, failed: [] };
}

/** Publishes the rules of approved requests whose period has now started. */
export async function activateDue(deps: UnblockDeps): Promise<DueResult> {
  const now = deps.clock.now();
  const at = now.toISOString();
  const due = (await deps.requests.listDue(at)).filter((r) => r.state === 'approved' && r.publishedVersion === null && Date.parse(r.startsAt) <= now.getTime() && now.getTime() < Date.parse(r.endsAt));
  const activated: string[] = [];
  const versions: number[] = [];
  const failed: { id: string; error: string }[] = [];
  for (const request of due) {
    // The approver's decision, taken earlier, is what the version carries; the system only publishes it.
    const decision = { decidedBy: request.decidedBy, decidedAt: at, comment: request.decisionComment };
    let outcome;
    try {
      outcome = await publishing(deps, request.schoolId, (current) => unblockPublication(deps, request, current, decision), (p) => deps.requests.publishRule(request.id, p!));
    } catch (e) {
      // One request that cannot start (its group was removed) must not hold up the others.
      if (!(e instanceof RingfenceError)) throw e;
      failed.push({ id: request.id, error: e.message });
      continue;
    }
    activated.push(request.id);
    versions.push(outcome.version!.version);
    await record(deps, outcome.request, SYSTEM_ACTOR, 'unblock.started', { version: outcome.version!.version });
    await recordPublished(policyDeps(deps), outcome.change!, outcome.version!, request.decidedBy, request.decisionComment, SYSTEM_ACTOR);
  }
  return { activated, expired: [], versions, failed };
}

function endedReason(requests: readonly UnblockRequest[]): string {
  const named = requests.slice(0, REASON_LISTS_AT_MOST).map((r) => `${r.site.value} for ${r.group} (request ${r.id})`);
  const more = requests.length > REASON_LISTS_AT_MOST ? `, and ${requests.length - REASON_LISTS_AT_MOST} more` : '';
  return `The unblock period ended: ${named.join(', ')}${more}`;
}
