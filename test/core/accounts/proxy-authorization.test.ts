import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeBase64Strict, encodeBase64 } from '../../../src/core/accounts/base64.ts';
import { PROXY_AUTHORIZATION_MAX, basicProxyAuthorization, parseProxyAuthorization } from '../../../src/core/accounts/proxy-authorization.ts';

const RUNS = { numRuns: 1000 };
const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const b64bytes = (bytes: number[]) => Buffer.from(bytes).toString('base64');

/** [header value, expected credentials or a pattern the reason must match]. */
const GOLDEN: [string, { username: string; password: string } | RegExp][] = [
  // RFC 7617 §2: the example of the specification.
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', { username: 'Aladdin', password: 'open sesame' }],
  // RFC 7617 §2.1: charset="UTF-8", user "test", password "123£".
  ['Basic dGVzdDoxMjPCow==', { username: 'test', password: '123£' }],
  // The scheme is case-insensitive (RFC 7235 §2.1); one or more spaces; surrounding spaces dropped.
  ['basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==', { username: 'Aladdin', password: 'open sesame' }],
  ['BASIC QWxhZGRpbjpvcGVuIHNlc2FtZQ==', { username: 'Aladdin', password: 'open sesame' }],
  ['bAsIc    QWxhZGRpbjpvcGVuIHNlc2FtZQ==', { username: 'Aladdin', password: 'open sesame' }],
  [' \tBasic QWxhZGRpbjpvcGVuIHNlc2FtZQ== \t', { username: 'Aladdin', password: 'open sesame' }],
  // Split at the first colon: passwords may hold colons.
  [`Basic ${b64('pupil.one:pass:word:')}`, { username: 'pupil.one', password: 'pass:word:' }],
  [`Basic ${b64('teacher@school.example:::')}`, { username: 'teacher@school.example', password: '::' }],
  [`Basic ${b64('élève:mot de passe sûr 🔒')}`, { username: 'élève', password: 'mot de passe sûr 🔒' }],
  // Not canonicalised here: the authenticator does that.
  [`Basic ${b64(' Staff.Member :x')}`, { username: ' Staff.Member ', password: 'x' }],
  [`Basic ${b64('\ufeffuser:secret')}`, { username: '\ufeffuser', password: 'secret' }],
  // One byte, two bytes (two and one padding characters).
  [`Basic ${b64('a:b')}`, { username: 'a', password: 'b' }],
  [`Basic ${b64('ab:cd')}`, { username: 'ab', password: 'cd' }],

  ['', /no authentication scheme/],
  ['   ', /no authentication scheme/],
  ['Basic', /no credentials after "Basic"/],
  ['Basic ', /no credentials after "Basic"/],
  ['Basic\tQWxhZGRpbjpvcGVuIHNlc2FtZQ==', /expected a space between "Basic" and the credentials/],
  ['BasicQWxhZGRpbjpvcGVuIHNlc2FtZQ==', /unsupported authentication scheme "BasicQWxhZGRpbjpvcGV" \(only Basic\)/],
  ['Bearer eyJhbGciOiJIUzI1NiJ9', /unsupported authentication scheme "Bearer"/],
  ['Digest username="x", realm="y"', /unsupported authentication scheme "Digest"/],
  ['Negotiate YIIBhwYGKwYBBQUCoIIB', /unsupported authentication scheme "Negotiate"/],
  [':Basic QWxh', /no authentication scheme/],
  // Strict base64: padding required, nothing outside the alphabet, zero pad bits, no inner spaces.
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ===', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZR==', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==QUFB', /not valid base64/],
  ['Basic QWxh ZGRpbjpvcGVuIHNlc2FtZQ==', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ== extra', /not valid base64/],
  ['Basic QWxhZGRpbjpvcGVuIHNl\nc2FtZQ==', /not valid base64/],
  ['Basic dGVzdDoxMjPCo-_=', /not valid base64/],
  ['Basic ＱＷｘｈ', /not valid base64/],
  ['Basic ====', /not valid base64/],
  // Decoded text.
  [`Basic ${b64bytes([0x75, 0x3a, 0xff, 0xfe])}`, /not valid UTF-8/],
  [`Basic ${b64bytes([0x75, 0x3a, 0xed, 0xa0, 0x80])}`, /not valid UTF-8/],
  [`Basic ${b64bytes([0x75, 0x3a, 0xc0, 0xaf])}`, /not valid UTF-8/],
  [`Basic ${b64('nocolon')}`, /no ":" between user-id and password/],
  [`Basic ${b64(':password')}`, /the user-id is empty/],
  [`Basic ${b64('user:')}`, /the password is empty/],
  [`Basic ${b64('us\u0000er:password')}`, /user-id contains control characters/],
  [`Basic ${b64('user:pass\tword')}`, /password contains control characters/],
  [`Basic ${b64('user:password\r\n')}`, /password contains control characters/],
  [`Basic ${b64('user:pass\u007fword')}`, /password contains control characters/],
  [`Basic ${'QUFB'.repeat(3000)}`, new RegExp(`longer than ${PROXY_AUTHORIZATION_MAX} characters`)],
];

test('golden table: RFC 7617 examples, accepted variants and malformed values', () => {
  for (const [header, expected] of GOLDEN) {
    const got = parseProxyAuthorization(header);
    if (expected instanceof RegExp) {
      assert.equal(got.ok, false, `${JSON.stringify(header)} should be refused`);
      if (!got.ok) assert.match(got.reason, expected, JSON.stringify(header));
    } else {
      assert.deepEqual(got, { ok: true, ...expected }, JSON.stringify(header));
    }
  }
});

const noControl = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }).filter((s) => !/\p{Cc}/u.test(s));
const username = noControl.filter((s) => !s.includes(':'));

test('round trip: any user-id without ":" and any password, both free of control characters', () => {
  fc.assert(
    fc.property(username, noControl, (user, password) => {
      assert.deepEqual(parseProxyAuthorization(basicProxyAuthorization(user, password)), { ok: true, username: user, password });
    }),
    RUNS,
  );
});

test('the header we build is what Node builds', () => {
  fc.assert(
    fc.property(username, noControl, (user, password) => {
      assert.equal(basicProxyAuthorization(user, password), `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`);
    }),
    RUNS,
  );
});

test('never throws, whatever the value', () => {
  const printable = fc.string({ unit: fc.constantFrom(...'ABCabc019+/= :\t-_Basic'), maxLength: 60 });
  fc.assert(
    fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 100 }), printable, printable.map((s) => `Basic ${s}`)), (value) => {
      const got = parseProxyAuthorization(value);
      assert.equal(typeof got.ok, 'boolean');
      if (!got.ok) assert.ok(got.reason.length > 0);
    }),
    RUNS,
  );
});

test('strict base64: decodes exactly what Node encodes, and only canonical text', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
      const text = Buffer.from(bytes).toString('base64');
      assert.deepEqual(decodeBase64Strict(text), Uint8Array.from(bytes));
      assert.equal(encodeBase64(bytes), text);
    }),
    RUNS,
  );
  // Anything the strict decoder accepts re-encodes to the same text (no two texts for one value).
  fc.assert(
    fc.property(fc.string({ unit: fc.constantFrom(...'ABQgwz09+/='), maxLength: 16 }), (text) => {
      const bytes = decodeBase64Strict(text);
      if (bytes) assert.equal(Buffer.from(bytes).toString('base64'), text);
    }),
    RUNS,
  );
});
