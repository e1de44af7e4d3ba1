// TZif rules against the runtime's ICU: the same offsets for real zones from 1975 to 2100 (the
// years past the file's tables come from its POSIX footer), a zic "slim" file (footer only), the
// POSIX TZ rule forms, and broken files failing with a clear error instead of a wrong offset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parseTzif } from '../../../src/core/time/tzif.ts';
import { parsePosixTz, posixOffsetAt } from '../../../src/core/time/posix-tz.ts';

const ZONEINFO = '/usr/share/zoneinfo';
// Zones whose rules have not changed for years (so the system's tzdata and Node's ICU agree),
// covering half-hour and 45-minute offsets, southern-hemisphere and negative DST, no DST at all.
const ZONES = ['Europe/London', 'Europe/Dublin', 'Europe/Berlin', 'America/New_York', 'America/Los_Angeles', 'America/St_Johns', 'America/Sao_Paulo', 'Australia/Sydney', 'Australia/Lord_Howe', 'Pacific/Auckland', 'Pacific/Chatham', 'Asia/Kolkata', 'Asia/Tehran', 'Africa/Johannesburg', 'Antarctica/Troll', 'UTC', 'Etc/GMT+5'];
const FROM = Date.UTC(1975, 0, 1);
const TO = Date.UTC(2100, 0, 1);

function intlOffset(timeZone: string): (t: number) => number {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return (t) => {
    const p: Record<string, number> = {};
    for (const x of f.formatToParts(t)) if (x.type !== 'literal') p[x.type] = Number(x.value);
    return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - t;
  };
}

test('TZif offsets equal ICU offsets for real zones, 1975-2100, every 7 h 13 min and at random instants', () => {
  for (const zone of ZONES) {
    const rules = parseTzif(readFileSync(join(ZONEINFO, zone)));
    const intl = intlOffset(zone);
    for (let t = FROM; t < TO; t += 7 * 3_600_000 + 13 * 60_000) assert.equal(rules.offsetAt(t), intl(t), `${zone} at ${new Date(t).toISOString()}`);
    // Whole seconds: ICU formats no milliseconds, so its offset for t + 1 ms would be 1 ms short.
    fc.assert(fc.property(fc.integer({ min: FROM / 1000, max: TO / 1000 }).map((s) => s * 1000), (t) => rules.offsetAt(t) === intl(t)), { numRuns: 300 });
  }
});

test('around the UK clock changes of 2026 and 2071 (a year only the footer covers in a slim file)', () => {
  const london = parseTzif(readFileSync(join(ZONEINFO, 'Europe/London')));
  const HOUR = 3_600_000;
  assert.equal(london.offsetAt(Date.UTC(2026, 2, 29, 0, 59, 59)), 0);
  assert.equal(london.offsetAt(Date.UTC(2026, 2, 29, 1, 0, 0)), HOUR);
  assert.equal(london.offsetAt(Date.UTC(2026, 9, 25, 0, 59, 59)), HOUR);
  assert.equal(london.offsetAt(Date.UTC(2026, 9, 25, 1, 0, 0)), 0);
  assert.equal(london.offsetAt(Date.UTC(2071, 2, 29, 1, 0, 0)), HOUR); // last Sunday of March 2071
  assert.equal(london.offsetAt(Date.UTC(2071, 2, 22, 1, 0, 0)), 0);
});

test('a zic "slim" file (no transitions past the rule change, only the footer) agrees with ICU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ringfence-zic-'));
  try {
    // The UK's rules since 1996, written as zic source and compiled by the system's zic.
    writeFileSync(join(dir, 'uk.zi'), ['Rule UKT 1996 max - Mar lastSun 1:00u 1:00 BST', 'Rule UKT 1996 max - Oct lastSun 1:00u 0 GMT', 'Zone Test/Slim 0:00 UKT %s'].join('\n') + '\n');
    execFileSync('zic', ['-b', 'slim', '-d', dir, join(dir, 'uk.zi')]);
    const bytes = readFileSync(join(dir, 'Test/Slim'));
    const rules = parseTzif(bytes);
    const intl = intlOffset('Europe/London');
    for (let t = Date.UTC(1997, 0, 1); t < TO; t += 5 * 3_600_000 + 7 * 60_000) assert.equal(rules.offsetAt(t), intl(t), new Date(t).toISOString());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('POSIX TZ strings: every rule form, negative DST and times outside 0-24 h', () => {
  const at = (tz: string, iso: string) => posixOffsetAt(parsePosixTz(tz), Date.parse(iso) / 1000) / 3600;
  assert.equal(at('EST5EDT,M3.2.0,M11.1.0', '2050-07-01T12:00:00Z'), -4);
  assert.equal(at('EST5EDT,M3.2.0,M11.1.0', '2050-01-01T12:00:00Z'), -5);
  assert.equal(at('EST5EDT', '2050-07-01T12:00:00Z'), -4); // no rules: the US ones
  assert.equal(at('<+0530>-5:30', '2050-07-01T12:00:00Z'), 5.5);
  assert.equal(at('IST-1GMT0,M10.5.0,M3.5.0/1', '2050-07-01T12:00:00Z'), 1); // Dublin: "standard" is summer
  assert.equal(at('IST-1GMT0,M10.5.0,M3.5.0/1', '2050-01-01T12:00:00Z'), 0);
  assert.equal(at('NZST-12NZDT,M9.5.0,M4.1.0/3', '2050-01-01T00:00:00Z'), 13); // southern summer spans the new year
  assert.equal(at('NZST-12NZDT,M9.5.0,M4.1.0/3', '2050-07-01T00:00:00Z'), 12);
  assert.equal(at('<-03>3<-02>,M3.5.0/-2,M10.5.0/-1', '2050-07-01T00:00:00Z'), -2);
  assert.equal(at('XXX3YYY,J60/2,300', '2051-03-02T12:00:00Z'), -2); // J60 is 1 March in any year
  assert.equal(at('XXX3YYY,J60/2,300', '2051-02-28T12:00:00Z'), -3);
  assert.equal(at('EST5EDT,0/0,J365/25', '2050-06-01T00:00:00Z'), -4); // daylight time all year
  for (const bad of ['', 'AB1', 'GMT', 'GMT0BST,M13.1.0,M10.5.0', 'GMT0BST,M3.5.0', '<GMT0', 'GMT0BST,M3.5.0/200,M10.5.0']) {
    assert.throws(() => parsePosixTz(bad), /TZ string/, bad);
  }
});

test('broken TZif data fails with a clear error, never a wrong offset; mutated files never hang', () => {
  const london = readFileSync(join(ZONEINFO, 'Europe/London'));
  assert.throws(() => parseTzif(new Uint8Array(10)), /ends early/);
  assert.throws(() => parseTzif(Buffer.from('NOTZ'.padEnd(60, '\0'))), /no "TZif" magic/);
  assert.throws(() => parseTzif(london.subarray(0, london.length - 200)), /ends early/);
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.integer({ min: FROM, max: TO }), (edits, t) => {
      const bytes = Uint8Array.from(london);
      for (const [i, v] of edits) bytes[i % bytes.length] = v;
      let rules;
      try {
        rules = parseTzif(bytes);
      } catch (e) {
        return e instanceof Error && e.message.length > 0;
      }
      return Number.isFinite(rules.offsetAt(t));
    }),
    { numRuns: 500 },
  );
});
