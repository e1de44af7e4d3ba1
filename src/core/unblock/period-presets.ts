// The ends the request form offers: the end of today, of this week (Monday to Sunday) and of this
// term, as instants at local midnight in the school's time zone.
import { dayNumber, LocalClock } from '../policy/schedule.ts';
import type { Policy } from '../policy/schema.ts';
import { DAY_MS, UNBLOCK_MAX_DAYS } from './unblock-request.ts';

export interface PeriodPresets {
  readonly endOfToday: string;
  readonly endOfWeek: string;
  /** Null outside term time, when the calendar lists no terms, or when the term ends beyond the longest unblock. */
  readonly endOfTerm: string | null;
}

/** The instant local midnight begins day `day` (days since 1970-01-01, local). */
function localMidnight(clock: LocalClock, day: number): number {
  const wall = day * DAY_MS;
  // Two passes settle on the right offset (as parseInstant does); midnight is never in a DST gap in the UK.
  return wall - clock.offsetAt(wall - clock.offsetAt(wall));
}

export function periodPresets(policy: Pick<Policy, 'school' | 'calendar'>, now: number): PeriodPresets {
  const clock = new LocalClock(policy.school.timeZone);
  const today = clock.local(now);
  const daysToMonday = (8 - today.weekday) % 7 || 7;
  const term = policy.calendar.terms.find((t) => dayNumber(t.from) <= today.day && today.day <= dayNumber(t.to));
  const termEnd = term ? localMidnight(clock, dayNumber(term.to) + 1) : null;
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    endOfToday: iso(localMidnight(clock, today.day + 1)),
    endOfWeek: iso(localMidnight(clock, today.day + daysToMonday)),
    endOfTerm: termEnd !== null && termEnd - now <= UNBLOCK_MAX_DAYS * DAY_MS ? iso(termEnd) : null,
  };
}
