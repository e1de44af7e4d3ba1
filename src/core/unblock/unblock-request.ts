// A teacher's request to unblock a site for a group for a period of study ("for the period of
// study", decided by a designated person, auditable with clear reasons), and the rules it must meet.
import { ErrorCodes, RingfenceError, isRingfenceError, quoteInput } from '../errors.ts';
import { parseUrl } from '../host/canonical.ts';
import { parseListLine } from '../lists/parse-line.ts';
import { validateReason } from '../policy/change/change-request.ts';
import { parseInstant } from '../policy/instant.ts';
import { LocalClock } from '../policy/schedule.ts';
import type { Policy } from '../policy/schema.ts';

export const UNBLOCK_MAX_DAYS = 90;
export const DAY_MS = 86_400_000;
/** A start up to this far in the past is read as "now": the form was filled in a moment ago. */
export const START_GRACE_MS = 5 * 60_000;
/** A period cannot start more than this far ahead (a typo in the year, not a plan). */
export const START_MAX_AHEAD_DAYS = 366;
const SITE_MAX = 2000;

/** pending → approved | declined | cancelled; approved (or a pending one never decided) → expired. */
export type UnblockState = 'pending' | 'approved' | 'declined' | 'cancelled' | 'expired';
export const UNBLOCK_STATES: readonly UnblockState[] = ['pending', 'approved', 'declined', 'cancelled', 'expired'];

/** A domain (`example.com`, with its subdomains) or a URL reduced to `host/path` (that path and below). */
export interface UnblockSite {
  readonly kind: 'domain' | 'url';
  readonly value: string;
}

/** ISO-8601 UTC instants with milliseconds; the unblock applies from `startsAt` until just before `endsAt`. */
export interface UnblockPeriod {
  readonly startsAt: string;
  readonly endsAt: string;
}

export interface UnblockRequest extends UnblockPeriod {
  readonly id: string;
  readonly schoolId: string;
  /** The account id of the teacher who asked. */
  readonly requester: string;
  readonly site: UnblockSite;
  /** A group of the school's policy (a class, a year group, staff). */
  readonly group: string;
  readonly reason: string;
  readonly state: UnblockState;
  readonly requestedAt: string;
  /** Who approved or declined (or the requester, for a cancel); null while pending. */
  readonly decidedBy: string | null;
  readonly decidedAt: string | null;
  readonly decisionComment: string | null;
  /** The policy version that first held the unblock rule; null until it is published. */
  readonly publishedVersion: number | null;
  readonly expiredAt: string | null;
}

/** What a teacher fills in. A start left out means now; times without an offset are the school's local time. */
export interface UnblockInput {
  readonly site: string;
  readonly group: string;
  readonly startsAt?: string | null;
  readonly endsAt: string;
  readonly reason: string;
}

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.UNBLOCK_INVALID, message, input);
}

// A site naming a whole public suffix would unblock every site under it.
const PUBLIC_SUFFIXES = new Set(['co.uk', 'org.uk', 'ac.uk', 'gov.uk', 'sch.uk', 'nhs.uk', 'net.uk', 'ltd.uk', 'plc.uk', 'me.uk', 'police.uk', 'mod.uk', 'com.au', 'co.nz']);

/** A domain, or a URL (with or without a scheme) reduced to `host/path`: query, fragment, port and trailing slashes dropped. */
export function parseUnblockSite(input: string): UnblockSite {
  const text = (input ?? '').trim();
  if (text === '') throw invalid('name the site to unblock: a domain such as example.org or a web address');
  if (text.length > SITE_MAX) throw invalid(`the site is ${text.length} characters; at most ${SITE_MAX} are taken`);
  let url;
  try {
    url = parseUrl(text);
  } catch (e) {
    if (isRingfenceError(e)) throw invalid(`site ${quoteInput(text)} is not a domain or web address: ${e.message}`, text);
    throw e;
  }
  if (url.host.kind !== 'domain') throw invalid(`site ${quoteInput(text)} is an IP address: name the site by its domain`, text);
  const host = url.host.host;
  if (!host.includes('.') || PUBLIC_SUFFIXES.has(host)) throw invalid(`site ${quoteInput(text)} names a whole top-level domain, not a site`, text);
  let path = url.path.split('?')[0]!;
  while (path.length > 1 && path.endsWith('/')) path = path.slice(0, -1);
  const site: UnblockSite = path === '/' ? { kind: 'domain', value: host } : { kind: 'url', value: `${host}${path}` };
  // The rule must mean in the engine exactly what was asked for: read it back as a rule's site is read.
  const parsed = parseListLine(site.value, 'domains');
  const same = parsed.kind === 'entry' && (parsed.entry.kind === 'domain' ? site.value === parsed.entry.host : parsed.entry.kind === 'url' && site.value === `${parsed.entry.host}${parsed.entry.path}`);
  if (!same) throw invalid(`site ${quoteInput(text)} cannot be unblocked as given${parsed.kind === 'bad' ? `: ${parsed.reason}` : ''}`, text);
  return site;
}

/** The group must be one of the school policy's groups. */
export function validateGroup(policy: Pick<Policy, 'groups'>, group: string): string {
  const id = (group ?? '').trim();
  if (!policy.groups.some((g) => g.id === id)) {
    const known = policy.groups.map((g) => g.id).join(', ');
    throw new RingfenceError(ErrorCodes.GROUP_UNKNOWN, `group ${quoteInput(group ?? '')} is not a group of the school's policy (groups: ${known || 'none'})`, group);
  }
  return id;
}

function instant(text: string, what: string, clock: LocalClock): number {
  try {
    return parseInstant(text, clock);
  } catch (e) {
    if (isRingfenceError(e)) throw invalid(`the ${what} of the period: ${e.message}`, text);
    throw e;
  }
}

/**
 * Starts now or later (a start a few minutes past is taken as now), ends after it starts, lasts at
 * most UNBLOCK_MAX_DAYS. `timeZone` reads times given without an offset.
 */
export function validatePeriod(input: { readonly startsAt?: string | null; readonly endsAt: string }, now: number, timeZone: string): UnblockPeriod {
  const clock = new LocalClock(timeZone);
  const asked = input.startsAt == null || input.startsAt.trim() === '' ? now : instant(input.startsAt, 'start', clock);
  if (typeof input.endsAt !== 'string' || input.endsAt.trim() === '') throw invalid('say when the unblock ends');
  const end = instant(input.endsAt, 'end', clock);
  if (asked < now - START_GRACE_MS) throw invalid(`the period starts in the past (${new Date(asked).toISOString()}): it must start now or later`, input.startsAt ?? '');
  if (asked > now + START_MAX_AHEAD_DAYS * DAY_MS) throw invalid(`the period starts more than ${START_MAX_AHEAD_DAYS} days ahead`, input.startsAt ?? '');
  const start = Math.max(asked, now);
  if (end <= start) throw invalid('the period must end after it starts', input.endsAt);
  if (end - start > UNBLOCK_MAX_DAYS * DAY_MS) throw invalid(`the period lasts more than ${UNBLOCK_MAX_DAYS} days: ask again when it runs out`, input.endsAt);
  return { startsAt: new Date(start).toISOString(), endsAt: new Date(end).toISOString() };
}

/** Checks everything a teacher typed against the school's policy; returns it canonical. */
export function validateUnblockInput(input: UnblockInput, policy: Pick<Policy, 'groups' | 'school'>, now: number): { site: UnblockSite; group: string; period: UnblockPeriod; reason: string } {
  return {
    site: parseUnblockSite(input.site),
    group: validateGroup(policy, input.group),
    period: validatePeriod(input, now, policy.school.timeZone),
    reason: validateReason(input.reason),
  };
}

export type UnblockVerb = 'approve' | 'decline' | 'cancel';

/** Refuses a step the actor may not take on this request now. */
export function checkUnblockStep(request: UnblockRequest, actor: string, verb: UnblockVerb, now: number): void {
  if (request.state !== 'pending') {
    throw new RingfenceError(ErrorCodes.UNBLOCK_CONFLICT, `unblock request ${quoteInput(request.id)} is ${request.state}, not pending: it cannot be ${verb === 'cancel' ? 'cancelled' : `${verb}d`}`, request.id);
  }
  if (verb === 'cancel') {
    if (actor !== request.requester) throw new RingfenceError(ErrorCodes.UNBLOCK_FORBIDDEN, `only the teacher who asked can cancel unblock request ${quoteInput(request.id)}`, actor);
    return;
  }
  if (actor === request.requester) {
    throw new RingfenceError(ErrorCodes.UNBLOCK_FORBIDDEN, `the teacher who asked cannot ${verb} their own unblock request: a second person must`, actor);
  }
  if (verb === 'approve' && Date.parse(request.endsAt) <= now) {
    throw new RingfenceError(ErrorCodes.UNBLOCK_CONFLICT, `the period of unblock request ${quoteInput(request.id)} ended at ${request.endsAt}: ask again`, request.id);
  }
}

/** Whether the request's rule should be in force at `now` (approved and inside its period). */
export function isInForce(request: UnblockRequest, now: number): boolean {
  return request.state === 'approved' && Date.parse(request.startsAt) <= now && now < Date.parse(request.endsAt);
}
