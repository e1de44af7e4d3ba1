// "Test a request" for a person: their groups come from the directory (a pupil's year group gives
// the key stage), and an unknown person is named in the error.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
before(async () => {
  api = await startTestApi();
});
after(() => api.close());

test('a pupil imported through the API is decided by their key stage; an unknown user is refused', async () => {
  const head = await api.signIn('headteacher');
  const imported = await head.post(`/api/schools/${api.school.id}/imports`, { kind: 'pupil', csv: 'username,display name,year group\npupil.one,Pupil One,5\n' });
  assert.equal(imported.status, 200, JSON.stringify(imported.body));
  assert.equal(imported.body.added, 1);
  const staffCsv = 'username,display name,groups\nteacher.one,Teacher One,staff\n';
  assert.equal((await head.post(`/api/schools/${api.school.id}/imports`, { kind: 'staff', csv: staffCsv })).status, 200);
  // Class Dojo: staff only, on a school day (a Monday in the autumn term, 10:00 school time).
  const ask = (user: string) => head.post('/api/explain', { schoolId: api.school.id, user, url: 'https://www.classdojo.com/', at: '2026-11-02T10:00' });
  const pupil = await ask('Pupil.One');
  const teacher = await ask('teacher.one');
  assert.equal(pupil.status, 200, JSON.stringify(pupil.body));
  assert.equal(teacher.body.decision.action, 'allow', JSON.stringify(teacher.body));
  assert.equal(pupil.body.decision.action, 'block', JSON.stringify(pupil.body));
  const unknown = await head.post('/api/explain', { schoolId: api.school.id, user: 'nobody.here', url: 'example.org' });
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'RF_USER_UNKNOWN');
  assert.match(unknown.body.error.message, /nobody\.here/);
});
