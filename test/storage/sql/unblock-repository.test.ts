// The unblock repository's contract on every database: requests round-trip, lists are filtered and
// newest first, a decision and its policy version commit together or not at all, and of two racing
// decisions exactly one wins.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Migrator, sql } from 'kysely';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import type { PolicyChangeRequest } from '../../../src/core/policy/change/change-request.ts';
import type { Policy } from '../../../src/core/policy/schema.ts';
import { withUnblockRule } from '../../../src/core/unblock/unblock-rule.ts';
import type { UnblockRequest } from '../../../src/core/unblock/unblock-request.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import type { PolicyPublication } from '../../../src/services/ports.ts';
import { loadDefaultPack } from '../../../src/storage/files/pack-files.ts';
import { migrations } from '../../../src/storage/sql/migrations/index.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { SqlPolicyRepository } from '../../../src/storage/sql/policy-repository.ts';
import { SqlUnblockRepository } from '../../../src/storage/sql/unblock-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const pack = loadDefaultPack();
const ids = uuidV7Source();
const teacher = ids.newId();
const otherTeacher = ids.newId();
const approver = ids.newId();
const T0 = Date.parse('2026-03-02T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function setUp(database: TestDatabase) {
  const clock = { now: () => new Date(T0) };
  const organisations = new SqlOrganisationRepository(database);
  const school = await createSchool({ repository: organisations, ids, clock }, { name: 'School A' });
  const other = await createSchool({ repository: organisations, ids, clock }, { name: 'School B' });
  const policies = new SqlPolicyRepository(database);
  const first = change(school.id, 'change', pack, null);
  await policies.insertChange(first, false);
  await policies.publish(first.id, { decidedBy: null, decidedAt: at(0), comment: null });
  return { repository: new SqlUnblockRepository(database), policies, schoolId: school.id, otherSchoolId: other.id };
}

function change(schoolId: string, kind: PolicyChangeRequest['kind'], document: Policy, basedOnVersion: number | null): PolicyChangeRequest {
  return {
    id: ids.newId(), schoolId, kind, state: 'pending', document, reason: 'Reason', author: teacher, basedOnVersion,
    submittedAt: at(0), decidedBy: null, decidedAt: null, decisionComment: null, publishedVersion: null,
  };
}

function request(schoolId: string, extra: Partial<UnblockRequest> = {}): UnblockRequest {
  return {
    id: ids.newId(), schoolId, requester: teacher, site: { kind: 'url', value: 'example.org/history' }, group: 'pupils-ks2',
    startsAt: at(0), endsAt: at(60), reason: 'Year 5 research on the Romans', state: 'pending', requestedAt: at(0),
    decidedBy: null, decidedAt: null, decisionComment: null, publishedVersion: null, expiredAt: null, ...extra,
  };
}

function publication(r: UnblockRequest, basedOnVersion: number): PolicyPublication {
  return { change: { ...change(r.schoolId, 'unblock', withUnblockRule(pack, r), basedOnVersion), author: r.requester }, decision: { decidedBy: approver, decidedAt: at(1), comment: 'Fine' } };
}

const approved = { state: 'approved', decidedBy: approver, decidedAt: at(1), comment: 'Fine' } as const;
const rejectsWith = (code: string) => (e: unknown) => e instanceof RingfenceError && e.code === code;

await eachDialect('unblock repository', (dialect) => {
  test('requests read back exactly as written; unknown ids and schools are named', async () => {
    await using database = await dialect.open();
    const { repository, schoolId } = await setUp(database);
    const r = request(schoolId);
    await repository.insert(r);
    assert.deepEqual(await repository.find(r.id), r);
    assert.equal(await repository.find(ids.newId()), null);
    assert.equal(await repository.find('nope'), null);
    await assert.rejects(repository.insert(request(ids.newId())), rejectsWith(ErrorCodes.ORGANISATION_UNKNOWN));
    await assert.rejects(repository.insert(r), 'the same id twice');
  });

  test('lists by school, state and requester, newest first', async () => {
    await using database = await dialect.open();
    const { repository, schoolId, otherSchoolId } = await setUp(database);
    const a = request(schoolId, { requestedAt: at(1) });
    const b = request(schoolId, { requestedAt: at(3), requester: otherTeacher });
    const c = request(schoolId, { requestedAt: at(2) });
    const elsewhere = request(otherSchoolId, { requestedAt: at(4) });
    for (const r of [a, b, c, elsewhere]) await repository.insert(r);
    await repository.decide(c.id, { state: 'cancelled', decidedBy: teacher, decidedAt: at(5), comment: null });
    const idsOf = (rs: UnblockRequest[]) => rs.map((r) => r.id);
    assert.deepEqual(idsOf(await repository.list(schoolId)), [b.id, c.id, a.id]);
    assert.deepEqual(idsOf(await repository.list(schoolId, { states: ['pending'] })), [b.id, a.id]);
    assert.deepEqual(idsOf(await repository.list(schoolId, { requester: teacher })), [c.id, a.id]);
    assert.deepEqual(idsOf(await repository.list(schoolId, { requester: teacher, states: ['cancelled', 'approved'] })), [c.id]);
    assert.deepEqual(await repository.list(schoolId, { states: [] }), []);
    assert.deepEqual(idsOf(await repository.list(otherSchoolId)), [elsewhere.id]);
  });

  test('an approval and its policy version commit together; a stale publication leaves the request pending', async () => {
    await using database = await dialect.open();
    const { repository, policies, schoolId } = await setUp(database);
    const r = request(schoolId);
    await repository.insert(r);
    await assert.rejects(repository.decide(r.id, approved, publication(r, 7)), rejectsWith(ErrorCodes.POLICY_CHANGE_CONFLICT));
    assert.equal((await repository.find(r.id))?.state, 'pending', 'rolled back with the refused publish');
    assert.equal((await policies.listChanges(schoolId)).length, 1, 'and the change was not kept');
    const p = publication(r, 1);
    const { request: decided, version } = await repository.decide(r.id, approved, p);
    assert.deepEqual({ ...decided }, { ...r, state: 'approved', decidedBy: approver, decidedAt: at(1), decisionComment: 'Fine', publishedVersion: 2 });
    assert.equal(version?.version, 2);
    assert.equal((await policies.currentVersion(schoolId))?.document.rules[0]?.id, withUnblockRule(pack, r).rules[0]!.id);
    const stored = await policies.findChange(p.change.id);
    assert.deepEqual([stored?.kind, stored?.state, stored?.author, stored?.decidedBy, stored?.publishedVersion], ['unblock', 'published', teacher, approver, 2]);
    await assert.rejects(repository.decide(r.id, { ...approved, state: 'declined' }), rejectsWith(ErrorCodes.UNBLOCK_CONFLICT));
  });

  test('of two racing approvals of one request, exactly one wins', async () => {
    await using database = await dialect.open();
    const { repository, policies, schoolId } = await setUp(database);
    const r = request(schoolId);
    await repository.insert(r);
    const results = await Promise.allSettled([repository.decide(r.id, approved, publication(r, 1)), repository.decide(r.id, approved, publication(r, 1))]);
    assert.deepEqual(results.map((x) => x.status).sort(), ['fulfilled', 'rejected']);
    const lost = results.find((x) => x.status === 'rejected') as PromiseRejectedResult;
    assert.ok(lost.reason instanceof RingfenceError && [ErrorCodes.UNBLOCK_CONFLICT, ErrorCodes.POLICY_CHANGE_CONFLICT].includes(lost.reason.code as never), String(lost.reason));
    assert.deepEqual((await policies.listVersions(schoolId)).map((v) => v.version), [2, 1]);
    assert.equal((await policies.listChanges(schoolId)).length, 2, 'the loser left no change behind');
  });

  test('due work: ended requests expire (with their version, once); approved ones waiting to start are listed', async () => {
    await using database = await dialect.open();
    const { repository, policies, schoolId } = await setUp(database);
    const running = request(schoolId);
    const lapsed = request(schoolId, { endsAt: at(30) });
    const later = request(schoolId, { startsAt: at(120), endsAt: at(180) });
    for (const r of [running, lapsed, later]) await repository.insert(r);
    await repository.decide(running.id, approved, publication(running, 1));
    await repository.decide(later.id, approved);
    assert.deepEqual((await repository.listDue(at(59))).map((r) => r.id), [lapsed.id]);
    assert.deepEqual((await repository.listDue(at(60))).map((r) => r.id).sort(), [running.id, lapsed.id].sort());
    assert.deepEqual((await repository.listDue(at(120))).map((r) => r.id).sort(), [running.id, lapsed.id, later.id].sort());

    const removal = { change: { ...change(schoolId, 'unblock-expiry', pack, 2), author: 'system' }, decision: { decidedBy: null, decidedAt: at(60), comment: null } };
    const result = await repository.expire([running.id, lapsed.id], at(60), removal);
    assert.deepEqual(result.expired, [running.id, lapsed.id].sort());
    assert.equal(result.version?.version, 3);
    assert.deepEqual([(await repository.find(running.id))?.state, (await repository.find(running.id))?.expiredAt], ['expired', at(60)]);
    assert.deepEqual((await repository.expire([running.id], at(61))).expired, [], 'expired once');

    const started = await repository.publishRule(later.id, publication(later, 3));
    assert.deepEqual([started.request.publishedVersion, started.version?.version], [4, 4]);
    await assert.rejects(repository.publishRule(later.id, publication(later, 4)), rejectsWith(ErrorCodes.UNBLOCK_CONFLICT));
    assert.equal((await policies.currentVersion(schoolId))?.version, 4, 'the refused publish was rolled back');
  });

  test('after the migration, policy versions still refer to their changes', async () => {
    await using database = await dialect.open();
    const { schoolId } = await setUp(database);
    await assert.rejects(sql`insert into policy_versions (school_id, version, document, parent_version, change_id, published_at) values (${schoolId}, 9, '{}', null, ${ids.newId()}, ${at(0)})`.execute(database.db));
    await assert.rejects(sql`insert into policy_changes (id, school_id, kind, state, document, reason, author, submitted_at) values (${ids.newId()}, ${schoolId}, 'other', 'pending', '{}', 'r', 'a', ${at(0)})`.execute(database.db));
  });

  test('migration 0005 keeps existing changes, and can be undone and redone', async () => {
    await using database = await dialect.open({ migrate: false });
    const schema = database.kind === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(database.db)).rows[0]!.s : undefined;
    const migrator = new Migrator({
      db: database.db, provider: { getMigrations: async () => migrations(database.kind) },
      migrationTableName: 'schema_migrations', migrationLockTableName: 'schema_migrations_lock', ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const step = async (run: Promise<{ error?: unknown }>) => assert.equal((await run).error, undefined);
    await step(migrator.migrateTo('0004_directory'));
    await setUp(database); // a school with version 1 published, before 0005
    await step(migrator.migrateTo('0005_unblock_requests'));
    const kinds = async () => (await sql<{ kind: string }>`select kind from policy_changes`.execute(database.db)).rows.map((r) => r.kind);
    assert.deepEqual(await kinds(), ['change'], 'the published change survived the rebuild');
    assert.equal((await sql<{ n: number }>`select count(*) as n from policy_versions`.execute(database.db)).rows.map((r) => Number(r.n))[0], 1, 'and its version');
    await step(migrator.migrateDown());
    await assert.rejects(sql`select 1 from unblock_requests`.execute(database.db));
    assert.deepEqual(await kinds(), ['change']);
    await step(migrator.migrateTo('0005_unblock_requests'));
    await sql`select 1 from unblock_requests`.execute(database.db);
  });
});
