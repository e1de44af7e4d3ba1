// Two schools on one control plane: an account of one never reaches the other's records, by path
// or by guessing ids; and account management stays within what the actor may do.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSchool } from '../../src/services/org/organisations.ts';
import { registerDevice } from '../../src/services/directory/devices.ts';
import type { School } from '../../src/core/org/organisation.ts';
import { SqlAuditRepository } from '../../src/storage/sql/audit-repository.ts';
import { ApiClient, startTestApi, TEST_PASSWORD, type TestApi } from '../support/api.ts';

let api: TestApi;
let other: School;
let otherDeviceId: string;

before(async () => {
  api = await startTestApi();
  const p = api.plane;
  other = await createSchool({ repository: p.organisations, ids: p.ids, clock: p.clock }, { name: 'Another school', timeZone: 'Europe/London' });
  const device = await registerDevice({ devices: p.devices, directory: p.directory, ids: p.ids, clock: p.clock, audit: p.audit, actor: 'system' }, other.id, { classId: 'school-owned-shared', label: 'other school laptop' });
  otherDeviceId = device.id;
});
after(() => api.close());

test('a real school outside the account’s scope answers as if it did not exist', async () => {
  const nm = await api.signIn('network-manager');
  for (const path of [`/api/schools/${other.id}`, `/api/schools/${other.id}/devices`, `/api/schools/${other.id}/policy`, `/api/schools/${other.id}/activity`]) {
    const res = await nm.get(path);
    assert.equal(res.status, 404, `${path}: ${res.status}`);
    assert.equal(res.body.error.code, 'RF_NOT_FOUND');
  }
  const explain = await nm.post('/api/explain', { schoolId: other.id, group: 'staff', url: 'example.org' });
  assert.equal(explain.status, 404);
  assert.deepEqual((await nm.get('/api/schools')).body.schools.map((s: School) => s.id), [api.school.id]);
});

test('another school’s device cannot be changed or removed through this school’s path', async () => {
  const nm = await api.signIn('network-manager');
  const base = `/api/schools/${api.school.id}/devices/${otherDeviceId}`;
  assert.equal((await nm.put(base, { classId: 'school-owned-shared', label: 'taken over' })).status, 404);
  assert.equal((await nm.delete(base)).status, 404);
  const still = await api.plane.devices.listDevices(other.id);
  assert.deepEqual(still.map((d) => d.label), ['other school laptop']);
});

test('a reset ends the old password; nobody resets a stronger role or themselves', async () => {
  const nm = await api.signIn('network-manager');
  const head = await api.signIn('headteacher');
  const teacher = await api.signIn('teacher', { username: 'teacher-to-reset' });
  assert.equal((await nm.post(`/api/accounts/${head.accountId}/reset`)).status, 403, 'a network manager cannot reset a headteacher');
  assert.equal((await head.post(`/api/accounts/${nm.accountId}/reset`)).status, 403, 'a headteacher cannot reset a network manager');
  assert.equal((await nm.post(`/api/accounts/${nm.accountId}/reset`)).status, 403, 'nor themselves');
  const reset = await nm.post(`/api/accounts/${teacher.accountId}/reset`);
  assert.equal(reset.status, 200, JSON.stringify(reset.body));
  assert.equal((await teacher.get('/api/session')).status, 401, 'the teacher’s session ended');
  assert.equal((await api.anonymous().post('/api/session', { username: 'teacher-to-reset', password: TEST_PASSWORD })).status, 401, 'the old password no longer works');
  const again = new ApiClient(api.url);
  const redeemed = await again.post('/api/session/one-time', { token: reset.body.oneTimeToken, password: 'a brand new passphrase' });
  assert.equal(redeemed.status, 201);
  assert.equal(redeemed.body.stage, 'full');
});

test('a headteacher cannot create a trust administrator, nor an account for a school it cannot see', async () => {
  const head = await api.signIn('headteacher');
  assert.equal((await head.post('/api/accounts', { username: 'would-be-trust', role: 'trust-admin', scope: [api.school.id] })).status, 403);
  assert.equal((await head.post('/api/accounts', { username: 'elsewhere', role: 'teacher', scope: [other.id] })).status, 403);
  const made = await head.post('/api/accounts', { username: 'new-teacher', role: 'teacher', scope: [api.school.id] });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.equal(typeof made.body.oneTime.oneTimeToken, 'string');
});

test('changing the school is audited with who did it', async () => {
  const head = await api.signIn('headteacher');
  const res = await head.call('PATCH', `/api/schools/${api.school.id}`, { name: 'Renamed primary school' });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const entries = await new SqlAuditRepository(api.plane.database).entriesAfter(0, 10_000);
  const updated = entries.filter((e) => e.action === 'school.updated');
  assert.equal(updated.length, 1);
  assert.equal(updated[0]!.actor, head.accountId);
  assert.equal(JSON.parse(updated[0]!.detailsJson).name, 'Renamed primary school');
});
