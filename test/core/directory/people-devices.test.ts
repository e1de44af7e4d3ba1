// Key stages, guests' expiry, device classes from the policy table, MAC normalisation, networks.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { DEVICE_CLASSES, accessLevelOf, policyContradictions } from '../../../src/core/directory/device-classes.ts';
import { normaliseMac, validateDevice, validateNetwork } from '../../../src/core/directory/devices.ts';
import { groupsOf, keyStageGroup, keyStageOf, parseYearGroup, validateGuest } from '../../../src/core/directory/people.ts';

test('key stage of every year group (golden table)', () => {
  const expected = ['EYFS', 'KS1', 'KS1', 'KS2', 'KS2', 'KS2', 'KS2', 'KS3', 'KS3', 'KS3', 'KS4', 'KS4', 'KS5', 'KS5'];
  assert.deepEqual(expected.map((_, year) => keyStageOf(year)), expected);
  assert.throws(() => keyStageOf(14), RangeError);
  assert.throws(() => keyStageOf(-1), RangeError);
  assert.equal(keyStageGroup('KS2'), 'pupils-ks2');
});

test('year groups as schools write them', () => {
  assert.deepEqual(['R', 'Reception', '0', '7', 'Year 7', 'Y11', ' 13 '].map(parseYearGroup), [0, 0, 0, 7, 7, 11, 13]);
  assert.deepEqual(['14', 'year', '', 'seven', '-1', '7.5'].map(parseYearGroup), [null, null, null, null, null, null]);
});

test('a pupil is in their key stage group; a guest is in the guest group until expiry, then in none', () => {
  const pupil = { username: 'pupil.a', displayName: 'Pupil A', kind: 'pupil', yearGroup: 4, expiresAt: null, groups: [] } as const;
  assert.deepEqual(groupsOf(pupil, new Date()), ['pupils-ks2']);
  const now = new Date('2025-10-01T09:00:00.000Z');
  const guest = validateGuest({ username: 'Supply.Teacher', displayName: 'Supply teacher', expiresAt: '2025-10-01T16:00:00Z' }, now);
  assert.equal(guest.username, 'supply.teacher');
  assert.equal(guest.expiresAt, '2025-10-01T16:00:00.000Z');
  assert.deepEqual(groupsOf(guest, now), ['guests']);
  assert.deepEqual(groupsOf(guest, new Date('2025-10-01T16:00:00.000Z')), []);
  assert.throws(() => validateGuest({ username: 'visitor.b', displayName: 'Visitor', expiresAt: '2025-10-01T08:00:00Z' }, now), { code: ErrorCodes.DIRECTORY_INVALID });
  assert.throws(() => validateGuest({ username: 'visitor.b', displayName: 'Visitor', expiresAt: 'tomorrow' }, now), { code: ErrorCodes.DIRECTORY_INVALID });
});

test('device classes carry the access levels of policy 2.2, and the visitor contradiction is pointed out', () => {
  const levels = Object.fromEntries(DEVICE_CLASSES.map((c) => [c.id, accessLevelOf(c.id)]));
  assert.deepEqual(levels, {
    'school-owned-single-user': 'full network access',
    'school-owned-shared': 'full network access',
    'school-scheme': 'full network access',
    'pupil-owned': 'no network access',
    'staff-owned': 'internet only',
    'visitor-owned': 'no network access',
  });
  assert.deepEqual(policyContradictions().map((c) => c.classId), ['visitor-owned']);
});

test('MAC addresses in every common form normalise to one', () => {
  for (const form of ['AA:BB:CC:00:11:22', 'aa-bb-cc-00-11-22', 'aabb.cc00.1122', 'AABBCC001122']) assert.equal(normaliseMac(form), 'aa:bb:cc:00:11:22');
  for (const bad of ['aa:bb:cc:00:11', 'aa:bb-cc:00:11:22', 'gg:bb:cc:00:11:22', '', 'aa:bb:cc:00:11:22:33']) {
    assert.throws(() => normaliseMac(bad), { code: ErrorCodes.DIRECTORY_INVALID });
  }
});

test('property: any six bytes in any written form normalise to the same MAC, and normalising is idempotent', () => {
  const bytes = fc.uint8Array({ minLength: 6, maxLength: 6 });
  fc.assert(
    fc.property(bytes, fc.constantFrom(':', '-', '.', ''), fc.boolean(), (b, sep, upper) => {
      const hex = [...b].map((x) => x.toString(16).padStart(2, '0'));
      const canonical = hex.join(':');
      let text = sep === '.' ? [0, 4, 8].map((i) => hex.join('').slice(i, i + 4)).join('.') : hex.join(sep);
      if (upper) text = text.toUpperCase();
      assert.equal(normaliseMac(text), canonical);
      assert.equal(normaliseMac(canonical), canonical);
    }),
  );
  // Strings that are not MACs are refused, never normalised into one by accident.
  fc.assert(
    fc.property(fc.string({ maxLength: 20 }), (s) => {
      try {
        const mac = normaliseMac(s);
        assert.match(mac, /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/);
        assert.equal(mac.replace(/:/g, ''), s.trim().replace(/[:.-]/g, '').toLowerCase());
      } catch (e) {
        assert.equal((e as { code?: string }).code, ErrorCodes.DIRECTORY_INVALID);
      }
    }),
  );
});

test('devices and networks are validated and made canonical', () => {
  const d = validateDevice({ classId: 'staff-owned', label: ' Laptop 1 ', mac: 'AA-BB-CC-00-11-22', address: '2001:DB8::0:1', owner: 'Teacher.A' });
  assert.deepEqual(d, { classId: 'staff-owned', label: 'Laptop 1', mac: 'aa:bb:cc:00:11:22', address: '2001:db8::1', owner: 'teacher.a', group: null });
  assert.throws(() => validateDevice({ classId: 'pupil-phone', label: 'x' }), { code: ErrorCodes.DIRECTORY_INVALID });
  assert.throws(() => validateDevice({ classId: 'staff-owned', label: 'x', address: '10.0.0.256' }), { code: ErrorCodes.DIRECTORY_INVALID });
  assert.deepEqual(validateNetwork({ cidr: '10.20.3.4/16', site: 'Main site', defaultGroup: 'pupils-ks2' }), { cidr: '10.20.0.0/16', site: 'Main site', defaultGroup: 'pupils-ks2' });
  assert.throws(() => validateNetwork({ cidr: '10.0.0.0/33', site: 'Main', defaultGroup: 'staff' }), { code: ErrorCodes.DIRECTORY_INVALID });
});
