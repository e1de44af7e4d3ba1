// TOTP enrolment and codes, one-time sign-ins, the first administrator, and account scope, on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { eachDialect } from '../../support/databases.ts';
import { consoleAuthFixture, PASSWORD } from './console-auth-fixture.ts';

const code = (c: string) => (e: unknown) => e instanceof RingfenceError && e.code === c;
const client = '192.0.2.10';
const userAgent = 'Browser/1.0';

await eachDialect('console MFA and one-time sign-in', (dialect) => {
  test('a headteacher enrols an authenticator, then needs a code each time; a code works once', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const head = await f.service.createAccount({ username: 'head', role: 'headteacher', scope: [f.school.id], password: PASSWORD });
    const first = await f.service.signIn({ username: 'head', password: PASSWORD, client, userAgent });
    assert.equal(first.session.stage, 'mfa-enrolment');
    assert.equal((await f.service.resume(first.token, client))?.session.stage, 'mfa-enrolment', 'resumed, but not full: the API must allow only enrolment');
    await assert.rejects(f.service.completeMfa(first.token, '123456'), code(ErrorCodes.SESSION_STEP_INVALID));
    await assert.rejects(f.service.confirmMfaEnrolment(first.token, '123456'), code(ErrorCodes.SESSION_STEP_INVALID), 'no secret shown yet');
    const { secret, otpauthUri } = await f.service.startMfaEnrolment(first.token);
    assert.match(secret, /^[A-Z2-7]{32}$/);
    const uri = new URL(otpauthUri);
    assert.equal(uri.protocol, 'otpauth:');
    assert.equal(decodeURIComponent(uri.pathname), '/Ringfence:head');
    assert.equal(uri.searchParams.get('issuer'), 'Ringfence');
    assert.equal(uri.searchParams.get('secret'), secret);
    const stored = await f.repository.findSession(first.session.id);
    assert.ok(stored?.pendingTotpSecretSealed && !stored.pendingTotpSecretSealed.includes(secret), 'kept sealed');

    await assert.rejects(f.service.confirmMfaEnrolment(first.token, await f.code(secret, 3)), code(ErrorCodes.MFA_CODE_INVALID), 'three steps ahead is outside the window');
    const enrolCode = await f.code(secret);
    const enrolled = await f.service.confirmMfaEnrolment(first.token, enrolCode);
    assert.equal(enrolled.session.stage, 'full');
    assert.equal(enrolled.account.mfaEnrolled, true);
    assert.equal((await f.service.resume(first.token, client))?.session.stage, 'full');
    const account = await f.repository.findAccount(head.id);
    assert.ok(account?.totpSecretSealed && !account.totpSecretSealed.includes(secret));
    await assert.rejects(f.service.startMfaEnrolment(first.token), code(ErrorCodes.SESSION_STEP_INVALID), 'enrolled already');

    // Next sign-in: the password alone leaves the session waiting for a code.
    const second = await f.service.signIn({ username: 'head', password: PASSWORD, client, userAgent });
    assert.equal(second.session.stage, 'mfa-code');
    await assert.rejects(f.service.completeMfa(second.token, enrolCode), code(ErrorCodes.MFA_CODE_INVALID), 'the enrolment code again, within its window');
    await assert.rejects(f.service.completeMfa(second.token, '000000'), code(ErrorCodes.MFA_CODE_INVALID));
    f.clock.advance(30);
    const next = await f.code(secret);
    assert.equal((await f.service.completeMfa(second.token, next)).session.stage, 'full');
    assert.equal((await f.service.resume(second.token, client))?.session.stage, 'full');

    // A code with the password completes at once; the same code cannot start a second session.
    f.clock.advance(30);
    const withCode = await f.code(secret);
    assert.equal((await f.service.signIn({ username: 'head', password: PASSWORD, code: withCode, client, userAgent })).session.stage, 'full');
    await assert.rejects(f.service.signIn({ username: 'head', password: PASSWORD, code: withCode, client, userAgent }), code(ErrorCodes.MFA_CODE_INVALID));
    // The previous step's code is still accepted (±1 step) when it has not been used.
    f.clock.advance(60);
    const previous = await f.code(secret, -1);
    assert.equal((await f.service.signIn({ username: 'head', password: PASSWORD, code: previous, client: '198.51.100.3', userAgent })).session.stage, 'full');
    const actions = await f.auditActions();
    assert.ok(actions.includes('console.account.mfa-enrol'));
    assert.equal(actions.filter((a) => a === 'console.sign-in').length, 4, 'each completed sign-in, not the half-done ones');
  });

  test('wrong codes count towards the lock-out', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'dsl', role: 'dsl', scope: [f.school.id], password: PASSWORD });
    const s = await f.service.signIn({ username: 'dsl', password: PASSWORD, client, userAgent });
    const { secret } = await f.service.startMfaEnrolment(s.token);
    for (let i = 0; i < 5; i++) await assert.rejects(f.service.confirmMfaEnrolment(s.token, '000000'), code(ErrorCodes.MFA_CODE_INVALID));
    await assert.rejects(f.service.confirmMfaEnrolment(s.token, await f.code(secret)), code(ErrorCodes.SIGN_IN_THROTTLED));
  });

  test('a pending-MFA session lasts 15 minutes at most', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'nm', role: 'network-manager', scope: [f.school.id], password: PASSWORD });
    const s = await f.service.signIn({ username: 'nm', password: PASSWORD, client, userAgent });
    f.clock.advance(14 * 60);
    assert.ok(await f.service.resume(s.token, client));
    f.clock.advance(60);
    assert.equal(await f.service.resume(s.token, client), null);
  });

  test('the first administrator: created once, signs in once with the one-time token, then enrols MFA', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const token = await f.service.ensureFirstAdministrator(f.school.id);
    assert.ok(token);
    assert.equal(await f.service.ensureFirstAdministrator(f.school.id), null);
    assert.equal(await f.repository.countAccounts(), 1);
    const [admin] = await f.service.listAccounts([f.school.id]);
    assert.deepEqual({ ...admin, id: '' }, { id: '', username: 'admin', displayName: 'First administrator', email: null, role: 'network-manager', scope: [f.school.id], mfaEnrolled: false, disabled: false });
    await assert.rejects(f.service.signIn({ username: 'admin', password: PASSWORD, client, userAgent }), code(ErrorCodes.SIGN_IN_FAILED), 'no password yet');

    await assert.rejects(f.service.redeemOneTimeSignIn(token, 'short', client), code(ErrorCodes.PASSWORD_INVALID));
    const redeemed = await f.service.redeemOneTimeSignIn(token, PASSWORD, client, userAgent);
    assert.equal(redeemed.session.stage, 'mfa-enrolment', 'a bad password did not use the token up');
    assert.equal(redeemed.account.username, 'admin');
    await assert.rejects(f.service.redeemOneTimeSignIn(token, PASSWORD, client), code(ErrorCodes.ONE_TIME_SIGN_IN_INVALID), 'works once');
    assert.equal((await f.service.signIn({ username: 'admin', password: PASSWORD, client, userAgent })).session.stage, 'mfa-enrolment');
  });

  test('one-time tokens expire, and a newer one replaces the older', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const teacher = await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id] });
    const old = await f.service.issueOneTimeSignIn(teacher.id, 60 * 60 * 1000);
    const current = await f.service.issueOneTimeSignIn(teacher.id, 60 * 60 * 1000);
    await assert.rejects(f.service.redeemOneTimeSignIn(old, PASSWORD, client), code(ErrorCodes.ONE_TIME_SIGN_IN_INVALID));
    f.clock.advance(60 * 60);
    await assert.rejects(f.service.redeemOneTimeSignIn(current, PASSWORD, client), code(ErrorCodes.ONE_TIME_SIGN_IN_INVALID));
    const fresh = await f.service.issueOneTimeSignIn(teacher.id);
    assert.equal((await f.service.redeemOneTimeSignIn(fresh, PASSWORD, client)).session.stage, 'full', 'a teacher needs no MFA');
    await assert.rejects(f.service.issueOneTimeSignIn('0190a6b2-7c4e-7d3a-9f00-000000000000'), code(ErrorCodes.ACCOUNT_UNKNOWN));
  });

  test('accounts are listed to those who can see one of their schools; scopes must name real organisations', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const mk = (username: string, role: string, scope: string[]) => f.service.createAccount({ username, role, scope, password: PASSWORD });
    await mk('trust.admin', 'trust-admin', [f.trust.id]);
    await mk('head.a', 'headteacher', [f.school.id]);
    await mk('head.b', 'headteacher', [f.otherSchool.id]);
    await mk('governor.ab', 'governor', [f.school.id, f.otherSchool.id]);
    const names = async (scope: string[]) => (await f.service.listAccounts(scope)).map((a) => a.username);
    assert.deepEqual(await names([f.school.id]), ['governor.ab', 'head.a', 'trust.admin']);
    assert.deepEqual(await names([f.otherSchool.id]), ['governor.ab', 'head.b']);
    assert.deepEqual(await names([f.trust.id]), ['governor.ab', 'head.a', 'trust.admin']);
    await assert.rejects(mk('x', 'teacher', []), code(ErrorCodes.ARGUMENT_INVALID));
    await assert.rejects(mk('x', 'teacher', ['0190a6b2-7c4e-7d3a-9f00-000000000000']), code(ErrorCodes.ORGANISATION_UNKNOWN));
    await assert.rejects(mk('x', 'admin', [f.school.id]), code(ErrorCodes.ARGUMENT_INVALID));
    await assert.rejects(mk('head.a', 'teacher', [f.school.id]), code(ErrorCodes.ACCOUNT_EXISTS));
    await assert.rejects(f.service.createAccount({ username: 'y', role: 'teacher', scope: [f.school.id], password: 'too short' }), code(ErrorCodes.PASSWORD_INVALID));
  });
});
