// The console account repository's contract, on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { StoredConsoleAccount, StoredConsoleSession } from '../../../src/core/access/console-account.ts';
import { ErrorCodes } from '../../../src/core/errors.ts';
import { createResponsibleBody, createSchool } from '../../../src/services/org/organisations.ts';
import { SqlConsoleAccountRepository } from '../../../src/storage/sql/console-account-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const T0 = '2025-09-01T08:00:00.000Z';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const ids = uuidV7Source();

async function setUp(database: TestDatabase) {
  const deps = { repository: new SqlOrganisationRepository(database), ids, clock: { now: () => new Date(T0) } };
  const trust = await createResponsibleBody(deps, { kind: 'trust', name: 'Trust A' });
  const schoolA = await createSchool(deps, { name: 'School A', responsibleBodyId: trust.id });
  const schoolB = await createSchool(deps, { name: 'School B' });
  return { repo: new SqlConsoleAccountRepository(database), trust, schoolA, schoolB };
}

function account(username: string, scope: string[], fields: Partial<StoredConsoleAccount> = {}): StoredConsoleAccount {
  return {
    id: ids.newId(), username, displayName: `Display ${username}`, email: null, role: 'teacher', scope: [...scope].sort(),
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g', totpSecretSealed: null, totpLastStep: null,
    mfaEnrolledAt: null, disabledAt: null, createdAt: T0, updatedAt: T0, ...fields,
  };
}

function session(accountId: string, id: string, fields: Partial<StoredConsoleSession> = {}): StoredConsoleSession {
  return { id, accountId, csrfToken: `csrf-${id}`, stage: 'full', pendingTotpSecretSealed: null, createdAt: T0, lastSeenAt: T0, clientAddress: '192.0.2.10', userAgent: 'Browser/1.0', ...fields };
}

await eachDialect('console account repository', (dialect) => {
  test('accounts read back exactly as written, by id and by username; usernames are unique', async () => {
    await using database = await dialect.open();
    const { repo, schoolA, trust } = await setUp(database);
    const full = account('head.teacher', [trust.id, schoolA.id], {
      email: 'head@school.example', role: 'headteacher', totpSecretSealed: 'v1.abc.def', totpLastStep: 58_000_000, mfaEnrolledAt: at(1), disabledAt: at(2), updatedAt: at(3),
    });
    await repo.insertAccount(full);
    const bare = account('teacher.one', [schoolA.id], { passwordHash: null });
    await repo.insertAccount(bare);
    assert.deepEqual(await repo.findAccount(full.id), full);
    assert.deepEqual(await repo.findAccountByUsername('teacher.one'), bare);
    assert.equal(await repo.findAccount('not-an-id'), null);
    assert.equal(await repo.findAccountByUsername('nobody'), null);
    assert.equal(await repo.countAccounts(), 2);
    await assert.rejects(repo.insertAccount(account('teacher.one', [schoolA.id])), { code: ErrorCodes.ACCOUNT_EXISTS });
    assert.equal(await repo.countAccounts(), 2, 'the failed insert left no scope rows or account');
  });

  test('listing by scope: accounts holding any of the ids, sorted by username', async () => {
    await using database = await dialect.open();
    const { repo, schoolA, schoolB, trust } = await setUp(database);
    for (const a of [account('zed', [schoolB.id]), account('amy', [schoolA.id]), account('bob', [trust.id]), account('cat', [schoolA.id, schoolB.id])]) await repo.insertAccount(a);
    const names = (list: StoredConsoleAccount[]) => list.map((a) => a.username);
    assert.deepEqual(names(await repo.listAccounts()), ['amy', 'bob', 'cat', 'zed']);
    assert.deepEqual(names(await repo.listAccounts({ scopeAnyOf: [schoolA.id] })), ['amy', 'cat']);
    assert.deepEqual(names(await repo.listAccounts({ scopeAnyOf: [schoolA.id, trust.id] })), ['amy', 'bob', 'cat']);
    assert.deepEqual(names(await repo.listAccounts({ scopeAnyOf: [] })), []);
    assert.deepEqual(names(await repo.listAccounts({ scopeAnyOf: ['junk'] })), []);
  });

  test('updates change only what is given; a TOTP step is claimed once and only forwards', async () => {
    await using database = await dialect.open();
    const { repo, schoolA } = await setUp(database);
    const a = account('amy', [schoolA.id]);
    await repo.insertAccount(a);
    const updated = await repo.updateAccount(a.id, { passwordHash: null, disabledAt: at(5), updatedAt: at(5) });
    assert.deepEqual(updated, { ...a, passwordHash: null, disabledAt: at(5), updatedAt: at(5) });
    assert.equal(await repo.updateAccount(ids.newId(), { updatedAt: at(6) }), null);
    assert.equal(await repo.claimTotpStep(a.id, 100), true);
    assert.equal(await repo.claimTotpStep(a.id, 100), false, 'the same step again');
    assert.equal(await repo.claimTotpStep(a.id, 99), false, 'an earlier step');
    assert.equal(await repo.claimTotpStep(a.id, 101), true);
    assert.equal((await repo.findAccount(a.id))?.totpLastStep, 101);
  });

  test('sessions: stored, touched, advanced only from the stage named, ended one by one, per account, and when stale', async () => {
    await using database = await dialect.open();
    const { repo, schoolA } = await setUp(database);
    const a = account('amy', [schoolA.id]);
    const b = account('bob', [schoolA.id]);
    await repo.insertAccount(a);
    await repo.insertAccount(b);
    const s1 = session(a.id, 'a'.repeat(64), { stage: 'mfa-enrolment', pendingTotpSecretSealed: 'v1.x.y' });
    await repo.insertSession(s1);
    assert.deepEqual(await repo.findSession(s1.id), s1);
    await repo.touchSession(s1.id, at(2), '198.51.100.7');
    assert.deepEqual(await repo.findSession(s1.id), { ...s1, lastSeenAt: at(2), clientAddress: '198.51.100.7' });
    assert.equal(await repo.advanceSession(s1.id, 'mfa-code', 'full'), false);
    assert.equal(await repo.advanceSession(s1.id, 'mfa-enrolment', 'full'), true);
    assert.deepEqual(await repo.findSession(s1.id), { ...s1, stage: 'full', pendingTotpSecretSealed: null, lastSeenAt: at(2), clientAddress: '198.51.100.7' });
    await repo.setPendingTotpSecret(s1.id, 'v1.p.q');
    assert.equal((await repo.findSession(s1.id))?.pendingTotpSecretSealed, 'v1.p.q');

    await repo.insertSession(session(a.id, 'b'.repeat(64)));
    await repo.insertSession(session(b.id, 'c'.repeat(64)));
    assert.equal(await repo.deleteSessionsOf(a.id), 2);
    assert.equal(await repo.findSession(s1.id), null);
    assert.equal(await repo.deleteSession('c'.repeat(64)), true);
    assert.equal(await repo.deleteSession('c'.repeat(64)), false);

    await repo.insertSession(session(b.id, 'd'.repeat(64), { createdAt: at(0), lastSeenAt: at(10) }));
    await repo.insertSession(session(b.id, 'e'.repeat(64), { createdAt: at(5), lastSeenAt: at(40) }));
    await repo.insertSession(session(b.id, 'f'.repeat(64), { createdAt: at(1), lastSeenAt: at(40) }));
    assert.equal(await repo.deleteStaleSessions(at(20), at(2)), 2, 'idle since 10, and created at 0 and 1 (one is both)');
    assert.ok(await repo.findSession('e'.repeat(64)));
  });

  test('one-time sign-ins: a new one replaces unused ones; each is marked used once', async () => {
    await using database = await dialect.open();
    const { repo, schoolA } = await setUp(database);
    const a = account('admin', [schoolA.id], { passwordHash: null });
    await repo.insertAccount(a);
    const first = { id: '1'.repeat(64), accountId: a.id, createdAt: T0, expiresAt: at(60), usedAt: null };
    await repo.insertOneTimeSignIn(first);
    assert.deepEqual(await repo.findOneTimeSignIn(first.id), first);
    assert.equal(await repo.markOneTimeSignInUsed(first.id, at(1)), true);
    assert.equal(await repo.markOneTimeSignInUsed(first.id, at(2)), false);
    assert.equal((await repo.findOneTimeSignIn(first.id))?.usedAt, at(1));
    const second = { ...first, id: '2'.repeat(64) };
    const third = { ...first, id: '3'.repeat(64), createdAt: at(3) };
    await repo.insertOneTimeSignIn(second);
    await repo.insertOneTimeSignIn(third);
    assert.equal(await repo.findOneTimeSignIn(second.id), null, 'replaced by the newer one');
    assert.ok(await repo.findOneTimeSignIn(first.id), 'a used one is kept (for the record)');
    assert.deepEqual(await repo.findOneTimeSignIn(third.id), third);
  });
});
