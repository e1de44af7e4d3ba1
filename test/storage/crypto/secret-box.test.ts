import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { AesGcmSecretBox } from '../../../src/storage/crypto/secret-box.ts';
import { defaultMfaKeyPath, loadOrCreateSecretKey, readSecretKey } from '../../../src/storage/crypto/secret-key-file.ts';

const unreadable = (pattern: RegExp) => (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.SECRET_UNREADABLE && pattern.test(e.message);

test('a sealed secret opens to what was sealed, and never reads as it', () => {
  const box = new AesGcmSecretBox(randomBytes(32));
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'account-1');
  assert.match(sealed, /^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/);
  assert.ok(!sealed.includes('JBSWY3DPEHPK3PXP'));
  assert.equal(box.open(sealed, 'account-1'), 'JBSWY3DPEHPK3PXP');
  assert.notEqual(box.seal('JBSWY3DPEHPK3PXP', 'account-1'), sealed, 'a fresh IV each time');
  assert.equal(box.open(box.seal('', 'x'), 'x'), '');
});

test('the wrong key, another context or an altered value fail clearly', () => {
  const box = new AesGcmSecretBox(randomBytes(32));
  const sealed = box.seal('JBSWY3DPEHPK3PXP', 'account-1');
  assert.throws(() => new AesGcmSecretBox(randomBytes(32)).open(sealed, 'account-1'), unreadable(/another key .*mfa\.key/));
  assert.throws(() => box.open(sealed, 'account-2'), unreadable(/another key|altered/));
  const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.at(-1);
  assert.throws(() => box.open(flipped, 'account-1'), unreadable(/altered/));
  assert.throws(() => box.open('JBSWY3DPEHPK3PXP', 'account-1'), unreadable(/not a sealed secret/));
  assert.throws(() => new AesGcmSecretBox(randomBytes(16)), { code: ErrorCodes.SECRET_KEY_INVALID });
});

test('the key file is made once, 0600 in a 0700 folder, and read back the same', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rf-key-'));
  try {
    const path = defaultMfaKeyPath(join(dir, 'data'));
    assert.equal(readSecretKey(path), null);
    const key = loadOrCreateSecretKey(path);
    assert.equal(key.length, 32);
    assert.deepEqual(loadOrCreateSecretKey(path), key);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.equal((await stat(join(dir, 'data', 'keys'))).mode & 0o777, 0o700);
    await writeFile(path, randomBytes(31));
    assert.throws(() => loadOrCreateSecretKey(path), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.SECRET_KEY_INVALID && /31 bytes, not 32/.test(e.message));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
