import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { basicProxyAuthorization as basic } from '../../../src/core/accounts/proxy-authorization.ts';
import { ProxyAuthenticator, type ProxyAuthenticatorOptions } from '../../../src/services/accounts/proxy-authenticator.ts';
import { processHmac } from '../../../src/storage/crypto/hmac.ts';
import { accountsFixture } from './fixtures.ts';

const PUPIL_PASSWORD = 'pupil password 123';
const STAFF_PASSWORD = 'staff: password with colons';
const PUPIL_ADDR = '10.0.1.20';
const OTHER_ADDR = '10.0.1.21';

async function setup(options: Partial<ProxyAuthenticatorOptions> = {}) {
  const f = await accountsFixture();
  await f.service.createAccount({ username: 'pupil.one', password: PUPIL_PASSWORD, groups: ['pupils-ks2'] });
  await f.service.createAccount({ username: 'staff.one', password: STAFF_PASSWORD, groups: ['staff', 'technical'] });
  const auth = new ProxyAuthenticator({ store: f.store, hasher: f.hasher, hmac: processHmac(), clock: f.clock, ...options });
  return Object.assign(f, { auth });
}

test('no header: "none" (the address decides), without touching the store or argon2', async () => {
  await using f = await setup();
  const before = f.hasher.verifies;
  assert.deepEqual(await f.auth.authenticate(undefined, PUPIL_ADDR), { kind: 'none' });
  assert.equal(f.auth.cached(undefined, PUPIL_ADDR), undefined);
  assert.equal(f.hasher.verifies, before);
});

test('right password: ok with the canonical username and the account\'s groups; wrong: rejected', async () => {
  await using f = await setup();
  assert.deepEqual(await f.auth.authenticate(basic('Staff.One', STAFF_PASSWORD), PUPIL_ADDR), { kind: 'ok', username: 'staff.one', groups: ['staff', 'technical'] });
  assert.deepEqual(await f.auth.authenticate(basic('pupil.one', 'pupil password 124'), PUPIL_ADDR), { kind: 'rejected', reason: 'wrong username or password', detail: 'wrong password for pupil.one' });
  assert.deepEqual(await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD.toUpperCase()), PUPIL_ADDR), { kind: 'rejected', reason: 'wrong username or password', detail: 'wrong password for pupil.one' });
});

test('an unknown account is rejected after the same argon2 work as a real one', async () => {
  await using f = await setup();
  const before = f.hasher.verifies;
  assert.deepEqual(await f.auth.authenticate(basic('nobody', PUPIL_PASSWORD), PUPIL_ADDR), { kind: 'rejected', reason: 'wrong username or password', detail: 'unknown account nobody' });
  assert.equal(f.hasher.verifies, before + 1);
});

test('a cache hit calls argon2 no more; cached() answers synchronously; other passwords miss', async () => {
  await using f = await setup();
  const header = basic('pupil.one', PUPIL_PASSWORD);
  assert.equal(f.auth.cached(header, PUPIL_ADDR), undefined, 'nothing cached yet');
  const first = await f.auth.authenticate(header, PUPIL_ADDR);
  const verifies = f.hasher.verifies;
  for (let i = 0; i < 50; i++) assert.equal(await f.auth.authenticate(header, PUPIL_ADDR), first);
  // The same credentials in another spelling of the username, from another address.
  assert.deepEqual(f.auth.cached(basic('PUPIL.ONE', PUPIL_PASSWORD), OTHER_ADDR), { kind: 'ok', username: 'pupil.one', groups: ['pupils-ks2'] });
  assert.equal(f.hasher.verifies, verifies);
  assert.equal(f.auth.cached(basic('pupil.one', 'pupil password 124'), PUPIL_ADDR), undefined);
  assert.equal(f.auth.cached('Basic !!!', PUPIL_ADDR), undefined);
  assert.equal(f.auth.stats().cached, 1);
});

test('cached sign-ins expire after cacheSeconds (injected clock); then argon2 runs again', async () => {
  await using f = await setup({ cacheSeconds: 300 });
  const header = basic('pupil.one', PUPIL_PASSWORD);
  await f.auth.authenticate(header, PUPIL_ADDR);
  f.clock.advance(299);
  assert.ok(f.auth.cached(header, PUPIL_ADDR));
  f.clock.advance(1);
  assert.equal(f.auth.cached(header, PUPIL_ADDR), undefined);
  const verifies = f.hasher.verifies;
  assert.equal((await f.auth.authenticate(header, PUPIL_ADDR)).kind, 'ok');
  assert.equal(f.hasher.verifies, verifies + 1);
});

test('concurrent checks of the same credentials share one argon2 verification', async () => {
  await using f = await setup();
  const before = f.hasher.verifies;
  const results = await Promise.all(Array.from({ length: 8 }, () => f.auth.authenticate(basic('staff.one', STAFF_PASSWORD), PUPIL_ADDR)));
  assert.equal(f.hasher.verifies, before + 1);
  for (const r of results) assert.deepEqual(r, { kind: 'ok', username: 'staff.one', groups: ['staff', 'technical'] });
  assert.equal(f.auth.stats().verifying, 0);
});

test('after maxFailures from an address it is throttled (even for cached passwords), others are not; it recovers when the window ends', async () => {
  await using f = await setup({ maxFailures: 10, failureWindowSeconds: 60 });
  const good = basic('pupil.one', PUPIL_PASSWORD);
  await f.auth.authenticate(good, PUPIL_ADDR);
  for (let i = 0; i < 10; i++) {
    f.clock.advance(1);
    assert.equal((await f.auth.authenticate(basic('pupil.one', `guess number ${i}!`), PUPIL_ADDR)).kind, 'rejected');
  }
  // The first failure was at +1 s; the window ends at +61 s; now is +10 s.
  const verifies = f.hasher.verifies;
  assert.deepEqual(await f.auth.authenticate(basic('pupil.one', 'one more guess'), PUPIL_ADDR), { kind: 'throttled', retryAfterSeconds: 51 });
  assert.deepEqual(await f.auth.authenticate(good, PUPIL_ADDR), { kind: 'throttled', retryAfterSeconds: 51 });
  assert.equal(f.auth.cached(good, PUPIL_ADDR), undefined);
  assert.equal(f.hasher.verifies, verifies, 'no argon2 for a throttled address');
  assert.equal(f.auth.cached(good, OTHER_ADDR)?.username, 'pupil.one');
  f.clock.advance(50);
  assert.deepEqual(await f.auth.authenticate(good, PUPIL_ADDR), { kind: 'throttled', retryAfterSeconds: 1 });
  f.clock.advance(1);
  assert.equal((await f.auth.authenticate(good, PUPIL_ADDR)).kind, 'ok');
  assert.equal((await f.auth.authenticate(basic('pupil.one', 'a fresh window'), PUPIL_ADDR)).kind, 'rejected');
});

test('malformed headers are rejected without argon2 and do not count as failures; invalid usernames do', async () => {
  await using f = await setup({ maxFailures: 3 });
  const before = f.hasher.verifies;
  const malformed: [string, RegExp][] = [
    ['Bearer abc', /unsupported authentication scheme "Bearer"/],
    ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ', /not valid base64/],
    ['Basic', /no credentials/],
    [basic('pupil.one', ''), /password is empty/],
    ['x'.repeat(10_000), /longer than/],
  ];
  for (let round = 0; round < 3; round++) {
    for (const [header, reason] of malformed) {
      const r = await f.auth.authenticate(header, PUPIL_ADDR);
      assert.equal(r.kind, 'rejected');
      assert.match(r.kind === 'rejected' ? r.reason : '', /^malformed Proxy-Authorization: /);
      assert.match(r.kind === 'rejected' ? r.reason : '', reason);
    }
  }
  assert.equal(f.hasher.verifies, before);
  assert.equal((await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR)).kind, 'ok');
  for (let i = 0; i < 3; i++) assert.equal((await f.auth.authenticate(basic('not a username', PUPIL_PASSWORD), OTHER_ADDR)).kind, 'rejected');
  assert.equal((await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), OTHER_ADDR)).kind, 'throttled');
  assert.equal(f.hasher.verifies, before + 1);
});

test('a disabled account is rejected; its cached sign-in lasts until invalidate() or expiry', async () => {
  await using f = await setup({ cacheSeconds: 300 });
  const header = basic('pupil.one', PUPIL_PASSWORD);
  assert.equal((await f.auth.authenticate(header, PUPIL_ADDR)).kind, 'ok');
  await f.service.disableAccount('pupil.one');
  assert.equal((await f.auth.authenticate(header, PUPIL_ADDR)).kind, 'ok', 'still cached');
  f.auth.invalidate('Pupil.One');
  assert.equal(f.auth.cached(header, PUPIL_ADDR), undefined);
  assert.deepEqual(await f.auth.authenticate(header, PUPIL_ADDR), { kind: 'rejected', reason: 'this account is disabled', detail: 'account pupil.one is disabled' });

  // Without invalidate(), expiry does it.
  const staff = basic('staff.one', STAFF_PASSWORD);
  assert.equal((await f.auth.authenticate(staff, PUPIL_ADDR)).kind, 'ok');
  await f.service.removeAccount('staff.one');
  assert.equal((await f.auth.authenticate(staff, PUPIL_ADDR)).kind, 'ok');
  f.clock.advance(300);
  assert.deepEqual(await f.auth.authenticate(staff, PUPIL_ADDR), { kind: 'rejected', reason: 'wrong username or password', detail: 'unknown account staff.one' });
});

test('a new password takes over once the old sign-in is invalidated', async () => {
  await using f = await setup();
  await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR);
  await f.service.setPassword('pupil.one', 'the new pupil password');
  f.auth.invalidateAll();
  assert.deepEqual(await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR), { kind: 'rejected', reason: 'wrong username or password', detail: 'wrong password for pupil.one' });
  assert.equal((await f.auth.authenticate(basic('pupil.one', 'the new pupil password'), PUPIL_ADDR)).kind, 'ok');
});

test('a verification running when invalidate() is called answers but does not fill the cache', async () => {
  await using f = await setup();
  const header = basic('pupil.one', PUPIL_PASSWORD);
  const pending = f.auth.authenticate(header, PUPIL_ADDR);
  f.auth.invalidate('pupil.one');
  assert.equal((await pending).kind, 'ok');
  assert.equal(f.auth.cached(header, PUPIL_ADDR), undefined);
});

test('a broken account store rejects without blaming the client (no throttling, nothing cached)', async () => {
  await using f = await setup({ maxFailures: 2 });
  await writeFile(f.store.path, '{"format":1,"accounts":[');
  for (let i = 0; i < 4; i++) {
    const r = await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR);
    assert.equal(r.kind, 'rejected');
    assert.equal(r.kind === 'rejected' && r.reason, 'accounts cannot be checked just now; try again later', 'no file names for the client');
    assert.match(r.kind === 'rejected' ? r.detail : '', /^cannot check the account pupil\.one: the account file .* is damaged/);
  }
  await writeFile(f.store.path, '{"format":1,"accounts":[]}');
  await f.service.createAccount({ username: 'pupil.one', password: PUPIL_PASSWORD, groups: ['pupils-ks1'] });
  assert.deepEqual(await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR), { kind: 'ok', username: 'pupil.one', groups: ['pupils-ks1'] });
});

test('memory is bounded: cache entries, tracked addresses and verifications in flight', async () => {
  await using f = await setup({ maxCacheEntries: 1, maxTrackedAddresses: 3, maxVerifying: 1 });
  await f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR);
  await f.auth.authenticate(basic('staff.one', STAFF_PASSWORD), PUPIL_ADDR);
  assert.equal(f.auth.stats().cached, 1);
  assert.equal(f.auth.cached(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR), undefined, 'the oldest went');
  assert.ok(f.auth.cached(basic('staff.one', STAFF_PASSWORD), PUPIL_ADDR));

  for (let i = 0; i < 10; i++) await f.auth.authenticate(basic('bad name', 'whatever'), `10.9.0.${i}`);
  assert.equal(f.auth.stats().trackedAddresses, 3);

  const [a, b] = await Promise.all([
    f.auth.authenticate(basic('pupil.one', PUPIL_PASSWORD), PUPIL_ADDR),
    f.auth.authenticate(basic('pupil.one', 'another password'), OTHER_ADDR),
  ]);
  assert.equal(a.kind, 'ok');
  assert.deepEqual(b, { kind: 'throttled', retryAfterSeconds: 1 });
});
