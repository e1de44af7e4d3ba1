// Change control of the policy, end to end on every database: drafts, reasons, a second approver,
// versions with diffs, declines, rollbacks, and racing publishes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import type { Policy } from '../../../src/core/policy/schema.ts';
import { approve, decline, rollback, saveDraft, setRequiresApproval, submit } from '../../../src/services/policy-change/policy-changes.ts';
import { changeLog, history } from '../../../src/services/policy-change/policy-history.ts';
import { loadDefaultPack } from '../../../src/storage/files/pack-files.ts';
import { eachDialect } from '../../support/databases.ts';
import { policyChangeFixture, type PolicyChangeFixture } from './policy-change-fixture.ts';

const pack = loadDefaultPack();

function rejectsWith(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && pattern.test(e.message);
}

function withSafeSearch(required: boolean): Policy {
  return { ...structuredClone(pack), safeSearch: { ...pack.safeSearch, required } };
}

/** Publishes the default pack as version 1 (approved by the safeguarding lead). */
async function publishFirst(f: PolicyChangeFixture): Promise<void> {
  await saveDraft(f.deps, f.schoolId, f.itLead, pack);
  const { change } = await submit(f.deps, f.schoolId, f.itLead, 'Adopt the default pack');
  await approve(f.deps, change.id, { accountId: f.safeguardingLead, mayApprove: true });
}

await eachDialect('policy change control', (dialect) => {
  test('a draft needs a reason and a second, authorised person before it is published with a diff', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await publishFirst(f);
    await assert.rejects(saveDraft(f.deps, f.schoolId, f.itLead, { ...pack, rules: 'none' }), rejectsWith(ErrorCodes.POLICY_INVALID, /the draft policy is not a valid policy: rules: /));
    await saveDraft(f.deps, f.schoolId, f.itLead, withSafeSearch(!pack.safeSearch.required));
    await assert.rejects(submit(f.deps, f.schoolId, f.itLead, '   '), rejectsWith(ErrorCodes.POLICY_CHANGE_INVALID, /a reason is required/));
    await assert.rejects(submit(f.deps, f.schoolId, f.itLead, 'x'.repeat(1001)), rejectsWith(ErrorCodes.POLICY_CHANGE_INVALID, /1001 characters; at most 1000/));
    const { change, published } = await submit(f.deps, f.schoolId, f.itLead, '  Safe search review  ');
    assert.equal(published, null);
    assert.equal(change.state, 'pending');
    assert.equal(change.reason, 'Safe search review');
    assert.equal(await f.repository.findDraft(f.schoolId), null, 'the draft became the change');

    await assert.rejects(approve(f.deps, change.id, { accountId: f.itLead, mayApprove: true }), rejectsWith(ErrorCodes.POLICY_CHANGE_FORBIDDEN, /the author of change .* cannot approve it: a second person must/));
    await assert.rejects(approve(f.deps, change.id, { accountId: f.headteacher, mayApprove: false }), rejectsWith(ErrorCodes.POLICY_CHANGE_FORBIDDEN, /is not allowed to approve/));
    const version = await approve(f.deps, change.id, { accountId: f.safeguardingLead, mayApprove: true }, 'Agreed at the safeguarding meeting');
    assert.equal(version.version, 2);
    assert.equal(version.parentVersion, 1);
    assert.deepEqual(f.published.map((p) => p.version), [1, 2]);
    assert.equal(f.published[1]!.document.safeSearch.required, !pack.safeSearch.required);
    await assert.rejects(approve(f.deps, change.id, { accountId: f.headteacher, mayApprove: true }), rejectsWith(ErrorCodes.POLICY_CHANGE_CONFLICT, /is published, not pending/));

    const [latest] = await history(f.repository, f.schoolId);
    assert.equal(latest!.version.version, 2);
    assert.deepEqual(latest!.diff!.map((d) => d.area), ['safe-search']);
    const [row] = await changeLog(f.repository, f.schoolId);
    assert.deepEqual(
      { who: row!.author, what: row!.what.length, why: row!.reason, approved: row!.decidedBy, comment: row!.decisionComment, state: row!.state, version: row!.publishedVersion },
      { who: f.itLead, what: 1, why: 'Safe search review', approved: f.safeguardingLead, comment: 'Agreed at the safeguarding meeting', state: 'published', version: 2 },
    );
    assert.ok(row!.decidedAt! > row!.submittedAt);
    assert.deepEqual(await f.auditActions(), ['policy.submitted', 'policy.approved', 'policy.published', 'policy.submitted', 'policy.approved', 'policy.published']);
    const entries = await f.audit.repository.entriesAfter(0, 100);
    assert.deepEqual(JSON.parse(entries[5]!.detailsJson).changes, [latest!.diff![0]!.summary]);
    assert.equal(entries[4]!.actor, f.safeguardingLead);
    const verification = await f.audit.verify();
    assert.deepEqual([verification.problem, verification.verified], [null, 6]);
  });

  test('with approval turned off, a submitted draft is published at once', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    assert.equal(await f.repository.requiresApproval(f.schoolId), true, 'on by default');
    await setRequiresApproval(f.deps, f.schoolId, f.headteacher, false);
    await saveDraft(f.deps, f.schoolId, f.itLead, pack);
    const { change, published } = await submit(f.deps, f.schoolId, f.itLead, 'First policy');
    assert.equal(published?.version, 1);
    assert.equal(change.state, 'published');
    assert.equal(change.decidedBy, null);
    assert.deepEqual(await f.auditActions(), ['policy.approval-setting', 'policy.submitted', 'policy.published']);
    assert.deepEqual(f.published.map((p) => p.version), [1]);
  });

  test('a declined change is not published and says why', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await publishFirst(f);
    await saveDraft(f.deps, f.schoolId, f.itLead, withSafeSearch(!pack.safeSearch.required));
    const { change } = await submit(f.deps, f.schoolId, f.itLead, 'Try it');
    await assert.rejects(decline(f.deps, change.id, { accountId: f.safeguardingLead, mayApprove: true }, ''), rejectsWith(ErrorCodes.POLICY_CHANGE_INVALID, /a comment is required/));
    const declined = await decline(f.deps, change.id, { accountId: f.safeguardingLead, mayApprove: true }, 'Not during exams');
    assert.equal(declined.state, 'declined');
    assert.equal((await f.repository.currentVersion(f.schoolId))?.version, 1);
    await assert.rejects(approve(f.deps, change.id, { accountId: f.headteacher, mayApprove: true }), rejectsWith(ErrorCodes.POLICY_CHANGE_CONFLICT, /is declined, not pending/));
    assert.equal((await changeLog(f.repository, f.schoolId))[0]!.decisionComment, 'Not during exams');
    assert.equal((await f.auditActions()).at(-1), 'policy.declined');
  });

  test('rollback publishes the version before the current one as a new version, after approval', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await publishFirst(f);
    await assert.rejects(rollback(f.deps, f.schoolId, f.itLead, 'Undo'), rejectsWith(ErrorCodes.POLICY_CHANGE_UNKNOWN, /nothing before it/));
    await saveDraft(f.deps, f.schoolId, f.itLead, withSafeSearch(!pack.safeSearch.required));
    const { change } = await submit(f.deps, f.schoolId, f.itLead, 'Change');
    await approve(f.deps, change.id, { accountId: f.safeguardingLead, mayApprove: true });
    await assert.rejects(rollback(f.deps, f.schoolId, f.itLead, ''), rejectsWith(ErrorCodes.POLICY_CHANGE_INVALID, /a reason is required/));
    const back = await rollback(f.deps, f.schoolId, f.safeguardingLead, 'Pupils could not reach revision sites');
    assert.equal(back.change.kind, 'rollback');
    await assert.rejects(approve(f.deps, back.change.id, { accountId: f.safeguardingLead, mayApprove: true }), rejectsWith(ErrorCodes.POLICY_CHANGE_FORBIDDEN, /cannot approve/));
    const v3 = await approve(f.deps, back.change.id, { accountId: f.itLead, mayApprove: true });
    assert.equal(v3.version, 3);
    const versions = await history(f.repository, f.schoolId);
    assert.deepEqual(versions.map((v) => v.version.version), [3, 2, 1], 'newest first');
    assert.equal(versions[2]!.diff, null);
    assert.deepEqual(versions[0]!.version.document, versions[2]!.version.document);
    assert.deepEqual(versions[0]!.diff!.map((d) => d.area), ['safe-search']);
    assert.equal((await f.auditActions()).at(-1), 'policy.rolled-back');
  });

  test('of two changes made on the same version, only one is published; the other fails cleanly', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await publishFirst(f);
    await saveDraft(f.deps, f.schoolId, f.itLead, withSafeSearch(!pack.safeSearch.required));
    const first = await submit(f.deps, f.schoolId, f.itLead, 'First');
    await saveDraft(f.deps, f.schoolId, f.headteacher, { ...structuredClone(pack), default: { action: pack.default.action === 'allow' ? 'block' : 'allow' } });
    const second = await submit(f.deps, f.schoolId, f.headteacher, 'Second');
    const results = await Promise.allSettled([
      approve(f.deps, first.change.id, { accountId: f.safeguardingLead, mayApprove: true }),
      approve(f.deps, second.change.id, { accountId: f.safeguardingLead, mayApprove: true }),
    ]);
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r) => r.status === 'rejected');
    assert.equal(won.length, 1);
    assert.equal(lost.length, 1);
    assert.ok(rejectsWith(ErrorCodes.POLICY_CHANGE_CONFLICT, /start a new draft from the current policy/)((lost[0] as PromiseRejectedResult).reason));
    assert.deepEqual((await history(f.repository, f.schoolId)).map((v) => v.version.version), [2, 1]);
    const states = (await changeLog(f.repository, f.schoolId)).map((r) => r.state).sort();
    assert.deepEqual(states, ['pending', 'published', 'published']);
    assert.equal((await f.auditActions()).filter((a) => a === 'policy.published').length, 2, 'only the winner is recorded as published');
  });

  test('unknown schools and changes are named', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await assert.rejects(saveDraft(f.deps, '0190a6b2-7c4e-7d3a-9f00-000000000000', f.itLead, pack), rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN, /no school with id/));
    await assert.rejects(submit(f.deps, f.schoolId, f.itLead, 'Why'), rejectsWith(ErrorCodes.POLICY_CHANGE_UNKNOWN, /has no draft policy/));
    await assert.rejects(approve(f.deps, 'nope', { accountId: f.safeguardingLead, mayApprove: true }), rejectsWith(ErrorCodes.POLICY_CHANGE_INVALID, /change id "nope"/));
  });
});
