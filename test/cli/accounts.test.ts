import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Argon2Hasher } from '../../src/storage/crypto/argon2-hasher.ts';
import { AccountFile } from '../../src/storage/files/account-file.ts';
import { ringfence, tempDataDir } from '../support/cli.ts';

const PASSWORD = 'correct horse battery';

function tempData() {
  const dir = tempDataDir('rf-cli-accounts-');
  return { data: join(dir, 'data'), [Symbol.dispose]: () => rmSync(dir, { recursive: true, force: true }) };
}

function accounts(args: string[], data: string, input?: string) {
  return ringfence(['accounts', ...args, '--data', data], input === undefined ? {} : { input });
}

test('add, list, passwd, disable, enable, remove: the lifecycle of an account; hashes never printed', async () => {
  using t = tempData();
  const empty = accounts(['list'], t.data);
  assert.equal(empty.status, 0, empty.stderr);
  assert.match(empty.stdout, /no accounts yet/);

  const add = accounts(['add', 'Teacher.One', '--group', 'staff,technical', '--group', 'nominated-staff', '--name', 'Class teacher', '--password-stdin'], t.data, `${PASSWORD}\n`);
  assert.equal(add.status, 0, add.stderr);
  assert.equal(add.stdout, 'added account teacher.one in staff, technical, nominated-staff\n');
  const file = join(t.data, 'accounts.json');
  assert.equal(statSync(file).mode & 0o777, 0o600);
  const stored = (await new AccountFile(t.data).get('teacher.one'))!;
  assert.equal(await new Argon2Hasher().verify(stored.passwordHash, PASSWORD), true, 'one trailing newline is not part of the password');

  const list = accounts(['list'], t.data);
  assert.equal(list.status, 0, list.stderr);
  assert.match(list.stdout, /^USERNAME\s+STATE\s+GROUPS\s+NAME\s+UPDATED$/m);
  assert.match(list.stdout, /^teacher\.one\s+active\s+staff,technical,nominated-staff\s+Class teacher\s+\d{4}-\d\d-\d\dT/m);
  assert.doesNotMatch(list.stdout, /argon2|passwordHash/);

  const passwd = accounts(['passwd', 'teacher.one', '--password-stdin'], t.data, 'a different passphrase\r\n');
  assert.equal(passwd.status, 0, passwd.stderr);
  assert.match(passwd.stdout, /changed the password of teacher\.one; a running proxy notices within 5 minutes/);
  const changed = (await new AccountFile(t.data).get('teacher.one'))!;
  assert.equal(await new Argon2Hasher().verify(changed.passwordHash, 'a different passphrase'), true);

  assert.match(accounts(['disable', 'TEACHER.ONE'], t.data).stdout, /^disabled teacher\.one; a running proxy notices/);
  const json = accounts(['list', '--json'], t.data);
  assert.equal(json.status, 0, json.stderr);
  const [summary] = JSON.parse(json.stdout);
  assert.equal(summary.disabled, true);
  assert.equal('passwordHash' in summary, false);
  assert.match(accounts(['enable', 'teacher.one'], t.data).stdout, /^enabled teacher\.one/);

  const remove = accounts(['remove', 'teacher.one'], t.data);
  assert.equal(remove.status, 0, remove.stderr);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')).accounts, []);
});

test('bad input exits 2 with a message naming the input and what is wrong; nothing is stored', () => {
  using t = tempData();
  const add = (args: string[], input = `${PASSWORD}\n`) => accounts(['add', ...args], t.data, input);
  assert.equal(add(['pupil.one', '--group', 'pupils-ks2', '--password-stdin']).status, 0);
  const cases: [ReturnType<typeof add>, RegExp][] = [
    [add(['pupil.two', '--group', 'pupils-ks9', '--password-stdin']), /unknown group "pupils-ks9" \(known: pupils-eyfs, pupils-ks1, pupils-ks2, staff, .*\) \[RF_GROUP_UNKNOWN\]/],
    [add(['pupil.two', '--password-stdin']), /give the account's groups with --group .*\[RF_ARGUMENT_INVALID\]/],
    [add(['pupil two', '--group', 'pupils-ks2', '--password-stdin']), /username "pupil two" contains " " .*\[RF_USERNAME_INVALID\]/],
    [add(['--group', 'pupils-ks2', '--password-stdin']), /give exactly one username: ringfence accounts add USERNAME/],
    [add(['Pupil.One', '--group', 'pupils-ks2', '--password-stdin']), /already an account "pupil\.one" .*\[RF_ACCOUNT_EXISTS\]/],
    [add(['pupil.two', '--group', 'pupils-ks2', '--password-stdin'], 'short\n'), /at least 12 characters long \(it has 5\) \[RF_PASSWORD_INVALID\]/],
    [add(['pupil.two', '--group', 'pupils-ks2', '--password-stdin'], `${PASSWORD}\n${PASSWORD}\n`), /more than one line/],
    [add(['pupil.two', '--group', 'pupils-ks2', '--password-stdin'], ''), /no password on standard input/],
    [add(['pupil.two', '--group', 'pupils-ks2']), /standard input is not a terminal: give the password on standard input with --password-stdin/],
    [accounts(['passwd', 'nobody', '--password-stdin'], t.data, `${PASSWORD}\n`), /no account "nobody" .*\[RF_ACCOUNT_UNKNOWN\]/],
    [accounts(['remove', 'nobody'], t.data), /no account "nobody"/],
    [accounts(['disable', 'a', 'b'], t.data), /give exactly one username: ringfence accounts disable USERNAME \(also got 1 more argument\)/],
  ];
  for (const [r, message] of cases) {
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, message);
  }
  const list = JSON.parse(accounts(['list', '--json'], t.data).stdout);
  assert.deepEqual(list.map((a: { username: string }) => a.username), ['pupil.one']);
});

test('a damaged account file stops every command with exit 2, and is left as it was', () => {
  using t = tempData();
  assert.equal(accounts(['add', 'pupil.one', '--group', 'pupils-ks2', '--password-stdin'], t.data, PASSWORD).status, 0);
  const file = join(t.data, 'accounts.json');
  writeFileSync(file, '{"format":1,"accounts":{}}');
  for (const r of [accounts(['list'], t.data), accounts(['add', 'pupil.two', '--group', 'pupils-ks2', '--password-stdin'], t.data, PASSWORD)]) {
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /the account file .*accounts\.json is damaged: "accounts" is not an array .*\[RF_ACCOUNT_FILE_INVALID\]/);
  }
  assert.equal(readFileSync(file, 'utf8'), '{"format":1,"accounts":{}}');
});
