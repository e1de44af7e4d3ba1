// The organisation repository's contract, and the use cases on top of it, on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import type { School } from '../../../src/core/org/organisation.ts';
import { organisationScope } from '../../../src/core/org/scope.ts';
import { createResponsibleBody, createSchool, schoolsVisibleTo, updateSchool, type OrganisationDeps } from '../../../src/services/org/organisations.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

function depsFor(database: TestDatabase): OrganisationDeps {
  let ms = Date.parse('2025-09-01T08:00:00.000Z');
  const clock = { now: () => new Date(ms++) };
  return { repository: new SqlOrganisationRepository(database), ids: uuidV7Source(), clock };
}

function rejectsWith(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && pattern.test(e.message);
}

const names = (schools: School[]) => schools.map((s) => s.name);

await eachDialect('organisations', (dialect) => {
  test('schools and responsible bodies read back exactly as written', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    const trust = await createResponsibleBody(deps, { kind: 'trust', name: 'Trust A' });
    const school = await createSchool(deps, { name: 'Primary School A', reference: '100001', timeZone: 'Europe/London', responsibleBodyId: trust.id });
    assert.deepEqual(await deps.repository.findOrganisation(school.id), school);
    assert.deepEqual(await deps.repository.findOrganisation(trust.id), trust);
    assert.equal(school.createdAt, '2025-09-01T08:00:00.001Z', 'the clock given, to the millisecond');
    assert.equal(await deps.repository.findOrganisation('0190a6b2-7c4e-7d3a-9f00-000000000000'), null);
    assert.equal(await deps.repository.findOrganisation('not-an-id'), null);
  });

  test('lists are sorted by name the same way on every database', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    for (const name of ['school b', 'School a', 'École C', 'School 10', 'School 9']) await createSchool(deps, { name });
    await createResponsibleBody(deps, { kind: 'local_authority', name: 'Authority B' });
    await createResponsibleBody(deps, { kind: 'trust', name: 'authority a' });
    assert.deepEqual(names(await deps.repository.listSchools()), ['École C', 'School 9', 'School 10', 'School a', 'school b']);
    assert.deepEqual((await deps.repository.listResponsibleBodies()).map((b) => [b.kind, b.name]), [['trust', 'authority a'], ['local_authority', 'Authority B']]);
  });

  test('a scope sees its schools, and every school of its trusts and authorities, including later ones', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    const trust = await createResponsibleBody(deps, { kind: 'trust', name: 'Trust A' });
    const authority = await createResponsibleBody(deps, { kind: 'local_authority', name: 'Authority A' });
    const a1 = await createSchool(deps, { name: 'A1', responsibleBodyId: trust.id });
    await createSchool(deps, { name: 'A2', responsibleBodyId: trust.id });
    const b1 = await createSchool(deps, { name: 'B1', responsibleBodyId: authority.id });
    const alone = await createSchool(deps, { name: 'Alone' });
    const visible = (ids: string[]) => schoolsVisibleTo(deps.repository, ids).then(names);

    assert.deepEqual(await visible([trust.id]), ['A1', 'A2']);
    assert.deepEqual(await visible([authority.id.toUpperCase()]), ['B1']);
    assert.deepEqual(await visible([alone.id, a1.id]), ['A1', 'Alone']);
    assert.deepEqual(await visible([trust.id, a1.id, b1.id]), ['A1', 'A2', 'B1'], 'no school twice');
    assert.deepEqual(await visible([]), []);
    assert.deepEqual(await visible(['0190a6b2-7c4e-7d3a-9f00-000000000000']), []);
    await createSchool(deps, { name: 'A3', responsibleBodyId: trust.id });
    assert.deepEqual(await visible([trust.id]), ['A1', 'A2', 'A3']);
    // The repository itself ignores ids that cannot exist rather than failing on them.
    assert.deepEqual(names(await deps.repository.schoolsVisibleTo(new Set(['all', a1.id]))), ['A1']);
    await assert.rejects(visible(['all']), rejectsWith(ErrorCodes.ORGANISATION_INVALID, /organisation id "all" is not an id/));
  });

  test('a school moves between trusts, leaves one, is renamed; its scope follows', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    const [t1, t2] = [await createResponsibleBody(deps, { kind: 'trust', name: 'T1' }), await createResponsibleBody(deps, { kind: 'trust', name: 'T2' })];
    const school = await createSchool(deps, { name: 'S', responsibleBodyId: t1.id });
    const moved = await updateSchool(deps, school.id, { responsibleBodyId: t2.id, name: 'S renamed', timeZone: 'europe/dublin' });
    assert.deepEqual(moved, { ...school, responsibleBodyId: t2.id, name: 'S renamed', timeZone: 'Europe/Dublin' });
    assert.deepEqual(await deps.repository.schoolsVisibleTo(organisationScope([t1.id])), []);
    assert.deepEqual(names(await deps.repository.schoolsVisibleTo(organisationScope([t2.id]))), ['S renamed']);
    assert.equal((await updateSchool(deps, school.id, { responsibleBodyId: null })).responsibleBodyId, null);
    assert.deepEqual(await updateSchool(deps, school.id, {}), { ...moved, responsibleBodyId: null });
    await assert.rejects(updateSchool(deps, '0190a6b2-7c4e-7d3a-9f00-000000000000', { name: 'x' }), rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN, /no school with id/));
  });

  test('school references are unique; a missing trust, or a school given as a trust, is refused', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    const first = await createSchool(deps, { name: 'S1', reference: '100001' });
    await createSchool(deps, { name: 'S2' });
    await createSchool(deps, { name: 'S3' }); // two schools without a reference are fine
    await assert.rejects(createSchool(deps, { name: 'S4', reference: '100001' }), rejectsWith(ErrorCodes.ORGANISATION_CONFLICT, /another school already has the reference "100001"/));
    const s2 = (await deps.repository.listSchools()).find((s) => s.name === 'S2')!;
    await assert.rejects(updateSchool(deps, s2.id, { reference: '100001' }), rejectsWith(ErrorCodes.ORGANISATION_CONFLICT, /"100001"/));
    const ghost = '0190a6b2-7c4e-7d3a-9f00-000000000000';
    await assert.rejects(createSchool(deps, { name: 'S5', responsibleBodyId: ghost }), rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN, /does not exist/));
    await assert.rejects(createSchool(deps, { name: 'S5', responsibleBodyId: first.id }), rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN, /is a school, not a trust or local authority/));
    // The database enforces it too, whoever writes.
    await assert.rejects(
      deps.repository.insertSchool({ ...first, id: ghost, reference: null, responsibleBodyId: '0190a6b2-7c4e-7d3a-9f00-000000000001' }),
      rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN, /no trust or local authority with id/),
    );
    assert.equal((await deps.repository.listSchools()).length, 3);
  });

  test('a trust that still holds schools cannot be deleted from under them', async () => {
    await using database = await dialect.open();
    const deps = depsFor(database);
    const trust = await createResponsibleBody(deps, { kind: 'trust', name: 'T' });
    await createSchool(deps, { name: 'S', responsibleBodyId: trust.id });
    await assert.rejects(sql`delete from responsible_bodies where id = ${trust.id}`.execute(database.db), /foreign key/i);
    await assert.rejects(sql`insert into responsible_bodies (id, kind, name, created_at) values (${deps.ids.newId()}, 'diocese', 'D', ${new Date().toISOString()})`.execute(database.db), /check/i);
  });
});
