// How long a school keeps activity logs. The default is a year: long enough to look back over an
// academic year when an incident comes to light late, as the governors' annual review needs, and
// short enough to meet UK GDPR's storage limitation without the school choosing. A school sets its
// own period in its retention policy, within the range below.
import { ErrorCodes, RingfenceError } from '../errors.ts';

export const DEFAULT_ACTIVITY_RETENTION_DAYS = 365;
/** A week: less would lose logs before anyone could review them. */
export const MIN_ACTIVITY_RETENTION_DAYS = 7;
/** Seven years, the longest period schools' retention schedules commonly set for such records. */
export const MAX_ACTIVITY_RETENTION_DAYS = 2555;

const DAY_MS = 86_400_000;

export function validateRetentionDays(days: number): number {
  if (!Number.isInteger(days) || days < MIN_ACTIVITY_RETENTION_DAYS || days > MAX_ACTIVITY_RETENTION_DAYS) {
    throw new RingfenceError(
      ErrorCodes.ACTIVITY_RETENTION_INVALID,
      `activity logs are kept for a whole number of days from ${MIN_ACTIVITY_RETENTION_DAYS} to ${MAX_ACTIVITY_RETENTION_DAYS}, not ${String(days)}`,
      String(days),
    );
  }
  return days;
}

/** Entries before this instant (Unix ms) are past retention at `now`. */
export function retentionCutoffMs(now: Date, days: number): number {
  return now.getTime() - days * DAY_MS;
}
