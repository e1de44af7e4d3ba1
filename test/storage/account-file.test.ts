import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Account } from '../../src/core/accounts/account.ts';
import { ErrorCodes, RingfenceError } from '../../src/core/errors.ts';
import { AccountFile } from '../../src/storage/files/account-file.ts';

async function tempData() {
  const dir = await mkdtemp(join(tmpdir(), 'rf-accounts-'));
  const data = join(dir, 'data');
  return { dir, data, file: join(data, 'accounts.json'), [Symbol.asyncDispose]: () => rm(dir, { recursive: true, force: true }) };
}

function account(username: string, extra: Partial<Account> = {}): Account {
  return {
    username,
    groups: ['pupils-ks2'],
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
    disabled: false,
    createdAt: '2024-09-02T08:00:00.000Z',
    updatedAt: '2024-09-02T08:00:00.000Z',
    ...extra,
  };
}

function damaged(file: string, what: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ACCOUNT_FILE_INVALID && e.message.includes(file) && what.test(e.message);
}

test('a missing file means no accounts yet', async () => {
  await using t = await tempData();
  const store = new AccountFile(t.data);
  assert.deepEqual(await store.list(), []);
  assert.equal(await store.get('pupil.one'), null);
  assert.equal(await store.remove('pupil.one'), false);
});

test('put, get, list (sorted), replace and remove; the file is versioned and private (0600)', async () => {
  await using t = await tempData();
  const store = new AccountFile(t.data);
  await store.put(account('pupil.two'));
  await store.put(account('pupil.one', { displayName: 'Pupil One' }));
  assert.deepEqual(await store.get('pupil.one'), account('pupil.one', { displayName: 'Pupil One' }));
  assert.deepEqual((await store.list()).map((a) => a.username), ['pupil.one', 'pupil.two']);

  await store.put(account('pupil.two', { disabled: true, groups: ['pupils-ks1', 'guests'] }));
  assert.deepEqual(await store.get('pupil.two'), account('pupil.two', { disabled: true, groups: ['pupils-ks1', 'guests'] }));

  const onDisk = JSON.parse(await readFile(t.file, 'utf8'));
  assert.equal(onDisk.format, 1);
  assert.deepEqual(onDisk.accounts.map((a: Account) => a.username), ['pupil.one', 'pupil.two']);
  assert.equal((await stat(t.file)).mode & 0o777, 0o600);

  assert.equal(await store.remove('pupil.one'), true);
  assert.equal(await store.remove('pupil.one'), false);
  assert.deepEqual((await new AccountFile(t.data).list()).map((a) => a.username), ['pupil.two']);
  assert.deepEqual(await readdir(t.data), ['accounts.json'], 'no temporary files left behind');
});

test('a second store on the same folder sees the first one\'s writes', async () => {
  await using t = await tempData();
  const reader = new AccountFile(t.data);
  const writer = new AccountFile(t.data);
  assert.equal(await reader.get('staff.one'), null);
  await writer.put(account('staff.one', { groups: ['staff'] }));
  assert.deepEqual((await reader.get('staff.one'))?.groups, ['staff']);
  await writer.put(account('staff.one', { groups: ['staff'], disabled: true }));
  assert.equal((await reader.get('staff.one'))?.disabled, true);
});

test('concurrent puts in one process all land', async () => {
  await using t = await tempData();
  const store = new AccountFile(t.data);
  await Promise.all(Array.from({ length: 20 }, (_, i) => store.put(account(`pupil.${i}`))));
  assert.equal((await new AccountFile(t.data).list()).length, 20);
});

test('refuses to store a bad record', async () => {
  await using t = await tempData();
  const store = new AccountFile(t.data);
  await assert.rejects(store.put(account('Not Canonical')), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ACCOUNT_FILE_INVALID && /refusing to store a bad account/.test(e.message));
  await assert.rejects(store.put(account('pupil.one', { passwordHash: 'hunter2hunter2' })), /"passwordHash" is not a PHC hash string/);
  assert.deepEqual(await store.list(), []);
});

test('a damaged file is an error naming the file and the problem, never "no accounts"', async () => {
  await using t = await tempData();
  const good = new AccountFile(t.data);
  await good.put(account('pupil.one'));
  const cases: [string, RegExp][] = [
    ['', /not JSON/],
    ['{"format":1,"accounts":[', /not JSON/],
    ['[]', /expected an object with "format" and "accounts"/],
    ['{"accounts":[]}', /"format" is missing; this version of Ringfence reads format 1/],
    ['{"format":2,"accounts":[]}', /"format" is 2/],
    ['{"format":1}', /"accounts" is not an array/],
    [JSON.stringify({ format: 1, accounts: [account('pupil.one'), { ...account('x'), disabled: 'yes' }] }), /accounts\[1\]: account "x": "disabled" must be true or false/],
    [JSON.stringify({ format: 1, accounts: [account('pupil.one'), account('pupil.one')] }), /accounts\[1\]: username "pupil.one" appears twice/],
  ];
  for (const [text, what] of cases) {
    await writeFile(t.file, text);
    const store = new AccountFile(t.data);
    await assert.rejects(store.list(), damaged(t.file, what), JSON.stringify(text));
    await assert.rejects(store.get('pupil.one'), damaged(t.file, what));
    // A write must not replace what it could not read.
    await assert.rejects(store.put(account('pupil.two')), damaged(t.file, what));
    await assert.rejects(store.remove('pupil.one'), damaged(t.file, what));
    assert.equal(await readFile(t.file, 'utf8'), text);
  }
});

test('an unreadable path is an error too', async () => {
  await using t = await tempData();
  await writeFile(join(t.dir, 'data'), 'not a folder');
  await assert.rejects(new AccountFile(t.data).list(), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ACCOUNT_FILE_INVALID);
});
