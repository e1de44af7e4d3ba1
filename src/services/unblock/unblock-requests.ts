// Teachers' unblock requests: a teacher asks for a site for a group for a period, with a reason; a
// second person approves (the site's time-limited allow rule is published as the next policy
// version, through change control) or declines, with a comment; the teacher may cancel while it is
// pending. Every step is audited; the requester is told of the decision by email.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import { validateComment, validateReason, type PolicyChangeRequest, type PolicyVersion } from '../../core/policy/change/change-request.ts';
import { unblockRuleId, withUnblockRule } from '../../core/unblock/unblock-rule.ts';
import { checkUnblockStep, validateUnblockInput, type UnblockInput, type UnblockRequest } from '../../core/unblock/unblock-request.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { PolicyChangeDeps } from '../policy-change/policy-changes.ts';
import { recordPublished } from '../policy-change/policy-changes.ts';
import type { Clock, IdSource, PolicyChangeRepository, PolicyPublication, UnblockOutcome, UnblockRequestRepository } from '../ports.ts';
import { decisionMessage, newRequestMessage, notifyAccounts, NOTHING_SENT, type NotifyDeps, type NotifyReport } from './unblock-messages.ts';

export interface UnblockDeps extends NotifyDeps {
  readonly requests: UnblockRequestRepository;
  readonly policies: PolicyChangeRepository;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Called after a version is published (the server compiles it and swaps it live). */
  readonly onPublished: PolicyChangeDeps['onPublished'];
}

export interface UnblockResult {
  readonly request: UnblockRequest;
  /** The policy version that put the unblock in force; null when none was published (yet). */
  readonly version: PolicyVersion | null;
  /** Emails sent about this step; failures are here, not thrown. */
  readonly notification: NotifyReport;
}

/** How often a publish is rebuilt on the newest version when another change was published meanwhile. */
const PUBLISH_ATTEMPTS = 3;

const id = (value: string, what: string) => parseEntityId(value, what, ErrorCodes.UNBLOCK_INVALID);

/** A teacher asks for a site to be unblocked for a group of the school's policy, for a period, saying why. */
export async function requestUnblock(deps: UnblockDeps, schoolId: string, requester: string, input: UnblockInput): Promise<UnblockResult> {
  const school = id(schoolId, 'school id');
  const teacher = id(requester, 'requester');
  const current = await deps.policies.currentVersion(school);
  if (!current) throw new RingfenceError(ErrorCodes.UNBLOCK_INVALID, `school ${quoteInput(schoolId)} has no published policy yet: there is nothing to unblock against`, schoolId);
  const now = deps.clock.now();
  const valid = validateUnblockInput(input, current.document, now.getTime());
  const request: UnblockRequest = {
    id: deps.ids.newId(),
    schoolId: school,
    requester: teacher,
    site: valid.site,
    group: valid.group,
    ...valid.period,
    reason: valid.reason,
    state: 'pending',
    requestedAt: now.toISOString(),
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    publishedVersion: null,
    expiredAt: null,
  };
  await deps.requests.insert(request);
  await record(deps, request, teacher, 'unblock.requested', { site: request.site.value, group: request.group, startsAt: request.startsAt, endsAt: request.endsAt, reason: request.reason });
  const approvers = ((await deps.contacts?.approversOf?.(school)) ?? []).filter((a) => a !== teacher);
  return { request, version: null, notification: await notifyAccounts(deps, approvers, newRequestMessage(request)) };
}

/**
 * Someone other than the requester approves (their permission is checked by the caller). When the
 * period has started the rule is published at once, in the same transaction as the approval;
 * otherwise when it starts (`activateDue`).
 */
export async function approve(deps: UnblockDeps, requestId: string, approver: string, comment?: string | null): Promise<UnblockResult> {
  const request = await find(deps, requestId);
  const by = id(approver, 'approver');
  const now = deps.clock.now();
  checkUnblockStep(request, by, 'approve', now.getTime());
  const note = validateComment(comment);
  const decision = { state: 'approved', decidedBy: by, decidedAt: now.toISOString(), comment: note } as const;
  const outcome =
    Date.parse(request.startsAt) <= now.getTime()
      ? await publishing(deps, request.schoolId, (current) => unblockPublication(deps, request, current, { decidedBy: by, decidedAt: decision.decidedAt, comment: note }), (p) => deps.requests.decide(request.id, decision, p))
      : { ...(await deps.requests.decide(request.id, decision)), change: null };
  await record(deps, outcome.request, by, 'unblock.approved', { comment: note, version: outcome.version?.version ?? null, rule: unblockRuleId(request.id) });
  if (outcome.change && outcome.version) await recordPublished(policyDeps(deps), outcome.change, outcome.version, by, note);
  return { request: outcome.request, version: outcome.version, notification: await notifyAccounts(deps, [request.requester], decisionMessage(outcome.request)) };
}

/** Someone other than the requester declines, saying why. */
export async function decline(deps: UnblockDeps, requestId: string, approver: string, comment: string): Promise<UnblockResult> {
  const request = await find(deps, requestId);
  const by = id(approver, 'approver');
  checkUnblockStep(request, by, 'decline', deps.clock.now().getTime());
  const why = validateReason(comment, 'comment');
  const { request: declined } = await deps.requests.decide(request.id, { state: 'declined', decidedBy: by, decidedAt: deps.clock.now().toISOString(), comment: why });
  await record(deps, declined, by, 'unblock.declined', { comment: why });
  return { request: declined, version: null, notification: await notifyAccounts(deps, [request.requester], decisionMessage(declined)) };
}

/** The teacher who asked withdraws a request still pending. */
export async function cancel(deps: UnblockDeps, requestId: string, requester: string): Promise<UnblockRequest> {
  const request = await find(deps, requestId);
  const by = id(requester, 'requester');
  checkUnblockStep(request, by, 'cancel', deps.clock.now().getTime());
  const { request: cancelled } = await deps.requests.decide(request.id, { state: 'cancelled', decidedBy: by, decidedAt: deps.clock.now().toISOString(), comment: null });
  await record(deps, cancelled, by, 'unblock.cancelled', {});
  return cancelled;
}

/** A teacher's own requests at the school, newest first. */
export function listForRequester(deps: Pick<UnblockDeps, 'requests'>, schoolId: string, requester: string): Promise<UnblockRequest[]> {
  return deps.requests.list(id(schoolId, 'school id'), { requester: id(requester, 'requester') });
}

/** The school's requests waiting for a decision, newest first. */
export function listQueue(deps: Pick<UnblockDeps, 'requests'>, schoolId: string): Promise<UnblockRequest[]> {
  return deps.requests.list(id(schoolId, 'school id'), { states: ['pending'] });
}

export async function find(deps: Pick<UnblockDeps, 'requests'>, requestId: string): Promise<UnblockRequest> {
  const request = await deps.requests.find(id(requestId, 'unblock request id'));
  if (!request) throw new RingfenceError(ErrorCodes.UNBLOCK_UNKNOWN, `there is no unblock request with id ${quoteInput(requestId)}`, requestId);
  return request;
}

/** The change that adds the request's rule at the top of the current policy; the requester is its author. */
export function unblockPublication(deps: Pick<UnblockDeps, 'ids'>, request: UnblockRequest, current: PolicyVersion, decision: PolicyPublication['decision']): PolicyPublication {
  const change: PolicyChangeRequest = {
    id: deps.ids.newId(),
    schoolId: request.schoolId,
    kind: 'unblock',
    state: 'pending',
    document: withUnblockRule(current.document, request),
    reason: request.reason,
    author: request.requester,
    basedOnVersion: current.version,
    submittedAt: request.requestedAt,
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    publishedVersion: null,
  };
  return { change, decision };
}

/**
 * Builds a publication on the school's current version and runs `write` with it; when another
 * version was published in between, builds it again on the newer one (a few times).
 */
export async function publishing<T extends UnblockOutcome | { readonly version: PolicyVersion | null }>(
  deps: Pick<UnblockDeps, 'policies'>,
  schoolId: string,
  build: (current: PolicyVersion) => PolicyPublication | null,
  write: (publication: PolicyPublication | undefined) => Promise<T>,
): Promise<T & { readonly change: PolicyChangeRequest | null }> {
  for (let attempt = 1; ; attempt++) {
    const current = await deps.policies.currentVersion(schoolId);
    if (!current) throw new RingfenceError(ErrorCodes.UNBLOCK_CONFLICT, 'the school has no published policy to add the unblock to', schoolId);
    const publication = build(current);
    try {
      const result = await write(publication ?? undefined);
      return { ...result, change: publication?.change ?? null };
    } catch (e) {
      const raced = e instanceof RingfenceError && e.code === ErrorCodes.POLICY_CHANGE_CONFLICT;
      if (!raced || attempt >= PUBLISH_ATTEMPTS) throw e;
    }
  }
}

export function policyDeps(deps: UnblockDeps): Pick<PolicyChangeDeps, 'repository' | 'audit' | 'onPublished'> {
  return { repository: deps.policies, audit: deps.audit, onPublished: deps.onPublished };
}

export function record(deps: Pick<UnblockDeps, 'audit'>, request: UnblockRequest, actor: string, action: string, details: Record<string, string | number | null>): Promise<unknown> {
  return deps.audit.append({ schoolId: request.schoolId, actor, action, target: `unblock-request:${request.id}`, details: { site: request.site.value, group: request.group, ...details } });
}
