// Unblock requests through the API: a teacher asks for a site for a group, the teacher cannot
// approve it, a headteacher approves, the teacher is emailed (a real SMTP sink on loopback), the
// site is allowed for the group by the policy in force, and the change log shows who and why.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { SmtpNotifier } from '../../src/notify/smtp-notifier.ts';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.ts';
import { startTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
let smtp: SmtpSink;
let notifier: SmtpNotifier;

before(async () => {
  smtp = await startSmtpSink();
  notifier = new SmtpNotifier(smtp.config);
  api = await startTestApi({ notifier });
});
after(async () => {
  await api.close();
  await notifier.close();
  await smtp.close();
});

test('a teacher asks, a second person approves, the teacher is told, the change log records it', async () => {
  const school = api.school.id;
  const teacher = await api.signIn('teacher');
  const head = await api.signIn('headteacher');
  const form = await teacher.get(`/api/schools/${school}/unblock-requests/form`);
  assert.equal(form.status, 200);
  assert.ok(form.body.groups.some((g: { id: string }) => g.id === 'pupils-ks2'), JSON.stringify(form.body.groups));

  const asked = await teacher.post(`/api/schools/${school}/unblock-requests`, { site: 'https://www.bet365.com/odds', group: 'pupils-ks2', endsAt: form.body.ends.endOfWeek, reason: 'a maths lesson on probability' });
  assert.equal(asked.status, 201, JSON.stringify(asked.body));
  assert.equal(asked.body.request.state, 'pending');
  const id = asked.body.request.id;

  // Before: blocked for the group. A teacher may not decide, nor see the queue.
  const before = await head.post('/api/explain', { schoolId: school, group: 'pupils-ks2', url: 'https://www.bet365.com/odds' });
  assert.equal(before.body.decision.action, 'block');
  assert.equal((await teacher.post(`/api/schools/${school}/unblock-requests/${id}/approve`, {})).status, 403);
  assert.equal((await teacher.get(`/api/schools/${school}/unblock-requests`)).status, 403);

  const queue = await head.get(`/api/schools/${school}/unblock-requests`);
  assert.deepEqual(queue.body.requests.map((r: { id: string }) => r.id), [id]);
  const approved = await head.post(`/api/schools/${school}/unblock-requests/${id}/approve`, { comment: 'fine for this week' });
  assert.equal(approved.status, 200, JSON.stringify(approved.body));
  assert.equal(approved.body.request.state, 'approved');
  assert.equal(approved.body.publishedVersion, 2);
  assert.equal(approved.body.emailed, 1);
  assert.deepEqual(api.published.at(-1), { schoolId: school, version: 2 });

  // The email reached the teacher through SMTP.
  const teacherEmail = `${(await teacher.get('/api/session')).body.account.username}@school.test`;
  const mail = smtp.received.find((m) => m.to.includes(teacherEmail));
  assert.ok(mail, `no email to the teacher among ${smtp.received.length}`);
  assert.match(mail.body, /fine for this week/);

  // The published policy allows it for the group; the change log says who asked, why and who approved.
  const after = await head.post('/api/explain', { schoolId: school, group: 'pupils-ks2', url: 'https://www.bet365.com/odds' });
  assert.equal(after.body.decision.action, 'allow', JSON.stringify(after.body));
  assert.match(after.body.decision.rule, /^unblock-/);
  const log = await head.get(`/api/schools/${school}/policy/changes`);
  const row = log.body.changes.find((c: { publishedVersion: number | null }) => c.publishedVersion === 2);
  assert.equal(row.kind, 'unblock');
  assert.equal(row.author, teacher.accountId);
  assert.equal(row.decidedBy, head.accountId);
  assert.equal(row.reason, 'a maths lesson on probability');

  const mine = await teacher.get(`/api/schools/${school}/unblock-requests/mine`);
  assert.equal(mine.body.requests[0].state, 'approved');
});

test('bad requests are refused with a reason, and a request of another school is unknown', async () => {
  const school = api.school.id;
  const teacher = await api.signIn('teacher');
  const noReason = await teacher.post(`/api/schools/${school}/unblock-requests`, { site: 'example.org', group: 'pupils-ks2', endsAt: new Date(Date.now() + 3600_000).toISOString(), reason: ' ' });
  assert.equal(noReason.status, 400);
  const tooLong = await teacher.post(`/api/schools/${school}/unblock-requests`, { site: 'example.org', group: 'pupils-ks2', endsAt: new Date(Date.now() + 200 * 86_400_000).toISOString(), reason: 'a term project' });
  assert.equal(tooLong.status, 400);
  assert.equal(tooLong.body.error.code, 'RF_UNBLOCK_INVALID');
  const head = await api.signIn('headteacher');
  const unknown = await head.post(`/api/schools/${school}/unblock-requests/0190f3c2-0000-7000-8000-000000000000/approve`, {});
  assert.equal(unknown.status, 404);
});
