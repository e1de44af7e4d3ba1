import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { LocalClock, Schedules } from '../../../src/core/policy/schedule.ts';
import { parseInstant } from '../../../src/core/policy/instant.ts';

const london = new LocalClock('Europe/London');

test('local time follows British Summer Time', () => {
  // 2026-03-29 01:00 UTC clocks go forward; 2026-10-25 01:00 UTC they go back.
  assert.equal(london.local(Date.parse('2026-03-29T00:30:00Z')).minute, 30);
  assert.equal(london.local(Date.parse('2026-03-29T01:30:00Z')).minute, 2 * 60 + 30);
  assert.equal(london.local(Date.parse('2026-07-01T08:00:00Z')).minute, 9 * 60);
  assert.equal(london.local(Date.parse('2026-10-25T01:30:00Z')).minute, 60 + 30);
  assert.equal(london.local(Date.parse('2026-11-23T12:00:00Z')).weekday, 1, 'a Monday');
});

test('property: local time agrees with Intl for any instant and zone', () => {
  const zones = ['Europe/London', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'UTC'];
  fc.assert(
    fc.property(fc.integer({ min: Date.parse('2000-01-01'), max: Date.parse('2040-01-01') }), fc.constantFrom(...zones), (ms, zone) => {
      const t = new LocalClock(zone).local(ms);
      const parts = Object.fromEntries(
        new Intl.DateTimeFormat('en-GB', { timeZone: zone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit', weekday: 'short' }).formatToParts(ms).map((p) => [p.type, p.value]),
      );
      assert.equal(t.minute, Number(parts.hour) * 60 + Number(parts.minute));
      assert.equal(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][t.weekday], parts.weekday);
    }),
    { numRuns: 500 },
  );
});

const schedules = new Schedules({
  school: { name: 's', timeZone: 'Europe/London' },
  schedules: {
    lessons: { title: 'Lessons', termTimeOnly: true, windows: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '12:00' }] },
    weekend: { title: 'Weekend', termTimeOnly: false, windows: [{ days: ['sat', 'sun'], from: '00:00', to: '24:00' }] },
  },
  calendar: { terms: [{ name: 'Autumn', from: '2026-09-02', to: '2026-12-18' }], holidays: [{ name: 'Half term', from: '2026-10-26', to: '2026-10-30' }] },
});

test('schedules open only inside their windows, on term days that are not holidays', () => {
  const lessons = schedules.indexOf('lessons');
  assert.equal(schedules.isOpen(lessons, Date.parse('2026-11-23T09:00:00Z')), true);
  assert.equal(schedules.isOpen(lessons, Date.parse('2026-11-23T08:59:59Z')), false);
  assert.equal(schedules.isOpen(lessons, Date.parse('2026-11-23T12:00:00Z')), false, 'windows end exclusively');
  assert.equal(schedules.isOpen(lessons, Date.parse('2026-09-07T08:30:00Z')), true, 'BST: 09:30 local');
  assert.equal(schedules.isOpen(lessons, Date.parse('2026-10-27T09:30:00Z')), false, 'half term');
  assert.equal(schedules.isOpen(lessons, Date.parse('2027-01-04T10:00:00Z')), false, 'outside every term');
  assert.equal(schedules.isOpen(schedules.indexOf('weekend'), Date.parse('2026-12-26T23:59:00Z')), true);
});

test('bad schedules and calendars are refused with what is wrong', () => {
  const build = (over: object) => () =>
    new Schedules({ school: { name: 's', timeZone: 'Europe/London' }, schedules: {}, calendar: { terms: [], holidays: [] }, ...over });
  assert.throws(build({ school: { name: 's', timeZone: 'Mars/Olympus' } }), /time zone "Mars\/Olympus"/);
  assert.throws(build({ calendar: { terms: [{ name: 'T', from: '2026-02-30', to: '2026-03-01' }], holidays: [] } }), /2026-02-30" does not exist/);
  assert.throws(build({ calendar: { terms: [{ name: 'T', from: '2026-05-01', to: '2026-03-01' }], holidays: [] } }), /ends \(2026-03-01\) before it starts/);
  assert.throws(build({ schedules: { x: { title: 'x', termTimeOnly: true, windows: [{ days: ['mon'], from: '10:00', to: '09:00' }] } } }), /ends before it starts/);
  assert.throws(() => schedules.indexOf('nope'), /no schedule named "nope"/);
});

test('instants: offsets are exact; no offset means the school\'s local time', () => {
  assert.equal(parseInstant('2026-11-23T10:15:00Z', london), Date.parse('2026-11-23T10:15:00Z'));
  assert.equal(parseInstant('2026-11-23T10:15+01:00', london), Date.parse('2026-11-23T09:15:00Z'));
  assert.equal(parseInstant('2026-07-01T10:00', london), Date.parse('2026-07-01T09:00:00Z'), 'BST');
  assert.equal(parseInstant('2026-11-23 10:00', london), Date.parse('2026-11-23T10:00:00Z'), 'GMT');
  assert.equal(parseInstant('2026-11-23', london), Date.parse('2026-11-23T00:00:00Z'));
  for (const [text, why] of [
    ['yesterday', /not an ISO-8601/],
    ['2026-13-01T10:00', /month 13/],
    ['2026-02-29T10:00', /day 29, but that month has 28 days/],
    ['2026-11-23T25:00', /hour 25/],
    ['2026-11-23T10:61', /minute 61/],
  ] as const) {
    assert.throws(() => parseInstant(text, london), (e: { code: string; message: string }) => e.code === 'RF_TIME_INVALID' && why.test(e.message), text);
  }
});
