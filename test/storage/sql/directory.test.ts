// The directory and the device register on every database: imports (preview, apply, idempotent
// re-import, errors), guests' expiry, devices with their access levels, networks, and the client map.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { addNetwork, clientMapFor, listDevices, registerDevice, removeDevice, removeNetwork, updateDevice, updateNetwork, type DeviceDeps } from '../../../src/services/directory/devices.ts';
import { addGuest, applyImport, previewImport, type RosterDeps } from '../../../src/services/directory/roster.ts';
import { SqlAuditRepository } from '../../../src/storage/sql/audit-repository.ts';
import { openAuditLog } from '../../../src/storage/sql/audit-store.ts';
import { SqlDeviceRepository } from '../../../src/storage/sql/device-repository.ts';
import { SqlDirectoryRepository } from '../../../src/storage/sql/directory-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

interface Fixture extends RosterDeps, DeviceDeps {
  readonly schoolId: string;
  readonly otherSchoolId: string;
  readonly audit: Awaited<ReturnType<typeof openAuditLog>>;
  actions(): Promise<string[]>;
  /** Moves the clock to this instant. */
  setNow(iso: string): void;
}

async function fixture(database: TestDatabase): Promise<Fixture> {
  let ms = Date.parse('2025-09-01T08:00:00.000Z');
  const clock = { now: () => new Date(ms++) };
  const ids = uuidV7Source(clock);
  const organisations = { repository: new SqlOrganisationRepository(database), ids, clock };
  const school = await createSchool(organisations, { name: 'Primary School A', reference: null, timeZone: 'Europe/London', responsibleBodyId: null });
  const other = await createSchool(organisations, { name: 'Primary School B', reference: null, timeZone: 'Europe/London', responsibleBodyId: null });
  const audit = await openAuditLog(database, { keyPath: join(database.dir, 'keys', 'audit.key'), clock });
  const auditRepository = new SqlAuditRepository(database);
  return {
    schoolId: school.id,
    otherSchoolId: other.id,
    directory: new SqlDirectoryRepository(database),
    devices: new SqlDeviceRepository(database),
    ids,
    clock,
    audit,
    actor: 'system',
    actions: async () => (await auditRepository.entriesAfter(0, 1000)).map((e) => e.action),
    setNow: (iso) => void (ms = Date.parse(iso)),
  };
}

const PUPILS = 'username,display name,year group\npupil.a,Pupil A,R\npupil.b,Pupil B,2\npupil.c,Pupil C,Year 6\n';
const STAFF = 'username,display name,groups\nteacher.a,Teacher A,staff\ntechnician.a,Technician A,staff;technical\n';

function code(expected: string) {
  return (e: unknown) => e instanceof RingfenceError && e.code === expected;
}

await eachDialect('directory', (dialect) => {
  test('a pupil list imports once; the same file again changes nothing and audits nothing', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    const first = await previewImport(f, f.schoolId, 'pupil', PUPILS);
    assert.deepEqual([first.add.length, first.change.length, first.errors.length], [3, 0, 0]);
    assert.deepEqual(await applyImport(f, first), { added: 3, changed: 0, removed: 0 });
    const people = await f.directory.listPeople(f.schoolId);
    assert.deepEqual(people.map((p) => [p.username, p.kind, p.yearGroup]), [['pupil.a', 'pupil', 0], ['pupil.b', 'pupil', 2], ['pupil.c', 'pupil', 6]]);
    const again = await previewImport(f, f.schoolId, 'pupil', PUPILS);
    assert.deepEqual([again.add, again.change, again.remove, again.unchanged.length], [[], [], [], 3]);
    assert.deepEqual(await applyImport(f, again), { added: 0, changed: 0, removed: 0 });
    assert.deepEqual(await f.directory.listPeople(f.schoolId), people);
    assert.deepEqual(await f.actions(), ['directory.imported']);
    assert.deepEqual(await f.directory.listPeople(f.otherSchoolId), [], 'another school sees none of it');
  });

  test('changes, staff groups and --replace are applied as previewed, in one go', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    await applyImport(f, await previewImport(f, f.schoolId, 'pupil', PUPILS));
    await applyImport(f, await previewImport(f, f.schoolId, 'staff', STAFF));
    const next = await previewImport(f, f.schoolId, 'pupil', 'pupil.a,Pupil A,1\npupil.c,Pupil C,6\npupil.d,Pupil D,7\n', { replace: true });
    assert.deepEqual(next.change.map((c) => [c.after.username, c.fields]), [['pupil.a', ['yearGroup']]]);
    assert.deepEqual([next.remove, next.add.map((p) => p.username)], [['pupil.b'], ['pupil.d']]);
    assert.deepEqual(await applyImport(f, next), { added: 1, changed: 1, removed: 1 });
    const people = await f.directory.listPeople(f.schoolId);
    assert.deepEqual(people.map((p) => [p.username, p.yearGroup, p.groups]), [
      ['pupil.a', 1, []], ['pupil.c', 6, []], ['pupil.d', 7, []], ['teacher.a', null, ['staff']], ['technician.a', null, ['staff', 'technical']],
    ]);
    const staffAgain = await previewImport(f, f.schoolId, 'staff', 'teacher.a,Teacher A,staff nominated-staff\ntechnician.a,Technician A,technical;staff\n');
    assert.deepEqual([staffAgain.change.map((c) => c.fields), staffAgain.unchanged], [[['groups']], ['technician.a']]);
    await applyImport(f, staffAgain);
    assert.deepEqual((await f.directory.findPerson(f.schoolId, 'Teacher.A'))?.groups, ['nominated-staff', 'staff']);
  });

  test('a list with bad lines reports each line and imports nothing', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    const preview = await previewImport(f, f.schoolId, 'pupil', 'pupil.a,Pupil A,3\nbad name!,X,3\npupil.b,Pupil B,fourteen\n');
    assert.deepEqual(preview.errors.map((e) => e.line), [2, 3]);
    await assert.rejects(applyImport(f, preview), code(ErrorCodes.DIRECTORY_IMPORT_INVALID));
    assert.deepEqual(await f.directory.listPeople(f.schoolId), []);
    await assert.rejects(previewImport(f, 'not-a-school', 'pupil', PUPILS), code(ErrorCodes.DIRECTORY_INVALID));
  });

  test('a guest is in the guest group until the expiry, then in none; usernames stay unique', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    await applyImport(f, await previewImport(f, f.schoolId, 'pupil', PUPILS));
    const guest = await addGuest(f, f.schoolId, { username: 'supply.a', displayName: 'Supply teacher', expiresAt: '2025-09-01T16:00:00Z' });
    assert.equal(guest.expiresAt, '2025-09-01T16:00:00.000Z');
    await assert.rejects(addGuest(f, f.schoolId, { username: 'Pupil.A', displayName: 'X', expiresAt: '2025-09-02T16:00:00Z' }), code(ErrorCodes.DIRECTORY_CONFLICT));
    await registerDevice(f, f.schoolId, { classId: 'visitor-owned', label: 'Supply laptop', address: '10.0.5.5', owner: 'supply.a' });
    await addNetwork(f, f.schoolId, { cidr: '10.0.5.0/24', site: 'Main', defaultGroup: 'pupils-ks2' });
    // Visitor-owned devices get no network access (policy 2.2 as written): identified, in no group.
    assert.deepEqual((await clientMapFor(f, f.schoolId)).identify('10.0.5.5').groups, []);
    await updateDevice(f, f.schoolId, (await listDevices(f, f.schoolId))[0]!.id, { classId: 'school-owned-single-user', label: 'Loan laptop', address: '10.0.5.5', owner: 'supply.a' });
    assert.deepEqual((await clientMapFor(f, f.schoolId)).identify('10.0.5.5'), { user: 'supply.a', groups: ['guests'], source: 'device:Loan laptop' });
    f.setNow('2025-09-01T16:00:00.000Z');
    assert.deepEqual((await clientMapFor(f, f.schoolId)).identify('10.0.5.5'), { user: null, groups: [], source: 'device:Loan laptop' });
    assert.deepEqual(await f.actions(), ['directory.imported', 'directory.guest.added', 'device.registered', 'network.added', 'device.updated']);
  });

  test('devices: access level per class, MACs unique per school in any spelling, owners must exist', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    await applyImport(f, await previewImport(f, f.schoolId, 'staff', STAFF));
    const laptop = await registerDevice(f, f.schoolId, { classId: 'staff-owned', label: 'Teacher laptop', mac: 'AA-BB-CC-00-11-22', owner: 'teacher.a' });
    assert.deepEqual([laptop.access, laptop.mac], ['internet only', 'aa:bb:cc:00:11:22']);
    await assert.rejects(registerDevice(f, f.schoolId, { classId: 'school-owned-shared', label: 'Tablet', mac: 'aabb.cc00.1122' }), code(ErrorCodes.DIRECTORY_CONFLICT));
    await registerDevice(f, f.otherSchoolId, { classId: 'school-owned-shared', label: 'Tablet', mac: 'aabb.cc00.1122' });
    await assert.rejects(registerDevice(f, f.schoolId, { classId: 'staff-owned', label: 'Phone', owner: 'nobody.a' }), code(ErrorCodes.DIRECTORY_UNKNOWN));
    const listed = await listDevices(f, f.schoolId);
    assert.deepEqual(listed, [laptop]);
    await assert.rejects(removeDevice(f, f.otherSchoolId, laptop.id), code(ErrorCodes.DIRECTORY_UNKNOWN));
    // The owner leaving the staff list leaves the device registered, ownerless.
    await applyImport(f, await previewImport(f, f.schoolId, 'staff', 'technician.a,Technician A,staff;technical\n', { replace: true }));
    assert.equal((await listDevices(f, f.schoolId))[0]!.owner, null);
    await removeDevice(f, f.schoolId, laptop.id);
    assert.deepEqual(await listDevices(f, f.schoolId), []);
  });

  test('networks: unique CIDR per school, most specific first, device addresses before networks', async () => {
    await using database = await dialect.open();
    const f = await fixture(database);
    await applyImport(f, await previewImport(f, f.schoolId, 'pupil', PUPILS));
    const wide = await addNetwork(f, f.schoolId, { cidr: '10.0.0.0/8', site: 'Main', defaultGroup: 'guests' });
    const hall = await addNetwork(f, f.schoolId, { cidr: '10.1.2.3/24', site: 'Sports hall', defaultGroup: 'pupils-ks1' });
    assert.equal(hall.cidr, '10.1.2.0/24');
    await assert.rejects(addNetwork(f, f.schoolId, { cidr: '10.1.2.0/24', site: 'Again', defaultGroup: 'staff' }), code(ErrorCodes.DIRECTORY_CONFLICT));
    await registerDevice(f, f.schoolId, { classId: 'school-owned-single-user', label: 'Pupil C laptop', address: '10.1.2.50', owner: 'pupil.c' });
    await registerDevice(f, f.schoolId, { classId: 'staff-owned', label: 'Office laptop', address: '::ffff:10.1.2.51' });
    const map = await clientMapFor(f, f.schoolId);
    assert.deepEqual(map.identify('10.1.2.50'), { user: 'pupil.c', groups: ['pupils-ks2'], source: 'device:Pupil C laptop' });
    assert.deepEqual(map.identify('10.1.2.51').groups, ['staff'], 'an IPv4-mapped address is the IPv4 address');
    assert.deepEqual(map.identify('10.1.2.99'), { user: null, groups: ['pupils-ks1'], source: 'network:Sports hall:10.1.2.0/24' });
    assert.deepEqual(map.identify('10.200.0.1').groups, ['guests']);
    assert.deepEqual((await clientMapFor(f, f.otherSchoolId)).identify('10.1.2.50').groups, [], 'another school has its own map');
    await updateNetwork(f, f.schoolId, hall.id, { cidr: '10.1.2.0/24', site: 'Sports hall', defaultGroup: 'staff' });
    await removeNetwork(f, f.schoolId, wide.id);
    const after = await clientMapFor(f, f.schoolId);
    assert.deepEqual([after.identify('10.1.2.99').groups, after.identify('10.200.0.1').groups], [['staff'], []]);
    await assert.rejects(removeNetwork(f, f.schoolId, wide.id), code(ErrorCodes.DIRECTORY_UNKNOWN));
  });
});
