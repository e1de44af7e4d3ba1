// The policy repository's contract on every database: documents round-trip, publish is atomic and
// refuses stale or decided changes, the (school, version) key holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import type { PolicyChangeRequest } from '../../../src/core/policy/change/change-request.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { loadDefaultPack } from '../../../src/storage/files/pack-files.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { SqlPolicyRepository } from '../../../src/storage/sql/policy-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const pack = loadDefaultPack();
const ids = uuidV7Source();
const author = ids.newId();

async function setUp(database: TestDatabase) {
  const clock = { now: () => new Date('2025-09-01T08:00:00.000Z') };
  const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids, clock }, { name: 'School A' });
  return { repository: new SqlPolicyRepository(database), schoolId: school.id };
}

function change(schoolId: string, basedOnVersion: number | null, at: string): PolicyChangeRequest {
  return {
    id: ids.newId(), schoolId, kind: 'change', state: 'pending', document: pack, reason: 'Reason', author, basedOnVersion,
    submittedAt: at, decidedBy: null, decidedAt: null, decisionComment: null, publishedVersion: null,
  };
}

const conflict = (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.POLICY_CHANGE_CONFLICT;

await eachDialect('policy repository', (dialect) => {
  test('drafts and changes read back exactly as written; submitting removes the draft in the same step', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const draft = { schoolId, document: pack, basedOnVersion: null, author, updatedAt: '2025-09-01T08:00:01.000Z' };
    await repository.saveDraft(draft);
    assert.deepEqual(await repository.findDraft(schoolId), draft);
    await repository.saveDraft({ ...draft, updatedAt: '2025-09-01T08:00:02.000Z' });
    assert.equal((await repository.findDraft(schoolId))?.updatedAt, '2025-09-01T08:00:02.000Z');
    const c = change(schoolId, null, '2025-09-01T08:00:03.000Z');
    await repository.insertChange(c, true);
    assert.equal(await repository.findDraft(schoolId), null);
    assert.deepEqual(await repository.findChange(c.id), c);
    assert.equal(await repository.findChange('not-an-id'), null);
  });

  test('publish stores the next version and refuses stale or decided changes', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const a = change(schoolId, null, '2025-09-01T08:00:01.000Z');
    const b = change(schoolId, null, '2025-09-01T08:00:02.000Z');
    await repository.insertChange(a, false);
    await repository.insertChange(b, false);
    const v1 = await repository.publish(a.id, { decidedBy: null, decidedAt: '2025-09-01T09:00:00.000Z', comment: null });
    assert.deepEqual({ ...v1, document: null }, { schoolId, version: 1, parentVersion: null, changeId: a.id, publishedAt: '2025-09-01T09:00:00.000Z', document: null });
    assert.deepEqual(await repository.currentVersion(schoolId), v1);
    await assert.rejects(repository.publish(b.id, { decidedBy: null, decidedAt: '2025-09-01T09:00:01.000Z', comment: null }), conflict, 'based on no version, but 1 exists');
    await assert.rejects(repository.publish(a.id, { decidedBy: null, decidedAt: '2025-09-01T09:00:01.000Z', comment: null }), conflict, 'already published');
    await assert.rejects(repository.decline(a.id, { decidedBy: author, decidedAt: '2025-09-01T09:00:01.000Z', comment: 'No' }), conflict);
    assert.equal((await repository.findChange(b.id))?.state, 'pending', 'a refused publish changes nothing');
    assert.deepEqual((await repository.listChanges(schoolId)).map((c) => c.id), [b.id, a.id], 'newest first');
  });

  test('the (school, version) key refuses a second version 1', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const a = change(schoolId, null, '2025-09-01T08:00:01.000Z');
    await repository.insertChange(a, false);
    await repository.publish(a.id, { decidedBy: null, decidedAt: '2025-09-01T09:00:00.000Z', comment: null });
    const b = change(schoolId, null, '2025-09-01T08:00:02.000Z');
    await repository.insertChange(b, false);
    await assert.rejects(
      sql`insert into policy_versions (school_id, version, document, parent_version, change_id, published_at) values (${schoolId}, 1, '{}', null, ${b.id}, '2025-09-01T09:00:00.000Z')`.execute(database.db),
    );
  });

  test('approval is required unless turned off, per school', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    assert.equal(await repository.requiresApproval(schoolId), true);
    await repository.setRequiresApproval(schoolId, false, '2025-09-01T08:00:00.000Z');
    assert.equal(await repository.requiresApproval(schoolId), false);
    await repository.setRequiresApproval(schoolId, true, '2025-09-01T08:00:01.000Z');
    assert.equal(await repository.requiresApproval(schoolId), true);
    await assert.rejects(repository.setRequiresApproval(ids.newId(), false, '2025-09-01T08:00:00.000Z'), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ORGANISATION_UNKNOWN);
  });
});
