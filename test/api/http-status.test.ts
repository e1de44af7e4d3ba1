import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes } from '../../src/core/errors.ts';
import { SERVER_FAULTS, statusForCode } from '../../src/api/http-status.ts';

test('every code in the catalog gets a deliberate HTTP status', () => {
  for (const [name, code] of Object.entries(ErrorCodes)) {
    const status = statusForCode(code);
    assert.notEqual(status, null, `${name} (${code}) has no HTTP status: add it to http-status.ts`);
    assert.ok(status! >= 400 && status! < 600, `${name}: ${status}`);
    if (status === 500) assert.ok(SERVER_FAULTS.has(code), `${name} maps to 500 without being listed as a server fault`);
  }
});

test('the statuses a client relies on', () => {
  assert.equal(statusForCode(ErrorCodes.NOT_SIGNED_IN), 401);
  assert.equal(statusForCode(ErrorCodes.PERMISSION_DENIED), 403);
  assert.equal(statusForCode(ErrorCodes.CSRF_REJECTED), 403);
  assert.equal(statusForCode(ErrorCodes.REQUEST_INVALID), 400);
  assert.equal(statusForCode(ErrorCodes.POLICY_CHANGE_UNKNOWN), 404);
  assert.equal(statusForCode(ErrorCodes.POLICY_CHANGE_CONFLICT), 409);
  assert.equal(statusForCode(ErrorCodes.POLICY_CHANGE_FORBIDDEN), 403);
  assert.equal(statusForCode(ErrorCodes.DATABASE_UNAVAILABLE), 503);
  assert.equal(statusForCode('RF_SOMETHING_NEW'), null);
});
