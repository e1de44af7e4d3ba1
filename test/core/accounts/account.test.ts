import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalUsername, checkGroups, parseAccount, summarise, tryCanonicalUsername, type Account } from '../../../src/core/accounts/account.ts';
import { PASSWORD_MAX, checkPassword, passwordProblem } from '../../../src/core/accounts/password-rules.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

const RUNS = { numRuns: 1000 };

function code(e: unknown): string {
  assert.ok(e instanceof RingfenceError, String(e));
  return e.code;
}

test('usernames are trimmed, NFC and lower-cased', () => {
  assert.equal(canonicalUsername('  Pupil.One '), 'pupil.one');
  assert.equal(canonicalUsername('Head.Teacher@School.Example'), 'head.teacher@school.example');
  assert.equal(canonicalUsername('E\u0301LE\u0300VE_2'), 'élève_2');
  assert.equal(canonicalUsername('a'), 'a');
  assert.equal(canonicalUsername('x'.repeat(64)), 'x'.repeat(64));
  assert.equal(canonicalUsername('ÅSA-9'), 'åsa-9');
});

test('bad usernames are refused with a message naming the input and the problem', () => {
  const cases: [string, RegExp][] = [
    ['', /the username is empty/],
    ['   ', /the username is empty/],
    ['x'.repeat(65), /is 65 characters long; the most is 64/],
    ['pupil one', /"pupil one" contains " "/],
    ['pupil:one', /contains ":"/],
    ['pupil/one', /contains "\/"/],
    ['pupil\u200bone', /contains "\\u200b"/],
    ['pupil\u0000', /contains "\\u0000"/],
    ['.hidden', /must start with a letter or digit/],
    ['-flag', /must start with a letter or digit/],
    ['@home', /must start with a letter or digit/],
  ];
  for (const [input, message] of cases) {
    assert.throws(() => canonicalUsername(input), (e: unknown) => code(e) === ErrorCodes.USERNAME_INVALID && message.test((e as Error).message), JSON.stringify(input));
    assert.equal(tryCanonicalUsername(input), null);
  }
});

test('canonical usernames are fixed points and hold no ":" or spaces', () => {
  const unit = fc.constantFrom(...'abcXYZ019._-@ :/', 'É', 'e\u0301', 'ß', 'İ', 'Ω', 'ｱ', '\u00a0');
  fc.assert(
    fc.property(fc.string({ unit, maxLength: 70 }), (input) => {
      const name = tryCanonicalUsername(input);
      if (name === null) return;
      assert.equal(canonicalUsername(name), name);
      assert.equal(name, name.normalize('NFC'));
      assert.ok(!/[:\s]/u.test(name));
      assert.ok([...name].length >= 1 && [...name].length <= 64);
    }),
    RUNS,
  );
});

test('password rules: at least 12, at most 1024 characters, not only spaces, no control characters', () => {
  assert.match(passwordProblem('short') ?? '', /at least 12 characters long \(it has 5\)/);
  assert.match(passwordProblem('x'.repeat(PASSWORD_MAX + 1)) ?? '', /at most 1024 characters long/);
  assert.match(passwordProblem(' '.repeat(20)) ?? '', /must not be only spaces/);
  assert.match(passwordProblem('\u3000'.repeat(12)) ?? '', /must not be only spaces/);
  assert.match(passwordProblem('twelve chars\n') ?? '', /control characters/);
  assert.match(passwordProblem('tab\tinside the password') ?? '', /control characters/);
  assert.equal(passwordProblem('correct horse battery'), null);
  assert.equal(passwordProblem('🔒'.repeat(12)), null, 'characters, not UTF-16 units');
  assert.match(passwordProblem('🔒'.repeat(11)) ?? '', /at least 12/);
  assert.equal(passwordProblem('x'.repeat(PASSWORD_MAX)), null);
  assert.throws(() => checkPassword('short'), (e: unknown) => code(e) === ErrorCodes.PASSWORD_INVALID && !(e as Error).message.includes('"short"'));
  assert.equal(checkPassword('cafe\u0301 au lait!!'), 'café au lait!!', 'NFC before hashing');
});

test('groups: order kept, duplicates dropped, unknown ones named', () => {
  const known = new Set(['staff', 'pupils-ks2', 'technical']);
  assert.deepEqual(checkGroups(['staff', ' technical', 'staff'], known), ['staff', 'technical']);
  assert.throws(() => checkGroups(['staff', 'teachers'], known), (e: unknown) => code(e) === ErrorCodes.GROUP_UNKNOWN && /unknown group "teachers" \(known: staff, pupils-ks2, technical\)/.test((e as Error).message));
  assert.throws(() => checkGroups(['', ' '], known), /needs at least one group/);
});

const GOOD: Account = {
  username: 'pupil.one',
  displayName: 'Pupil One',
  groups: ['pupils-ks2'],
  passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaA',
  disabled: false,
  createdAt: '2024-09-02T08:00:00.000Z',
  updatedAt: '2024-09-02T08:00:00.000Z',
};

test('stored records are checked field by field', () => {
  assert.deepEqual(parseAccount(structuredClone(GOOD)), GOOD);
  const { displayName: _, ...noName } = GOOD;
  assert.deepEqual(parseAccount(noName), noName);
  const cases: [unknown, RegExp][] = [
    [null, /must be an object/],
    [[], /must be an object/],
    [{ ...GOOD, username: 'Pupil.One' }, /"username" must be a canonical username, found "Pupil.One"/],
    [{ ...GOOD, username: 7 }, /found number/],
    [{ ...GOOD, groups: [] }, /"groups" must be a non-empty array/],
    [{ ...GOOD, groups: ['Staff Room'] }, /"groups"/],
    [{ ...GOOD, passwordHash: 'plaintext-password' }, /"passwordHash" is not a PHC hash string/],
    [{ ...GOOD, disabled: 'no' }, /"disabled" must be true or false/],
    [{ ...GOOD, createdAt: 'yesterday' }, /"createdAt" must be an ISO-8601 UTC time, found "yesterday"/],
    [{ ...GOOD, updatedAt: '2024-13-45T99:00:00Z' }, /"updatedAt"/],
    [{ ...GOOD, displayName: ' padded ' }, /"displayName"/],
    [{ ...GOOD, password: 'x' }, /unknown field "password"/],
  ];
  for (const [value, message] of cases) assert.throws(() => parseAccount(value), message, JSON.stringify(value));
});

test('summaries never carry the hash', () => {
  const summary = summarise(GOOD);
  assert.equal('passwordHash' in summary, false);
  assert.equal(summary.username, 'pupil.one');
});
