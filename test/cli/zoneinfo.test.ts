// The CLI's zone source: local time comes from the zoneinfo folder's files (a zone only a file
// knows proves it), names that are not IANA names never reach the file system, and a broken file
// is reported and left to the runtime's data.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installSystemZoneinfo } from '../../src/cli/zoneinfo.ts';
import { LocalClock } from '../../src/core/policy/schedule.ts';
import { useZoneSource } from '../../src/core/time/zone-source.ts';

const dir = mkdtempSync(join(tmpdir(), 'ringfence-zoneinfo-'));
after(() => {
  useZoneSource(null);
  rmSync(dir, { recursive: true, force: true });
});

test('a zone that only the zoneinfo folder has is used from its file', () => {
  writeFileSync(join(dir, 'fixed.zi'), 'Zone Test/Fixed 3:17 - TFX\n');
  execFileSync('zic', ['-d', dir, join(dir, 'fixed.zi')]);
  installSystemZoneinfo(() => assert.fail('nothing to report'), dir);
  assert.equal(new LocalClock('Test/Fixed').offsetAt(Date.UTC(2026, 5, 1)), (3 * 60 + 17) * 60_000);
  // Without the source, the runtime's data does not know it.
  useZoneSource(null);
  assert.throws(() => new LocalClock('Test/Fixed'), (e: Error & { code?: string }) => e.code === 'RF_SCHEDULE_INVALID');
});

test('the system folder gives the same local time as the runtime, and unknown zones are still refused', () => {
  const reports: string[] = [];
  installSystemZoneinfo((line) => reports.push(line));
  const fromFile = new LocalClock('Europe/London');
  useZoneSource(null);
  const fromIntl = new LocalClock('Europe/London');
  for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2028, 0, 1); t += 3_600_000 * 5) assert.deepEqual(fromFile.local(t), fromIntl.local(t));
  installSystemZoneinfo((line) => reports.push(line));
  for (const name of ['Nowhere/Atlantis', '../../etc/passwd', '/etc/passwd', 'Europe']) {
    assert.throws(() => new LocalClock(name), (e: Error & { code?: string }) => e.code === 'RF_SCHEDULE_INVALID', name);
  }
  assert.deepEqual(reports, []);
});

test('a zone file that does not parse is reported once and the runtime decides', () => {
  mkdirSync(join(dir, 'Europe'), { recursive: true });
  writeFileSync(join(dir, 'Europe/London'), 'not a zone file at all, but long enough to read a header from');
  const reports: string[] = [];
  installSystemZoneinfo((line) => reports.push(line), dir);
  const clock = new LocalClock('Europe/London');
  new LocalClock('Europe/London');
  assert.equal(clock.offsetAt(Date.UTC(2026, 6, 1)), 3_600_000);
  assert.equal(reports.length, 1);
  assert.match(reports[0]!, /time zone Europe\/London: .*Europe\/London is unusable \(not TZif data.*\); using the runtime's own zone data/);
});
