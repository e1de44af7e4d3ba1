// Console sign-in, limits and sessions on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from '../../../src/services/console-auth/console-auth-service.ts';
import { SIGN_IN_ADDRESS_LIMIT } from '../../../src/services/console-auth/sign-in-throttle.ts';
import { eachDialect } from '../../support/databases.ts';
import { consoleAuthFixture, PASSWORD } from './console-auth-fixture.ts';

const code = (c: string) => (e: unknown) => e instanceof RingfenceError && e.code === c;
const client = '192.0.2.10';
const userAgent = 'Browser/1.0';

await eachDialect('console sign-in', (dialect) => {
  test('a teacher signs in with a password and the session resumes from its token', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const teacher = await f.service.createAccount({ username: ' Teacher.One ', displayName: 'Teacher One', email: 'teacher@school.example', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    assert.deepEqual(teacher, { id: teacher.id, username: 'teacher.one', displayName: 'Teacher One', email: 'teacher@school.example', role: 'teacher', scope: [f.school.id], mfaEnrolled: false, disabled: false });
    const signedIn = await f.service.signIn({ username: 'TEACHER.one', password: PASSWORD, client, userAgent });
    assert.equal(signedIn.session.stage, 'full');
    assert.deepEqual(signedIn.account, teacher);
    assert.match(signedIn.token, /^[A-Za-z0-9_-]{43}$/);
    assert.match(signedIn.session.id, /^[0-9a-f]{64}$/);
    assert.notEqual(signedIn.session.id, signedIn.token, 'only the hash is stored');
    assert.equal(signedIn.session.expiresAt, new Date(f.clock.now().getTime() + SESSION_IDLE_MS).toISOString());
    const resumed = await f.service.resume(signedIn.token, client);
    assert.deepEqual(resumed, { account: teacher, session: signedIn.session });
    assert.equal(await f.service.resume('x'.repeat(43), client), null);
    assert.equal(await f.service.resume('not a token', client), null);
    assert.equal(await f.service.signOut(signedIn.token), true);
    assert.equal(await f.service.resume(signedIn.token, client), null);
    assert.deepEqual(await f.auditActions(), ['console.account.create', 'console.sign-in', 'console.sign-out']);
  });

  test('an unknown user and a wrong password get the same answer, for one argon2 run each', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    const errors: RingfenceError[] = [];
    for (const [username, password] of [['teacher.one', 'wrong password!'], ['nobody', PASSWORD], ['no such!user', PASSWORD]] as const) {
      const before = f.hasher.verifies;
      await assert.rejects(f.service.signIn({ username, password, client: `198.51.100.${errors.length}`, userAgent }), (e: unknown) => {
        errors.push(e as RingfenceError);
        return true;
      });
      assert.equal(f.hasher.verifies - before, 1, `${username}: one verify`);
    }
    assert.deepEqual(errors.map((e) => [e.code, e.message]), Array(3).fill([ErrorCodes.SIGN_IN_FAILED, 'wrong username or password']));
    // An account without a password yet (first administrator) cannot sign in with any password either.
    await f.service.createAccount({ username: 'no.password', role: 'teacher', scope: [f.school.id] });
    await assert.rejects(f.service.signIn({ username: 'no.password', password: PASSWORD, client, userAgent }), code(ErrorCodes.SIGN_IN_FAILED));
  });

  test('20 failures in 15 minutes lock the address out, and the lock ends after the window', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    for (let i = 0; i < SIGN_IN_ADDRESS_LIMIT; i++) {
      await assert.rejects(f.service.signIn({ username: `guess${i}`, password: 'wrong password!', client, userAgent }), code(ErrorCodes.SIGN_IN_FAILED));
      f.clock.advance(30);
    }
    const verifies = f.hasher.verifies;
    await assert.rejects(f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent }), (e: unknown) => {
      assert.ok(e instanceof RingfenceError && e.code === ErrorCodes.SIGN_IN_THROTTLED, String(e));
      assert.equal(e.details?.retryAfterSeconds, 15 * 60 - SIGN_IN_ADDRESS_LIMIT * 30);
      return true;
    });
    assert.equal(f.hasher.verifies, verifies, 'no argon2 run while locked out');
    assert.ok(await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client: '198.51.100.1', userAgent }), 'another address is not locked');
    f.clock.advance(10 * 60);
    assert.equal((await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent })).session.stage, 'full');
    const lockOuts = (await f.auditEntries()).filter((e) => e.action === 'console.sign-in.lock-out');
    assert.deepEqual(lockOuts.map((e) => e.target), [`address:${client}`], 'the lock-out is audited once; failures are not');
  });

  test('failures for one username from many addresses lock that username out', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    for (let i = 0; i < 5; i++) await assert.rejects(f.service.signIn({ username: 'Teacher.One', password: 'wrong password!', client: `203.0.113.${i}`, userAgent }), code(ErrorCodes.SIGN_IN_FAILED));
    await assert.rejects(f.service.signIn({ username: 'teacher.one', password: PASSWORD, client: '203.0.113.99', userAgent }), code(ErrorCodes.SIGN_IN_THROTTLED));
    assert.ok((await f.auditEntries()).some((e) => e.action === 'console.sign-in.lock-out' && e.target === 'username:teacher.one'));
    f.clock.advance(15 * 60);
    assert.ok(await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client: '203.0.113.99', userAgent }));
  });

  test('a session ends 30 minutes after it was last used, and 12 hours after sign-in however busy', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    const idle = await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent });
    const busy = await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent });
    f.clock.advance(30);
    const early = await f.service.resume(busy.token, '198.51.100.9');
    assert.equal(early?.session.lastSeenAt, busy.session.lastSeenAt, 'not written again within a minute');
    f.clock.advance(30);
    const touched = await f.service.resume(busy.token, '198.51.100.9');
    assert.equal(touched?.session.lastSeenAt, f.clock.now().toISOString());
    assert.equal((await f.repository.findSession(busy.session.id))?.clientAddress, '198.51.100.9');
    f.clock.advance(SESSION_IDLE_MS / 1000 - 60);
    assert.equal(await f.service.resume(idle.token, client), null, 'idle for 30 minutes');
    assert.equal(await f.repository.findSession(idle.session.id), null, 'and removed');
    for (let t = SESSION_IDLE_MS + 60_000; t < SESSION_MAX_MS - 20 * 60_000; t += 20 * 60_000) {
      assert.ok(await f.service.resume(busy.token, client), `alive after ${t / 60_000} minutes`);
      f.clock.advance(20 * 60);
    }
    f.clock.advance((SESSION_MAX_MS - (f.clock.now().getTime() - Date.parse(busy.session.createdAt))) / 1000 - 1);
    assert.ok(await f.service.resume(busy.token, client), 'a second before 12 hours');
    f.clock.advance(1);
    assert.equal(await f.service.resume(busy.token, client), null, '12 hours after sign-in');
  });

  test('disabling an account and changing its password end its sessions', async () => {
    await using database = await dialect.open();
    const f = await consoleAuthFixture(database);
    const teacher = await f.service.createAccount({ username: 'teacher.one', role: 'teacher', scope: [f.school.id], password: PASSWORD });
    const first = await f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent });
    await f.service.setPassword(teacher.id, 'a new password!', teacher.id);
    assert.equal(await f.service.resume(first.token, client), null);
    await assert.rejects(f.service.signIn({ username: 'teacher.one', password: PASSWORD, client, userAgent }), code(ErrorCodes.SIGN_IN_FAILED));
    const second = await f.service.signIn({ username: 'teacher.one', password: 'a new password!', client, userAgent });
    assert.equal(await f.service.disable(teacher.id), true);
    assert.equal(await f.service.disable(teacher.id), false);
    assert.equal(await f.service.resume(second.token, client), null);
    assert.equal((await f.service.findAccount(teacher.id))?.disabled, true);
    await assert.rejects(f.service.signIn({ username: 'teacher.one', password: 'a new password!', client, userAgent }), code(ErrorCodes.ACCOUNT_DISABLED));
    await assert.rejects(f.service.signIn({ username: 'teacher.one', password: 'wrong password!', client, userAgent }), code(ErrorCodes.SIGN_IN_FAILED), 'disabled is said only after the right password');
    assert.equal(await f.service.enable(teacher.id), true);
    assert.ok(await f.service.signIn({ username: 'teacher.one', password: 'a new password!', client: '198.51.100.2', userAgent }));
    const actions = await f.auditActions();
    for (const a of ['console.account.password', 'console.account.disable', 'console.account.enable']) assert.ok(actions.includes(a), a);
  });
});
