// Previews of pupil and staff lists, the client map from devices and networks; property: applying
// a preview and previewing the same file again finds nothing to do.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { buildClientMap } from '../../../src/core/directory/client-map-builder.ts';
import type { Device, Network } from '../../../src/core/directory/devices.ts';
import type { DirectoryPerson } from '../../../src/core/directory/people.ts';
import { describePreview, previewRoster, type RosterPreview } from '../../../src/core/directory/roster-import.ts';

const pupil = (username: string, yearGroup: number, displayName = username): DirectoryPerson => ({ username, displayName, kind: 'pupil', yearGroup, expiresAt: null, groups: [] });

/** What applying a preview does, in memory (the SQL repository is tested against the same contract). */
function apply(current: readonly DirectoryPerson[], p: RosterPreview): DirectoryPerson[] {
  const byName = new Map(current.map((x) => [x.username, x]));
  for (const u of p.remove) byName.delete(u);
  for (const x of [...p.add, ...p.change.map((c) => c.after)]) byName.set(x.username, x);
  return [...byName.values()];
}

test('a pupil list preview: add, change with what changes, unchanged, kept or removed, errors per line', () => {
  const current = [pupil('pupil.a', 3), pupil('pupil.b', 5, 'Pupil B'), pupil('pupil.gone', 6)];
  const csv = 'username,display name,year group\npupil.a,pupil.a,3\nPupil.B,Pupil Bee,Year 6\npupil.c,Pupil C,R\npupil.d,,4\npupil.e,Pupil E,15\npupil.a,Again,3\nonly,two\n';
  const kept = previewRoster('pupil', csv, current);
  assert.deepEqual(kept.add.map((p) => [p.username, p.yearGroup]), [['pupil.c', 0]]);
  assert.deepEqual(kept.change.map((c) => [c.after.username, c.fields]), [['pupil.b', ['displayName', 'yearGroup']]]);
  assert.deepEqual(kept.unchanged, ['pupil.a']);
  assert.deepEqual([kept.remove, kept.notInFile], [[], ['pupil.gone']]);
  assert.deepEqual(kept.errors.map((e) => e.line), [5, 6, 7, 8]);
  assert.match(kept.errors[0]!.message, /display name is empty/);
  assert.match(kept.errors[1]!.message, /year group "15"/);
  assert.match(kept.errors[2]!.message, /also on line 2/);
  assert.match(kept.errors[3]!.message, /expected 3 fields/);
  const replaced = previewRoster('pupil', csv, current, { replace: true });
  assert.deepEqual([replaced.remove, replaced.notInFile], [['pupil.gone'], []]);
  assert.match(describePreview(replaced), /1 pupil record\(s\) not in the file will be removed \(replace\)/);
});

test('a staff list checks groups against the policy, and a username of another kind is an error', () => {
  const current = [pupil('pupil.a', 3)];
  const csv = 'teacher.a,Teacher A,staff nominated-staff\nteacher.b,Teacher B,staff;gamers\npupil.a,Pupil A,staff\n';
  const p = previewRoster('staff', csv, current, { knownGroups: new Set(['staff', 'nominated-staff']) });
  assert.deepEqual(p.add.map((x) => [x.username, x.groups]), [['teacher.a', ['nominated-staff', 'staff']]]);
  assert.deepEqual(p.errors.map((e) => [e.line, /gamers/.test(e.message) || /already belongs to a pupil/.test(e.message)]), [[2, true], [3, true]]);
});

test('property: after applying a preview, the same file previews as all unchanged', () => {
  const row = fc.record({
    name: fc.stringMatching(/^[a-z][a-z0-9.]{0,8}$/),
    display: fc.stringMatching(/^[A-Za-z][A-Za-z ]{0,10}$/),
    year: fc.integer({ min: 0, max: 13 }),
  });
  fc.assert(
    fc.property(fc.array(row, { maxLength: 12 }), fc.array(row, { maxLength: 12 }), fc.boolean(), (before, rows, replace) => {
      const current = previewRoster('pupil', before.map((r) => `${r.name},${r.display},${r.year}`).join('\n'), []).add;
      const csv = rows.map((r) => `${r.name},${r.display},${r.year}`).join('\r\n');
      const first = previewRoster('pupil', csv, current, { replace });
      if (first.errors.length > 0) return; // duplicates in the generated file: nothing is applied
      const after = apply(current, first);
      const second = previewRoster('pupil', csv, after, { replace });
      assert.deepEqual([second.add, second.change, second.remove, second.errors], [[], [], [], []]);
      assert.equal(second.unchanged.length, new Set(rows.map((r) => r.name)).size);
    }),
  );
});

test('the client map: a device address first (owner, device group, class group), then the most specific network', () => {
  const now = new Date('2025-10-01T09:00:00.000Z');
  const school = '0190a000-0000-7000-8000-000000000001';
  const device = (id: string, fields: Partial<Device>): Device => ({ id, schoolId: school, classId: 'school-owned-single-user', label: id, mac: null, address: null, owner: null, group: null, ...fields });
  const people: DirectoryPerson[] = [
    pupil('pupil.a', 8),
    { username: 'guest.a', displayName: 'Guest', kind: 'guest', yearGroup: null, expiresAt: '2025-10-01T08:00:00.000Z', groups: [] },
  ];
  const devices = [
    device('d1', { address: '10.0.1.10', owner: 'pupil.a' }),
    device('d2', { address: '10.0.1.11', classId: 'school-owned-shared', group: 'pupils-ks1' }),
    device('d3', { address: '10.0.1.12', classId: 'staff-owned' }),
    device('d4', { address: '10.0.1.13', classId: 'visitor-owned', owner: 'guest.a' }),
    device('d5', { classId: 'staff-owned' }),
  ];
  const networks: Network[] = [
    { id: 'n1', schoolId: school, cidr: '10.0.0.0/8', site: 'Main', defaultGroup: 'guests' },
    { id: 'n2', schoolId: school, cidr: '10.0.1.0/24', site: 'Main', defaultGroup: 'pupils-ks2' },
  ];
  const map = buildClientMap(devices, networks, people, now);
  const who = (a: string) => { const i = map.identify(a); return [i.user, i.groups, i.source]; };
  assert.deepEqual(who('10.0.1.10'), ['pupil.a', ['pupils-ks3'], 'device:d1']);
  assert.deepEqual(who('10.0.1.11'), [null, ['pupils-ks1'], 'device:d2']);
  assert.deepEqual(who('10.0.1.12'), [null, ['staff'], 'device:d3']);
  assert.deepEqual(who('10.0.1.13'), [null, [], 'device:d4']);
  assert.deepEqual(who('10.0.1.99'), [null, ['pupils-ks2'], 'network:Main:10.0.1.0/24']);
  assert.deepEqual(who('10.9.9.9'), [null, ['guests'], 'network:Main:10.0.0.0/8']);
  assert.deepEqual(who('192.0.2.1'), [null, [], 'unknown']);
});
