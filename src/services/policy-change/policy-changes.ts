// Change control of a school's policy: draft → submit (with a reason) → approve by a second,
// authorised person → published as the next version; or declined; and a one-step rollback that
// goes through the same approval. Every state change is written to the audit log.
import type { JsonObject } from '../../core/audit/canonical.ts';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import {
  checkDecision,
  rollbackTarget,
  staleChange,
  validateComment,
  validateReason,
  type Approver,
  type ChangeKind,
  type PolicyChangeRequest,
  type PolicyDraft,
  type PolicyVersion,
} from '../../core/policy/change/change-request.ts';
import { diffPolicies } from '../../core/policy/change/diff.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { parsePolicy } from '../../core/policy/validate.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, IdSource, PolicyChangeRepository } from '../ports.ts';

export interface PolicyChangeDeps {
  readonly repository: PolicyChangeRepository;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Called after a version is published (the server compiles it and swaps it live). */
  readonly onPublished: (schoolId: string, version: number, document: Policy) => Promise<void> | void;
}

/** What submit and rollback return: the change, and the version when it was published at once. */
export interface SubmitResult {
  readonly change: PolicyChangeRequest;
  readonly published: PolicyVersion | null;
}

const AUDIT_CHANGES_MAX = 50;

const id = (value: string, what: string) => parseEntityId(value, what, ErrorCodes.POLICY_CHANGE_INVALID);

/** Creates or replaces the school's draft with a valid policy document. */
export async function saveDraft(deps: PolicyChangeDeps, schoolId: string, author: string, document: unknown): Promise<PolicyDraft> {
  const school = id(schoolId, 'school id');
  const policy = parsePolicy(document, 'the draft policy');
  const existing = await deps.repository.findDraft(school);
  // A draft keeps the version it started from, so publishing it over a newer version is refused.
  const basedOnVersion = existing ? existing.basedOnVersion : ((await deps.repository.currentVersion(school))?.version ?? null);
  const draft: PolicyDraft = { schoolId: school, document: policy, basedOnVersion, author: id(author, 'author'), updatedAt: deps.clock.now().toISOString() };
  await deps.repository.saveDraft(draft);
  return draft;
}

/** Submits the school's draft with a reason: pending approval, or published at once when approval is off. */
export async function submit(deps: PolicyChangeDeps, schoolId: string, author: string, reason: string): Promise<SubmitResult> {
  const school = id(schoolId, 'school id');
  const why = validateReason(reason);
  const draft = await deps.repository.findDraft(school);
  if (!draft) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, `school ${quoteInput(schoolId)} has no draft policy to submit`, schoolId);
  return open(deps, { kind: 'change', schoolId: school, author: id(author, 'author'), reason: why, document: draft.document, basedOnVersion: draft.basedOnVersion }, true);
}

/** Asks to go back to the version before the current one; approved like any change. */
export async function rollback(deps: PolicyChangeDeps, schoolId: string, author: string, reason: string): Promise<SubmitResult> {
  const school = id(schoolId, 'school id');
  const why = validateReason(reason);
  const current = await deps.repository.currentVersion(school);
  const target = await deps.repository.findVersion(school, rollbackTarget(current));
  if (!target || !current) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, 'the version to roll back to is missing');
  return open(deps, { kind: 'rollback', schoolId: school, author: id(author, 'author'), reason: why, document: target.document, basedOnVersion: current.version }, false);
}

interface Opening {
  readonly kind: ChangeKind;
  readonly schoolId: string;
  readonly author: string;
  readonly reason: string;
  readonly document: Policy;
  readonly basedOnVersion: number | null;
}

async function open(deps: PolicyChangeDeps, o: Opening, fromDraft: boolean): Promise<SubmitResult> {
  const current = (await deps.repository.currentVersion(o.schoolId))?.version ?? null;
  const change: PolicyChangeRequest = {
    ...o,
    id: deps.ids.newId(),
    state: 'pending',
    submittedAt: deps.clock.now().toISOString(),
    decidedBy: null,
    decidedAt: null,
    decisionComment: null,
    publishedVersion: null,
  };
  if (current !== o.basedOnVersion) throw staleChange(change, current);
  await deps.repository.insertChange(change, fromDraft);
  const action = o.kind === 'rollback' ? 'policy.rollback-submitted' : 'policy.submitted';
  await record(deps, change, change.author, action, { reason: change.reason, basedOnVersion: change.basedOnVersion });
  if (await deps.repository.requiresApproval(o.schoolId)) return { change, published: null };
  const published = await publish(deps, change, null, null);
  return { change: (await deps.repository.findChange(change.id)) ?? change, published };
}

/** A second, authorised person approves a pending change: it is published as the next version. */
export async function approve(deps: PolicyChangeDeps, changeId: string, approver: Approver, comment?: string): Promise<PolicyVersion> {
  const change = await pendingChange(deps, changeId);
  checkDecision(change, { ...approver, accountId: id(approver.accountId, 'approver') }, 'approve');
  return publish(deps, change, approver.accountId.toLowerCase(), validateComment(comment));
}

/** A second, authorised person declines a pending change, saying why. */
export async function decline(deps: PolicyChangeDeps, changeId: string, approver: Approver, comment: string): Promise<PolicyChangeRequest> {
  const change = await pendingChange(deps, changeId);
  const decidedBy = id(approver.accountId, 'approver');
  checkDecision(change, { ...approver, accountId: decidedBy }, 'decline');
  const why = validateReason(comment, 'comment');
  const decidedAt = deps.clock.now().toISOString();
  await deps.repository.decline(change.id, { decidedBy, decidedAt, comment: why });
  await record(deps, change, decidedBy, 'policy.declined', { comment: why });
  return { ...change, state: 'declined', decidedBy, decidedAt, decisionComment: why };
}

/** Turns the school's approval requirement on or off (on unless turned off). */
export async function setRequiresApproval(deps: PolicyChangeDeps, schoolId: string, actor: string, required: boolean): Promise<void> {
  const school = id(schoolId, 'school id');
  await deps.repository.setRequiresApproval(school, required, deps.clock.now().toISOString());
  await deps.audit.append({ schoolId: school, actor: id(actor, 'actor'), action: 'policy.approval-setting', target: null, details: { requireApproval: required } });
}

async function pendingChange(deps: PolicyChangeDeps, changeId: string): Promise<PolicyChangeRequest> {
  const change = await deps.repository.findChange(id(changeId, 'change id'));
  if (!change) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, `there is no policy change with id ${quoteInput(changeId)}`, changeId);
  return change;
}

async function publish(deps: PolicyChangeDeps, change: PolicyChangeRequest, decidedBy: string | null, comment: string | null): Promise<PolicyVersion> {
  const version = await deps.repository.publish(change.id, { decidedBy, decidedAt: deps.clock.now().toISOString(), comment });
  await recordPublished(deps, change, version, decidedBy, comment);
  return version;
}

/**
 * What follows a publish: the audit entries (approved, published with its changes) and the
 * onPublished hook. Exported for changes published in another aggregate's transaction (unblocks).
 * With `actor` (e.g. "system" publishing an approval given earlier), only the publish is recorded, by them.
 */
export async function recordPublished(
  deps: Pick<PolicyChangeDeps, 'repository' | 'audit' | 'onPublished'>,
  change: PolicyChangeRequest,
  version: PolicyVersion,
  decidedBy: string | null,
  comment: string | null,
  actor?: string,
): Promise<void> {
  const before = version.parentVersion === null ? null : await deps.repository.findVersion(change.schoolId, version.parentVersion);
  const summaries = before ? diffPolicies(before.document, version.document).map((d) => d.summary) : ['first published version'];
  // Bounded, so a sweeping change still fits an audit entry; history() gives the full diff.
  const changes = summaries.length > AUDIT_CHANGES_MAX ? [...summaries.slice(0, AUDIT_CHANGES_MAX), `and ${summaries.length - AUDIT_CHANGES_MAX} more`] : summaries;
  // Recorded only once the version is stored: an approval that lost a race leaves no trace of success.
  if (decidedBy !== null && actor === undefined) await record(deps, change, decidedBy, 'policy.approved', comment === null ? { version: version.version } : { version: version.version, comment });
  const action = change.kind === 'rollback' ? 'policy.rolled-back' : 'policy.published';
  await record(deps, change, actor ?? decidedBy ?? change.author, action, { version: version.version, approvedBy: decidedBy, changes });
  await deps.onPublished(version.schoolId, version.version, version.document);
}

function record(deps: Pick<PolicyChangeDeps, 'audit'>, change: PolicyChangeRequest, actor: string, action: string, details: JsonObject): Promise<unknown> {
  return deps.audit.append({ schoolId: change.schoolId, actor, action, target: `policy-change:${change.id}`, details: { kind: change.kind, ...details } });
}
