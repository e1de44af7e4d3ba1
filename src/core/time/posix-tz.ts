// The POSIX TZ string at the end of a TZif file (RFC 8536 section 3.3), such as
// "GMT0BST,M3.5.0/1,M10.5.0": the rule for every instant after the file's last transition.
// Offsets here are seconds east of UTC (POSIX writes them west, so signs are flipped on parsing).

const DAY_S = 86_400;

type DateRule =
  | { readonly kind: 'julian-no-leap'; readonly day: number } // Jn: 1..365, 29 February never counted
  | { readonly kind: 'zero-based'; readonly day: number } // n: 0..365, leap days counted
  | { readonly kind: 'month-week-day'; readonly month: number; readonly week: number; readonly weekday: number }; // Mm.w.d

interface Transition {
  readonly date: DateRule;
  /** Seconds after local midnight (may be negative or past 24 h, RFC 8536 extension). */
  readonly time: number;
}

export interface PosixTz {
  readonly stdOffset: number;
  readonly dst: { readonly offset: number; readonly start: Transition; readonly end: Transition } | null;
}

class Reader {
  i = 0;
  constructor(readonly s: string) {}
  peek(): string {
    return this.s[this.i] ?? '';
  }
  eat(c: string): boolean {
    if (this.s[this.i] !== c) return false;
    this.i++;
    return true;
  }
  done(): boolean {
    return this.i >= this.s.length;
  }
  fail(what: string): never {
    throw new Error(`TZ string ${JSON.stringify(this.s)}: ${what} at ${this.i}`);
  }
}

function name(r: Reader): void {
  if (r.eat('<')) {
    const end = r.s.indexOf('>', r.i);
    if (end < 0) r.fail('unclosed <name>');
    r.i = end + 1;
    return;
  }
  const start = r.i;
  while (/[A-Za-z]/.test(r.peek())) r.i++;
  if (r.i - start < 3) r.fail('a zone name of at least three letters');
}

function num(r: Reader, min: number, max: number): number {
  const m = /^\d+/.exec(r.s.slice(r.i));
  if (!m) r.fail('a number');
  r.i += m[0].length;
  const v = Number(m[0]);
  if (v < min || v > max) r.fail(`a number from ${min} to ${max}`);
  return v;
}

/** [+-]hh[:mm[:ss]] as seconds. */
function hms(r: Reader, maxHours: number): number {
  let sign = 1;
  if (r.eat('-')) sign = -1;
  else r.eat('+');
  let s = num(r, 0, maxHours) * 3600;
  if (r.eat(':')) s += num(r, 0, 59) * 60;
  if (r.eat(':')) s += num(r, 0, 59);
  return sign * s;
}

function transition(r: Reader): Transition {
  let date: DateRule;
  if (r.eat('J')) date = { kind: 'julian-no-leap', day: num(r, 1, 365) };
  else if (r.eat('M')) {
    const month = num(r, 1, 12);
    if (!r.eat('.')) r.fail('"."');
    const week = num(r, 1, 5);
    if (!r.eat('.')) r.fail('"."');
    date = { kind: 'month-week-day', month, week, weekday: num(r, 0, 6) };
  } else date = { kind: 'zero-based', day: num(r, 0, 365) };
  const time = r.eat('/') ? hms(r, 167) : 2 * 3600;
  return { date, time };
}

export function parsePosixTz(text: string): PosixTz {
  const r = new Reader(text);
  name(r);
  const stdOffset = 0 - hms(r, 24); // 0 - x, not -x: no -0 for UTC
  if (r.done()) return { stdOffset, dst: null };
  name(r);
  const offset = r.peek() === ',' || r.done() ? stdOffset + 3600 : 0 - hms(r, 24);
  // A DST name without rules: POSIX leaves it to the implementation; tzcode uses the US rules.
  let start: Transition = { date: { kind: 'month-week-day', month: 3, week: 2, weekday: 0 }, time: 7200 };
  let end: Transition = { date: { kind: 'month-week-day', month: 11, week: 1, weekday: 0 }, time: 7200 };
  if (r.eat(',')) {
    start = transition(r);
    if (!r.eat(',')) r.fail('","');
    end = transition(r);
  }
  if (!r.done()) r.fail('the end');
  return { stdOffset, dst: { offset, start, end } };
}

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const daysFromCivil = (y: number, m: number, d: number) => Date.UTC(y, m - 1, d) / 1000 / DAY_S;

/** Days since 1970-01-01 of the rule's date in year `y`. */
function ruleDay(rule: DateRule, y: number): number {
  const jan1 = daysFromCivil(y, 1, 1);
  switch (rule.kind) {
    case 'julian-no-leap':
      return jan1 + rule.day - 1 + (isLeap(y) && rule.day >= 60 ? 1 : 0);
    case 'zero-based':
      return jan1 + rule.day;
    case 'month-week-day': {
      const first = daysFromCivil(y, rule.month, 1);
      const firstWeekday = (((first + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
      let day = first + ((rule.weekday - firstWeekday + 7) % 7) + (rule.week - 1) * 7;
      const monthDays = daysFromCivil(rule.month === 12 ? y + 1 : y, rule.month === 12 ? 1 : rule.month + 1, 1) - first;
      if (rule.week === 5) while (day - first >= monthDays) day -= 7;
      return day;
    }
  }
}

/** Seconds east of UTC at `seconds` (since the epoch, UTC) under the rule. */
export function posixOffsetAt(tz: PosixTz, seconds: number): number {
  const dst = tz.dst;
  if (dst === null) return tz.stdOffset;
  const y = new Date((seconds + tz.stdOffset) * 1000).getUTCFullYear();
  // Start is given in standard time, end in daylight time (both local wall clocks).
  const start = ruleDay(dst.start.date, y) * DAY_S + dst.start.time - tz.stdOffset;
  const end = ruleDay(dst.end.date, y) * DAY_S + dst.end.time - dst.offset;
  const inDst = start < end ? seconds >= start && seconds < end : !(seconds >= end && seconds < start);
  return inDst ? dst.offset : tz.stdOffset;
}
