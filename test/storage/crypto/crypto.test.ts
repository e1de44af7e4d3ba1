import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { ARGON2_PARAMETERS, Argon2Hasher } from '../../../src/storage/crypto/argon2-hasher.ts';
import { processHmac } from '../../../src/storage/crypto/hmac.ts';

test('argon2id with the OWASP parameters; salted; verifies only the right password', async () => {
  const hasher = new Argon2Hasher();
  const [a, b] = await Promise.all([hasher.hash('correct horse battery'), hasher.hash('correct horse battery')]);
  const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2_PARAMETERS;
  assert.match(a, new RegExp(`^\\$argon2id\\$v=19\\$m=${m},t=${t},p=${p}\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}$`));
  assert.notEqual(a, b, 'a fresh salt each time');
  assert.equal(await hasher.verify(a, 'correct horse battery'), true);
  assert.equal(await hasher.verify(b, 'correct horse battery'), true);
  assert.equal(await hasher.verify(a, 'correct horse batterY'), false);
  assert.equal(await hasher.verify(a, 'café au lait!!'), false);
});

test('a stored hash it cannot read is an error, not a wrong password', async () => {
  const hasher = new Argon2Hasher();
  for (const bad of ['$argon2id$garbage', '$2b$12$abcdefghijklmnopqrstuv', 'plain']) {
    await assert.rejects(hasher.verify(bad, 'whatever password'), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ACCOUNT_FILE_INVALID, bad);
  }
});

test('HMAC-SHA-256: keyed, deterministic per key, different per key', () => {
  const key = new Uint8Array(32).fill(7);
  const hmac = processHmac(key);
  // RFC 4231 test case 6: a 131-byte key of 0xaa.
  const rfc = processHmac(new Uint8Array(131).fill(0xaa))('Test Using Larger Than Block-Size Key - Hash Key First');
  assert.equal(Buffer.from(rfc, 'base64').toString('hex'), '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  assert.equal(hmac('user:password'), processHmac(Uint8Array.from(key))('user:password'));
  assert.notEqual(hmac('user:password'), hmac('user:passwore'));
  assert.notEqual(processHmac()('user:password'), processHmac()('user:password'), 'random key per process');
  assert.equal(hmac('user:password').length, 44, '32 bytes in base64');
  assert.throws(() => processHmac(new Uint8Array(16)), /at least 32 bytes/);
});
