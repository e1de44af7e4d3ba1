import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { Argon2Hasher } from '../../../src/storage/crypto/argon2-hasher.ts';
import { accountsFixture } from './fixtures.ts';

const PASSWORD = 'correct horse battery';

function rejectsWith(code: string, message?: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && (!message || message.test(e.message));
}

test('createAccount: canonical username, argon2id hash, groups checked, no hash in what it returns', async () => {
  await using f = await accountsFixture();
  const created = await f.service.createAccount({ username: ' Teacher.One ', password: PASSWORD, groups: ['staff', 'technical', 'staff'], displayName: ' Class teacher ' });
  assert.deepEqual(created, {
    username: 'teacher.one',
    displayName: 'Class teacher',
    groups: ['staff', 'technical'],
    disabled: false,
    createdAt: '2024-09-02T08:00:00.000Z',
    updatedAt: '2024-09-02T08:00:00.000Z',
  });
  const stored = await f.store.get('teacher.one');
  assert.match(stored!.passwordHash, /^\$argon2id\$/);
  assert.equal(await new Argon2Hasher().verify(stored!.passwordHash, PASSWORD), true);
  assert.deepEqual(await f.service.getAccount('TEACHER.ONE'), created);
  assert.deepEqual(await f.service.listAccounts(), [created]);
});

test('createAccount refuses a taken username (whatever its case), unknown groups, weak passwords and bad names', async () => {
  await using f = await accountsFixture();
  await f.service.createAccount({ username: 'pupil.one', password: PASSWORD, groups: ['pupils-ks2'] });
  const hashesBefore = f.hasher.hashes;
  await assert.rejects(f.service.createAccount({ username: 'Pupil.One', password: PASSWORD, groups: ['pupils-ks2'] }), rejectsWith(ErrorCodes.ACCOUNT_EXISTS, /already an account "pupil.one"/));
  await assert.rejects(f.service.createAccount({ username: 'pupil.two', password: PASSWORD, groups: ['pupils-ks9'] }), rejectsWith(ErrorCodes.GROUP_UNKNOWN, /unknown group "pupils-ks9" \(known: pupils-ks1, pupils-ks2, staff, technical, guests\)/));
  await assert.rejects(f.service.createAccount({ username: 'pupil.two', password: PASSWORD, groups: [] }), rejectsWith(ErrorCodes.GROUP_UNKNOWN, /at least one group/));
  await assert.rejects(f.service.createAccount({ username: 'pupil.two', password: 'short', groups: ['pupils-ks2'] }), rejectsWith(ErrorCodes.PASSWORD_INVALID, /at least 12 characters/));
  await assert.rejects(f.service.createAccount({ username: 'pupil two', password: PASSWORD, groups: ['pupils-ks2'] }), rejectsWith(ErrorCodes.USERNAME_INVALID, /"pupil two" contains " "/));
  await assert.rejects(f.service.createAccount({ username: 'pupil.two', password: PASSWORD, groups: ['pupils-ks2'], displayName: 'x\u0007' }), rejectsWith(ErrorCodes.ARGUMENT_INVALID, /control characters/));
  assert.equal(f.hasher.hashes, hashesBefore, 'nothing hashed for refused input');
  assert.deepEqual((await f.service.listAccounts()).map((a) => a.username), ['pupil.one']);
});

test('setPassword: the new password verifies, the old one does not, updatedAt moves', async () => {
  await using f = await accountsFixture();
  await f.service.createAccount({ username: 'staff.one', password: PASSWORD, groups: ['staff'] });
  f.clock.advance(3600);
  await f.service.setPassword('Staff.One', 'a much longer new passphrase');
  const stored = (await f.store.get('staff.one'))!;
  const argon2 = new Argon2Hasher();
  assert.equal(await argon2.verify(stored.passwordHash, 'a much longer new passphrase'), true);
  assert.equal(await argon2.verify(stored.passwordHash, PASSWORD), false);
  assert.equal(stored.createdAt, '2024-09-02T08:00:00.000Z');
  assert.equal(stored.updatedAt, '2024-09-02T09:00:00.000Z');
  await assert.rejects(f.service.setPassword('staff.one', 'too short'), rejectsWith(ErrorCodes.PASSWORD_INVALID));
  await assert.rejects(f.service.setPassword('nobody', PASSWORD), rejectsWith(ErrorCodes.ACCOUNT_UNKNOWN, /no account "nobody"/));
});

test('disable and enable say whether anything changed; remove deletes; unknown accounts are errors', async () => {
  await using f = await accountsFixture();
  await f.service.createAccount({ username: 'guest.one', password: PASSWORD, groups: ['guests'] });
  assert.equal(await f.service.disableAccount('guest.one'), true);
  assert.equal(await f.service.disableAccount('GUEST.ONE'), false);
  assert.equal((await f.store.get('guest.one'))!.disabled, true);
  assert.equal(await f.service.enableAccount('guest.one'), true);
  assert.equal(await f.service.enableAccount('guest.one'), false);
  await f.service.removeAccount('Guest.One');
  assert.equal(await f.store.get('guest.one'), null);
  await assert.rejects(f.service.removeAccount('guest.one'), rejectsWith(ErrorCodes.ACCOUNT_UNKNOWN));
  await assert.rejects(f.service.disableAccount('guest.one'), rejectsWith(ErrorCodes.ACCOUNT_UNKNOWN));
  await assert.rejects(f.service.removeAccount('bad name'), rejectsWith(ErrorCodes.USERNAME_INVALID));
});
