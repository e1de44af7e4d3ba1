// Unblock requests end to end on every database: request → approve → the published policy holds the
// rule → the engine allows the site for the group until the period ends; decline, cancel, the
// requester cannot approve their own, the periodic start and expiry, the change log and the emails.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { PolicyEngine } from '../../../src/core/policy/engine.ts';
import type { Policy } from '../../../src/core/policy/schema.ts';
import { parseEmailConfig } from '../../../src/notify/email-config.ts';
import { SmtpNotifier } from '../../../src/notify/smtp-notifier.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { changeLog } from '../../../src/services/policy-change/policy-history.ts';
import type { ContactDirectory } from '../../../src/services/ports.ts';
import { activateDue, expireDue, runDue } from '../../../src/services/unblock/unblock-due.ts';
import { approve, cancel, decline, listForRequester, listQueue, requestUnblock, type UnblockDeps } from '../../../src/services/unblock/unblock-requests.ts';
import { loadDefaultPack } from '../../../src/storage/files/pack-files.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { SqlPolicyRepository } from '../../../src/storage/sql/policy-repository.ts';
import { SqlUnblockRepository } from '../../../src/storage/sql/unblock-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { snapshotOf } from '../../core/policy/fixtures.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';
import { startSmtpSink, type SmtpSink } from '../../support/smtp-sink.ts';
import { auditFixture } from '../audit/audit-fixture.ts';

const pack = loadDefaultPack();
// ut1/gambling is blocked for everyone by the pack; ut1/agressif is in a locked category.
const snapshot = snapshotOf([{ id: 'ut1/gambling', domains: ['bets.example'] }, { id: 'ut1/agressif', domains: ['hate.example'] }]);
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const HOUR = 3_600_000;
const pupil = { groups: ['pupils-ks2'] };

async function fixture(database: TestDatabase, sink: SmtpSink | null) {
  let now = T0;
  const clock = { now: () => new Date(now) };
  const ids = uuidV7Source(clock);
  const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids, clock }, { name: 'Primary School A' });
  const policies = new SqlPolicyRepository(database);
  const first = { id: ids.newId(), schoolId: school.id, kind: 'change', state: 'pending', document: pack, reason: 'Adopt the pack', author: ids.newId(), basedOnVersion: null, submittedAt: clock.now().toISOString(), decidedBy: null, decidedAt: null, decisionComment: null, publishedVersion: null } as const;
  await policies.insertChange(first, false);
  await policies.publish(first.id, { decidedBy: ids.newId(), decidedAt: clock.now().toISOString(), comment: null });
  const audit = await auditFixture(database);
  const teacher = ids.newId();
  const dsl = ids.newId();
  const emails = new Map([[teacher, 'teacher@school.example'], [dsl, 'dsl@school.example']]);
  const contacts: ContactDirectory = { emailOf: async (id) => emails.get(id) ?? null, approversOf: async () => [dsl, teacher] };
  const published: { version: number; document: Policy }[] = [];
  // Without a sink, port 1 on loopback: nothing listens, every send fails at once.
  const notifier = new SmtpNotifier(sink ? sink.config : parseEmailConfig({ host: '127.0.0.1', port: 1, requireTls: false, from: 'f@school.example' }));
  const failures: string[] = [];
  const deps: UnblockDeps = {
    requests: new SqlUnblockRepository(database), policies, audit: audit.log, ids, clock, notifier, contacts,
    onPublished: (_school, version, document) => void published.push({ version, document }),
    onNotifyFailure: (f) => void failures.push(f.error),
  };
  return {
    deps, policies, audit, schoolId: school.id, teacher, dsl, published, failures,
    setNow(ms: number) { now = ms; },
    async actions() { return (await audit.repository.entriesAfter(0, 1000)).map((e) => e.action); },
    engine() { return new PolicyEngine(published.at(-1)!.document, snapshot); },
    close() { notifier.close(); },
  };
}

const code = (c: string, pattern = /./) => (e: unknown) => e instanceof RingfenceError && e.code === c && pattern.test(e.message);
const ask = { site: 'https://www.bets.example/odds/maths', group: 'pupils-ks2', endsAt: new Date(T0 + 2 * HOUR).toISOString(), reason: 'Year 5 probability lesson' };

await eachDialect('unblock requests', (dialect) => {
  test('request → approve publishes the rule through change control; the engine allows it until the period ends, then expiry removes it', async () => {
    await using database = await dialect.open();
    await using sink = await startSmtpSink();
    const f = await fixture(database, sink);
    try {
      const { request, notification } = await requestUnblock(f.deps, f.schoolId, f.teacher, ask);
      assert.deepEqual([request.state, request.site, request.startsAt], ['pending', { kind: 'url', value: 'www.bets.example/odds/maths' }, new Date(T0).toISOString()]);
      assert.deepEqual(notification.sent, [f.dsl], 'the approver is told; not the requester');
      assert.deepEqual((await listQueue(f.deps, f.schoolId)).map((r) => r.id), [request.id]);

      await assert.rejects(approve(f.deps, request.id, f.teacher), code(ErrorCodes.UNBLOCK_FORBIDDEN, /cannot approve their own/));
      f.setNow(T0 + 60_000);
      const approved = await approve(f.deps, request.id, f.dsl, 'Fine for this lesson');
      assert.deepEqual([approved.request.state, approved.version?.version, approved.request.publishedVersion], ['approved', 2, 2]);
      assert.deepEqual(approved.notification, { sent: [f.teacher], failed: [] });
      assert.deepEqual(await listQueue(f.deps, f.schoolId), []);
      await assert.rejects(approve(f.deps, request.id, f.dsl), code(ErrorCodes.UNBLOCK_CONFLICT, /is approved, not pending/));

      // The live policy (what onPublished got) allows the page for the group, and only for it.
      assert.deepEqual(f.published.map((p) => p.version), [2]);
      const engine = f.engine();
      assert.equal(engine.decide({ ...pupil, target: 'https://www.bets.example/odds/maths/dice', time: T0 + HOUR }).action, 'allow');
      assert.equal(engine.decide({ ...pupil, target: 'https://www.bets.example/casino', time: T0 + HOUR }).action, 'block');
      assert.equal(engine.decide({ groups: ['pupils-ks1'], target: 'https://www.bets.example/odds/maths', time: T0 + HOUR }).action, 'block');
      assert.equal(engine.decide({ ...pupil, target: 'https://www.bets.example/odds/maths', time: T0 + 2 * HOUR }).action, 'block', 'blocked at the end by the engine itself');

      // The change log says who asked, who approved, why, when and what.
      const [row] = await changeLog(f.policies, f.schoolId);
      assert.deepEqual(
        { kind: row!.kind, who: row!.author, approvedBy: row!.decidedBy, why: row!.reason, comment: row!.decisionComment, asked: row!.submittedAt, decided: row!.decidedAt, version: row!.publishedVersion },
        { kind: 'unblock', who: f.teacher, approvedBy: f.dsl, why: 'Year 5 probability lesson', comment: 'Fine for this lesson', asked: new Date(T0).toISOString(), decided: new Date(T0 + 60_000).toISOString(), version: 2 },
      );
      assert.match(row!.what.join('\n'), /unblock-/);

      // The email to the requester.
      const mail = sink.received.find((m) => m.to.includes('teacher@school.example'))!;
      assert.equal(mail.headers.get('subject'), 'Unblock request approved: www.bets.example/odds/maths');
      assert.match(mail.body, /Comment: Fine for this lesson/);
      assert.match(mail.body, /Period: from 2026-03-02 10:00 UTC until 2026-03-02 12:00 UTC/);

      f.setNow(T0 + 2 * HOUR - 1);
      assert.deepEqual((await runDue(f.deps)).expired, [], 'not yet');
      f.setNow(T0 + 2 * HOUR);
      const due = await expireDue(f.deps);
      assert.deepEqual([due.expired, due.versions], [[request.id], [3]]);
      assert.equal(f.published.at(-1)!.version, 3);
      assert.ok(!f.published.at(-1)!.document.rules.some((r) => r.id.startsWith('unblock-')), 'the rule is gone');
      const [removal] = await changeLog(f.policies, f.schoolId);
      assert.deepEqual([removal!.kind, removal!.author, removal!.decidedBy], ['unblock-expiry', 'system', null]);
      assert.match(removal!.reason, /The unblock period ended: www\.bets\.example\/odds\/maths for pupils-ks2/);
      assert.equal((await listForRequester(f.deps, f.schoolId, f.teacher))[0]!.state, 'expired');
      assert.deepEqual((await expireDue(f.deps)).expired, [], 'once');

      assert.deepEqual(await f.actions(), [
        'unblock.requested', 'unblock.approved', 'policy.approved', 'policy.published', 'unblock.expired', 'policy.published',
      ]);
      const verification = await f.audit.verify();
      assert.equal(verification.problem, null);
    } finally {
      f.close();
    }
  });

  test('decline needs a comment and tells the requester; cancel is the requester\'s alone; bad input is refused', async () => {
    await using database = await dialect.open();
    await using sink = await startSmtpSink();
    const f = await fixture(database, sink);
    try {
      await assert.rejects(requestUnblock(f.deps, f.schoolId, f.teacher, { ...ask, group: 'year-5' }), code(ErrorCodes.GROUP_UNKNOWN));
      await assert.rejects(requestUnblock(f.deps, f.schoolId, f.teacher, { ...ask, endsAt: new Date(T0 + 91 * 24 * HOUR).toISOString() }), code(ErrorCodes.UNBLOCK_INVALID, /90 days/));
      await assert.rejects(requestUnblock(f.deps, f.schoolId, 'nobody', ask), code(ErrorCodes.UNBLOCK_INVALID, /requester/));
      const { request: one } = await requestUnblock(f.deps, f.schoolId, f.teacher, ask);
      f.setNow(T0 + 1000); // a later request: lists are newest first
      const { request: two } = await requestUnblock(f.deps, f.schoolId, f.teacher, { ...ask, site: 'bets.example' });
      await assert.rejects(decline(f.deps, one.id, f.dsl, ' '), code(ErrorCodes.POLICY_CHANGE_INVALID, /comment is required/));
      await assert.rejects(decline(f.deps, one.id, f.teacher, 'No'), code(ErrorCodes.UNBLOCK_FORBIDDEN));
      const declined = await decline(f.deps, one.id, f.dsl, 'Use the maths site instead');
      assert.deepEqual([declined.request.state, declined.request.decisionComment, declined.version], ['declined', 'Use the maths site instead', null]);
      assert.match(sink.received.find((m) => /declined/.test(m.headers.get('subject') ?? ''))!.body, /Comment: Use the maths site instead/);
      await assert.rejects(cancel(f.deps, two.id, f.dsl), code(ErrorCodes.UNBLOCK_FORBIDDEN, /only the teacher who asked/));
      const cancelled = await cancel(f.deps, two.id, f.teacher);
      assert.equal(cancelled.state, 'cancelled');
      await assert.rejects(approve(f.deps, two.id, f.dsl), code(ErrorCodes.UNBLOCK_CONFLICT, /cancelled, not pending/));
      await assert.rejects(approve(f.deps, f.deps.ids.newId(), f.dsl), code(ErrorCodes.UNBLOCK_UNKNOWN));
      assert.deepEqual(f.published, [], 'nothing was published');
      assert.deepEqual((await listForRequester(f.deps, f.schoolId, f.teacher)).map((r) => r.state), ['cancelled', 'declined']);
      assert.deepEqual((await f.actions()).slice(-3), ['unblock.requested', 'unblock.declined', 'unblock.cancelled']);
    } finally {
      f.close();
    }
  });

  test('an unblock of a locked category is published but the site stays blocked', async () => {
    await using database = await dialect.open();
    const f = await fixture(database, null);
    try {
      const { request } = await requestUnblock(f.deps, f.schoolId, f.teacher, { ...ask, site: 'hate.example' });
      await approve(f.deps, request.id, f.dsl);
      const d = f.engine().decide({ ...pupil, target: 'hate.example', time: T0 + HOUR });
      assert.deepEqual([d.action, d.tier], ['block', 'locked']);
    } finally {
      f.close();
    }
  });

  test('a failed email never undoes the decision: it is reported, not thrown', async () => {
    await using database = await dialect.open();
    const f = await fixture(database, null); // the notifier points at a closed port
    try {
      const { request, notification } = await requestUnblock(f.deps, f.schoolId, f.teacher, ask);
      assert.deepEqual([notification.sent, notification.failed.map((x) => x.accountId)], [[], [f.dsl]]);
      const approved = await approve(f.deps, request.id, f.dsl);
      assert.equal(approved.notification.failed.length, 1);
      assert.equal(f.failures.length, 2);
      assert.equal((await f.deps.requests.find(request.id))?.state, 'approved', 'committed');
      assert.equal((await f.policies.currentVersion(f.schoolId))?.version, 2);
    } finally {
      f.close();
    }
  });

  test('a period that starts later is published when it starts, by the system, with the approver recorded', async () => {
    await using database = await dialect.open();
    const f = await fixture(database, null);
    try {
      const startsAt = new Date(T0 + 24 * HOUR).toISOString();
      const { request } = await requestUnblock(f.deps, f.schoolId, f.teacher, { ...ask, startsAt, endsAt: new Date(T0 + 26 * HOUR).toISOString() });
      const approved = await approve(f.deps, request.id, f.dsl, 'For tomorrow');
      assert.deepEqual([approved.request.state, approved.version], ['approved', null]);
      assert.deepEqual((await activateDue(f.deps)).activated, [], 'not before its start');
      f.setNow(T0 + 24 * HOUR);
      const started = await runDue(f.deps);
      assert.deepEqual([started.activated, started.versions], [[request.id], [2]]);
      assert.equal(f.engine().decide({ ...pupil, target: 'https://www.bets.example/odds/maths', time: T0 + 25 * HOUR }).action, 'allow');
      const [row] = await changeLog(f.policies, f.schoolId);
      assert.deepEqual([row!.kind, row!.author, row!.decidedBy, row!.decisionComment], ['unblock', f.teacher, f.dsl, 'For tomorrow']);
      assert.deepEqual((await f.actions()).slice(-3), ['unblock.approved', 'unblock.started', 'policy.published']);
      f.setNow(T0 + 26 * HOUR);
      assert.deepEqual((await runDue(f.deps)).expired, [request.id]);
    } finally {
      f.close();
    }
  });

  test('two approvers at once: exactly one approval wins, one version is published', async () => {
    await using database = await dialect.open();
    const f = await fixture(database, null);
    try {
      const second = f.deps.ids.newId();
      const { request } = await requestUnblock(f.deps, f.schoolId, f.teacher, ask);
      const results = await Promise.allSettled([approve(f.deps, request.id, f.dsl), approve(f.deps, request.id, second)]);
      assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
      assert.ok(code(ErrorCodes.UNBLOCK_CONFLICT)((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason));
      assert.deepEqual((await f.policies.listVersions(f.schoolId)).map((v) => v.version), [2, 1]);
      assert.equal((await f.actions()).filter((a) => a === 'unblock.approved').length, 1);
    } finally {
      f.close();
    }
  });
});
