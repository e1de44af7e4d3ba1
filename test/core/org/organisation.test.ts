import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { formatUuidV7, isEntityId, parseEntityId } from '../../../src/core/org/id.ts';
import { validateResponsibleBodyInput, validateSchoolChanges, validateSchoolInput } from '../../../src/core/org/organisation.ts';
import { organisationScope, scopeCoversSchool } from '../../../src/core/org/scope.ts';

const TRUST = '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f60';
const SCHOOL = '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f61';

function invalid(pattern: RegExp, code: string = ErrorCodes.ORGANISATION_INVALID) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && pattern.test(e.message);
}

test('a school gets trimmed fields, a canonical time zone and Europe/London by default', () => {
  assert.deepEqual(validateSchoolInput({ name: '  Primary School A ', reference: ' 123456 ', responsibleBodyId: TRUST.toUpperCase() }), {
    name: 'Primary School A', reference: '123456', timeZone: 'Europe/London', responsibleBodyId: TRUST,
  });
  assert.equal(validateSchoolInput({ name: 'S', timeZone: 'europe/dublin' }).timeZone, 'Europe/Dublin');
  assert.equal(validateSchoolInput({ name: 'S', reference: '' }).reference, null);
});

test('bad school fields are refused with a message naming the input', () => {
  assert.throws(() => validateSchoolInput({ name: '   ' }), invalid(/school name is empty/));
  assert.throws(() => validateSchoolInput({ name: 'x'.repeat(201) }), invalid(/longer than 200/));
  assert.throws(() => validateSchoolInput({ name: 'A\u200bB' }), invalid(/"A\\u200bB" contains control or invisible/));
  assert.throws(() => validateSchoolInput({ name: 'S', reference: '12 34' }), invalid(/reference "12 34" must be/));
  assert.throws(() => validateSchoolInput({ name: 'S', timeZone: 'Mars/Olympus' }), invalid(/time zone "Mars\/Olympus" is not a known IANA zone/));
  assert.throws(() => validateSchoolInput({ name: 'S', responsibleBodyId: 'trust-1' }), invalid(/"trust-1" is not an id/));
});

test('school changes keep only the fields given; null takes a school out of its trust', () => {
  assert.deepEqual(validateSchoolChanges({}), {});
  assert.deepEqual(validateSchoolChanges({ responsibleBodyId: null, name: ' New ' }), { responsibleBodyId: null, name: 'New' });
  assert.throws(() => validateSchoolChanges({ timeZone: 'nowhere' }), invalid(/nowhere/));
});

test('trusts and local authorities: kind checked, name named by kind', () => {
  assert.deepEqual(validateResponsibleBodyInput({ kind: 'local_authority', name: ' Authority A ' }), { kind: 'local_authority', name: 'Authority A' });
  assert.throws(() => validateResponsibleBodyInput({ kind: 'diocese', name: 'D' }), invalid(/kind "diocese" is not one of trust, local_authority/));
  assert.throws(() => validateResponsibleBodyInput({ kind: 'local_authority', name: '' }), invalid(/local authority name is empty/));
});

test('UUIDv7: version and variant bits set, time in the first 48 bits, order follows time', () => {
  const id = formatUuidV7(0x0190a6b27c4e, new Uint8Array(10).fill(0xff));
  assert.equal(id, '0190a6b2-7c4e-7fff-bfff-ffffffffffff');
  assert.ok(isEntityId(id));
  fc.assert(
    fc.property(fc.nat({ max: 2 ** 47 }), fc.nat({ max: 2 ** 47 }), fc.uint8Array({ minLength: 10, maxLength: 10 }), fc.uint8Array({ minLength: 10, maxLength: 10 }), (t1, t2, r1, r2) => {
      const [a, b] = [formatUuidV7(t1, r1), formatUuidV7(t2, r2)];
      assert.ok(isEntityId(a) && a[14] === '7' && '89ab'.includes(a[19]!));
      if (t1 < t2) assert.ok(a < b, `${a} should sort before ${b}`);
    }),
  );
  assert.throws(() => formatUuidV7(-1, new Uint8Array(10)), RangeError);
});

test('ids from users are normalised to lower case; anything else is refused', () => {
  assert.equal(parseEntityId(` ${SCHOOL.toUpperCase()} `, 'school id'), SCHOOL);
  assert.equal(isEntityId(SCHOOL.toUpperCase()), false);
  assert.throws(() => parseEntityId('42', 'school id'), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ARGUMENT_INVALID && /school id "42" is not an id/.test(e.message));
});

test('a scope covers its schools and every school of its trusts', () => {
  const scope = organisationScope([TRUST.toUpperCase()]);
  assert.ok(scopeCoversSchool(scope, { id: SCHOOL, responsibleBodyId: TRUST }));
  assert.ok(!scopeCoversSchool(scope, { id: SCHOOL, responsibleBodyId: null }));
  assert.ok(scopeCoversSchool(organisationScope([SCHOOL]), { id: SCHOOL, responsibleBodyId: null }));
  assert.throws(() => organisationScope(['all']), invalid(/organisation id "all" is not an id/));
});
