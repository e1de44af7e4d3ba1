// Named weekly time windows in the school's time zone, limited to term days when a calendar is set.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { WEEKDAYS, type Policy } from './schema.ts';
import { zoneRulesFor } from '../time/zone-source.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
const BUCKET = 15 * MINUTE;

export interface LocalTime {
  /** Days since 1970-01-01 in local time. */
  readonly day: number;
  /** 0 = Sunday. */
  readonly weekday: number;
  /** Minutes since local midnight. */
  readonly minute: number;
}

/** Offsets from Intl (ICU): for zones no installed source has. Throws for an unknown zone. */
function intlOffsets(timeZone: string): (at: number) => number {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' });
  } catch {
    throw new RingfenceError(ErrorCodes.SCHEDULE_INVALID, `time zone ${quoteInput(timeZone)} is not a known IANA zone (e.g. "Europe/London")`, timeZone);
  }
  return (at) => {
    const p: Record<string, number> = {};
    for (const part of format.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - at;
  };
}

/**
 * Converts instants to local wall-clock time; the zone offset is looked up once per 15 minutes,
 * from the zone's TZif rules when a zone source is installed (src/core/time), else from Intl.
 */
export class LocalClock {
  private readonly lookup: (at: number) => number;
  private readonly offsets = new Map<number, number>();

  constructor(readonly timeZone: string) {
    const rules = zoneRulesFor(timeZone);
    this.lookup = rules ? (at) => rules.offsetAt(at) : intlOffsets(timeZone);
  }

  /** Milliseconds to add to an instant to get wall-clock time there. */
  offsetAt(ms: number): number {
    const bucket = Math.floor(ms / BUCKET);
    let offset = this.offsets.get(bucket);
    if (offset === undefined) {
      offset = this.lookup(bucket * BUCKET);
      if (this.offsets.size > 10_000) this.offsets.clear();
      this.offsets.set(bucket, offset);
    }
    return offset;
  }

  local(ms: number): LocalTime {
    const wall = ms + this.offsetAt(ms);
    const day = Math.floor(wall / DAY);
    return { day, weekday: (((day + 4) % 7) + 7) % 7, minute: Math.floor((wall - day * DAY) / MINUTE) };
  }
}

export function dayNumber(isoDate: string): number {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  const ms = Date.UTC(y, m - 1, d);
  if (Number.isNaN(ms) || new Date(ms).getUTCDate() !== d) {
    throw new RingfenceError(ErrorCodes.SCHEDULE_INVALID, `date ${quoteInput(isoDate)} does not exist`, isoDate);
  }
  return Math.floor(ms / DAY);
}

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  return h * 60 + m;
}

interface CompiledSchedule {
  readonly id: string;
  /** Per weekday, [from, to) minute pairs. */
  readonly windows: readonly (readonly [number, number])[][];
  readonly termTimeOnly: boolean;
}

export class Schedules {
  private readonly byId = new Map<string, number>();
  private readonly compiled: CompiledSchedule[] = [];
  private readonly terms: readonly [number, number][];
  private readonly holidays: readonly [number, number][];
  readonly clock: LocalClock;

  constructor(policy: Pick<Policy, 'schedules' | 'calendar' | 'school'>) {
    this.clock = new LocalClock(policy.school.timeZone);
    const range = (r: { name: string; from: string; to: string }): [number, number] => {
      const from = dayNumber(r.from);
      const to = dayNumber(r.to);
      if (to < from) throw new RingfenceError(ErrorCodes.SCHEDULE_INVALID, `"${r.name}" ends (${r.to}) before it starts (${r.from})`, r.name);
      return [from, to];
    };
    this.terms = policy.calendar.terms.map(range);
    this.holidays = policy.calendar.holidays.map(range);
    for (const [id, s] of Object.entries(policy.schedules)) {
      const windows: [number, number][][] = WEEKDAYS.map(() => []);
      for (const w of s.windows) {
        const from = minutes(w.from);
        const to = minutes(w.to);
        if (to <= from) throw new RingfenceError(ErrorCodes.SCHEDULE_INVALID, `schedule "${id}": window ${w.from}–${w.to} ends before it starts`, id);
        for (const d of w.days) windows[WEEKDAYS.indexOf(d)]!.push([from, to]);
      }
      this.byId.set(id, this.compiled.length);
      this.compiled.push({ id, windows, termTimeOnly: s.termTimeOnly });
    }
  }

  indexOf(id: string): number {
    const i = this.byId.get(id);
    if (i === undefined) throw new RingfenceError(ErrorCodes.POLICY_INVALID, `no schedule named "${id}"`, id);
    return i;
  }

  isTermDay(day: number): boolean {
    if (this.terms.length === 0) return true;
    const inRange = (ranges: readonly [number, number][]) => ranges.some(([a, b]) => day >= a && day <= b);
    return inRange(this.terms) && !inRange(this.holidays);
  }

  /** Is schedule `index` open at this instant? */
  isOpen(index: number, ms: number): boolean {
    const s = this.compiled[index]!;
    const t = this.clock.local(ms);
    if (s.termTimeOnly && !this.isTermDay(t.day)) return false;
    for (const [from, to] of s.windows[t.weekday]!) if (t.minute >= from && t.minute < to) return true;
    return false;
  }
}
