// Change control of a school's policy: a draft becomes a change request with a reason; a second,
// authorised person approves it (unless the school turned approval off) and it is published as the
// next version. No single person can change what is filtered on their own.
import { ErrorCodes, RingfenceError, quoteInput } from '../../errors.ts';
import type { Policy } from '../schema.ts';

export const REASON_MAX = 1000;

/** 'unblock': an approved unblock request's rule added; 'unblock-expiry': ended unblocks removed (by the system). */
export type ChangeKind = 'change' | 'rollback' | 'unblock' | 'unblock-expiry';
export type ChangeState = 'pending' | 'published' | 'declined';

/** The one open draft a school has: edited freely, not enforced. */
export interface PolicyDraft {
  readonly schoolId: string;
  readonly document: Policy;
  /** The published version it started from; null before the first. */
  readonly basedOnVersion: number | null;
  readonly author: string;
  readonly updatedAt: string;
}

export interface PolicyChangeRequest {
  readonly id: string;
  readonly schoolId: string;
  readonly kind: ChangeKind;
  readonly state: ChangeState;
  readonly document: Policy;
  readonly reason: string;
  readonly author: string;
  readonly basedOnVersion: number | null;
  readonly submittedAt: string;
  /** Who approved or declined; null while pending, and when published without approval. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionComment: string | null;
  /** The version it became; null unless published. */
  readonly publishedVersion: number | null;
}

export interface PolicyVersion {
  readonly schoolId: string;
  /** 1, 2, 3… per school. */
  readonly version: number;
  readonly document: Policy;
  /** The version it replaced; null for the first. */
  readonly parentVersion: number | null;
  readonly changeId: string;
  readonly publishedAt: string;
}

/** Whoever approves or declines: the permission comes from their account's role. */
export interface Approver {
  readonly accountId: string;
  readonly mayApprove: boolean;
}

/** A decision on a pending change, as stored. */
export interface ChangeDecision {
  readonly decidedBy: string | null;
  readonly decidedAt: string;
  readonly comment: string | null;
}

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.POLICY_CHANGE_INVALID, message, input);
}

/** Trimmed, non-empty, at most REASON_MAX characters; `what` names it in errors ("reason", "comment"). */
export function validateReason(reason: string | undefined | null, what = 'reason'): string {
  const trimmed = (reason ?? '').trim();
  if (trimmed === '') throw invalid(`a ${what} is required: say why the policy changes`);
  if (trimmed.length > REASON_MAX) throw invalid(`the ${what} is ${trimmed.length} characters; at most ${REASON_MAX} are kept`, trimmed);
  return trimmed;
}

/** An optional comment: trimmed, null when empty, bounded like a reason. */
export function validateComment(comment: string | undefined | null): string | null {
  return (comment ?? '').trim() === '' ? null : validateReason(comment, 'comment');
}

/** Refuses a decision the approver may not take on this change. */
export function checkDecision(change: PolicyChangeRequest, approver: Approver, verb: 'approve' | 'decline'): void {
  if (change.state !== 'pending') {
    throw new RingfenceError(ErrorCodes.POLICY_CHANGE_CONFLICT, `change ${quoteInput(change.id)} is ${change.state}, not pending: it cannot be ${verb}d`, change.id);
  }
  if (!approver.mayApprove) {
    throw new RingfenceError(ErrorCodes.POLICY_CHANGE_FORBIDDEN, `account ${quoteInput(approver.accountId)} is not allowed to ${verb} policy changes`, approver.accountId);
  }
  if (approver.accountId === change.author) {
    throw new RingfenceError(ErrorCodes.POLICY_CHANGE_FORBIDDEN, `the author of change ${quoteInput(change.id)} cannot ${verb} it: a second person must`, approver.accountId);
  }
}

/** The version a one-step rollback goes back to: the one before the current. */
export function rollbackTarget(current: PolicyVersion | null): number {
  if (current === null || current.parentVersion === null) {
    throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, current === null ? 'there is no published policy to roll back' : 'version 1 is the first published policy: there is nothing before it to roll back to');
  }
  return current.parentVersion;
}

export function staleChange(change: Pick<PolicyChangeRequest, 'id' | 'basedOnVersion'>, current: number | null): RingfenceError {
  const based = change.basedOnVersion === null ? 'no published version' : `version ${change.basedOnVersion}`;
  return new RingfenceError(
    ErrorCodes.POLICY_CHANGE_CONFLICT,
    `change ${quoteInput(change.id)} was made on ${based}, but version ${current ?? 'none'} is now published: start a new draft from the current policy`,
    change.id,
  );
}
