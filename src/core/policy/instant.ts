// Parses the instants people type (`--at`, batch files): ISO-8601 with or without an offset. With
// none, the time is read as the school's local time, which is what a person at the school means.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import type { LocalClock } from './schedule.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

function bad(text: string, why: string): RingfenceError {
  return new RingfenceError(ErrorCodes.TIME_INVALID, `time ${quoteInput(text)} ${why} (expected ISO-8601, e.g. 2026-11-23T10:15 or 2026-11-23T10:15:00Z)`, text);
}

export function parseInstant(text: string, clock: LocalClock): number {
  const m = ISO.exec(text.trim());
  if (!m) throw bad(text, 'is not an ISO-8601 date-time');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (month < 1 || month > 12) throw bad(text, `has month ${month}`);
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) throw bad(text, `has day ${day}, but that month has ${daysInMonth} days`);
  if (hour > 23) throw bad(text, `has hour ${hour}`);
  if (minute > 59) throw bad(text, `has minute ${minute}`);
  if (second > 59) throw bad(text, `has second ${second}`);
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, Math.floor(Number(`0.${frac}`) * 1000));
  if (zone === undefined) {
    // Two passes settle on the right offset except in the hour a DST change skips or repeats.
    const first = wall - clock.offsetAt(wall);
    return wall - clock.offsetAt(first);
  }
  if (zone === 'Z' || zone === 'z') return wall;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offH = Number(digits.slice(0, 2));
  const offM = Number(digits.slice(2) || '0');
  if (offH > 23 || offM > 59) throw bad(text, `has offset ${zone}`);
  return wall - sign * (offH * 60 + offM) * 60_000;
}
