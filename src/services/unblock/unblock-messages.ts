// The plain-text emails about unblock requests, and sending them so that a failure is reported,
// never thrown: a decision is committed before anyone is told of it, and stays made.
import { readableInstant } from '../../core/unblock/unblock-rule.ts';
import type { UnblockRequest } from '../../core/unblock/unblock-request.ts';
import type { ContactDirectory, EmailMessage, Notifier } from '../ports.ts';

export interface NotifyDeps {
  readonly notifier?: Notifier;
  readonly contacts?: ContactDirectory;
  /** Told of each message that could not be sent (for the server's log). */
  readonly onNotifyFailure?: (failure: NotifyFailure) => void;
}

export interface NotifyFailure {
  readonly accountId: string;
  readonly subject: string;
  readonly error: string;
}

/** Who was told, who could not be (no address, or the send failed), and why. */
export interface NotifyReport {
  readonly sent: readonly string[];
  readonly failed: readonly NotifyFailure[];
}

export const NOTHING_SENT: NotifyReport = { sent: [], failed: [] };

function period(r: UnblockRequest): string {
  return `from ${readableInstant(r.startsAt)} until ${readableInstant(r.endsAt)}`;
}

function summary(r: UnblockRequest): string[] {
  return [`Site: ${r.site.value}`, `For: ${r.group}`, `Period: ${period(r)}`, `Reason given: ${r.reason}`, `Request: ${r.id}`];
}

export function decisionMessage(r: UnblockRequest): Omit<EmailMessage, 'to'> {
  const approved = r.state === 'approved';
  const subject = `Unblock request ${approved ? 'approved' : 'declined'}: ${r.site.value}`;
  const lines = [
    approved ? `Your request to unblock ${r.site.value} for ${r.group} has been approved.` : `Your request to unblock ${r.site.value} for ${r.group} has been declined.`,
    '',
    ...summary(r),
    `Comment: ${r.decisionComment ?? '(none)'}`,
    '',
    approved ? `The site is unblocked for the group ${period(r)}; it is blocked again after that by itself.` : 'Nothing was changed in the filtering.',
  ];
  return { subject, text: `${lines.join('\n')}\n` };
}

export function newRequestMessage(r: UnblockRequest): Omit<EmailMessage, 'to'> {
  const lines = ['A teacher has asked for a site to be unblocked. Please approve or decline it in the Ringfence console.', '', ...summary(r)];
  return { subject: `Unblock request waiting: ${r.site.value}`, text: `${lines.join('\n')}\n` };
}

/** Sends `message` to each account that has an address; reports, never throws. */
export async function notifyAccounts(deps: NotifyDeps, accountIds: readonly string[], message: Omit<EmailMessage, 'to'>): Promise<NotifyReport> {
  const { notifier, contacts } = deps;
  if (!notifier || !contacts || accountIds.length === 0) return NOTHING_SENT;
  const sent: string[] = [];
  const failed: NotifyFailure[] = [];
  for (const accountId of accountIds) {
    try {
      const to = await contacts.emailOf(accountId);
      if (to === null) throw new Error('the account has no email address');
      await notifier.send({ ...message, to });
      sent.push(accountId);
    } catch (e) {
      const failure = { accountId, subject: message.subject, error: e instanceof Error ? e.message : String(e) };
      failed.push(failure);
      deps.onNotifyFailure?.(failure);
    }
  }
  return { sent, failed };
}
