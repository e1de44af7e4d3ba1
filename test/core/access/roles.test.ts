import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ROLES, isRole, parseRole, roleRequiresMfa, roleTitle } from '../../../src/core/access/roles.ts';
import { sessionExpiresAtMs, SESSION_IDLE_MS, SESSION_MAX_MS, SESSION_PENDING_MFA_MS, checkEmail } from '../../../src/core/access/console-account.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

test('the seven roles of the school policy', () => {
  assert.deepEqual([...ROLES], ['governor', 'headteacher', 'dsl', 'network-manager', 'teacher', 'pupil', 'trust-admin']);
});

test('MFA is required for the headteacher, DSL, network manager and trust administrator only', () => {
  assert.deepEqual(ROLES.filter(roleRequiresMfa), ['headteacher', 'dsl', 'network-manager', 'trust-admin']);
});

test('every role has a title for people', () => {
  assert.equal(roleTitle('dsl'), 'Designated Safeguarding Lead');
  assert.equal(new Set(ROLES.map(roleTitle)).size, ROLES.length);
  for (const role of ROLES) assert.match(roleTitle(role), /^[A-Z]/);
});

test('roles are parsed in any case; unknown ones are refused with the list', () => {
  assert.equal(parseRole(' DSL '), 'dsl');
  assert.equal(isRole('admin'), false);
  assert.throws(() => parseRole('admin'), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ARGUMENT_INVALID && /roles: governor, headteacher/.test(e.message));
});

test('a session ends 30 minutes after it was last seen, 12 hours after it began, 15 minutes after it began while MFA is pending', () => {
  const at = (ms: number) => new Date(Date.parse('2025-01-06T08:00:00.000Z') + ms).toISOString();
  const created = at(0);
  assert.equal(sessionExpiresAtMs({ stage: 'full', createdAt: created, lastSeenAt: created }), Date.parse(at(SESSION_IDLE_MS)));
  assert.equal(sessionExpiresAtMs({ stage: 'full', createdAt: created, lastSeenAt: at(SESSION_MAX_MS - 60_000) }), Date.parse(at(SESSION_MAX_MS)));
  assert.equal(sessionExpiresAtMs({ stage: 'mfa-code', createdAt: created, lastSeenAt: at(10 * 60_000) }), Date.parse(at(SESSION_PENDING_MFA_MS)));
});

test('email addresses: trimmed, empty is none, anything odd refused', () => {
  assert.equal(checkEmail('  office@school.example '), 'office@school.example');
  assert.equal(checkEmail(''), null);
  assert.equal(checkEmail(undefined), null);
  for (const bad of ['office', 'a@b', 'a b@c.example', 'a@b@c.example']) assert.throws(() => checkEmail(bad), { code: ErrorCodes.ARGUMENT_INVALID });
});
