import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { decodeCursor, encodeCursor } from '../../../src/core/activity/cursor.ts';
import { MAX_ACTIVITY_PAGE_SIZE, parseActivitySearch } from '../../../src/core/activity/query.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

const code = (c: string) => (e: unknown) => e instanceof RingfenceError && e.code === c;
const cursor = fc.record({ atMs: fc.integer({ min: 0, max: 2 ** 47 }), id: fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }) });

test('property: a cursor reads back as itself and is URL-safe', () => {
  fc.assert(
    fc.property(cursor, (c) => {
      const text = encodeCursor(c);
      assert.match(text, /^[A-Za-z0-9_-]+$/);
      assert.deepEqual(decodeCursor(text), { ...c });
    }),
  );
});

test('property: any other text is refused as a cursor, never misread', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 40 }), (s) => {
      let decoded;
      try {
        decoded = decodeCursor(s);
      } catch (e) {
        assert.ok(code(ErrorCodes.ACTIVITY_CURSOR_INVALID)(e));
        return;
      }
      assert.equal(encodeCursor(decoded), s, 'only the one spelling of a cursor is accepted');
    }),
  );
});

test('property: a changed character makes a different cursor or none', () => {
  fc.assert(
    fc.property(cursor, fc.nat(), fc.constantFrom(...'AZaz09-_'), (c, at, ch) => {
      const text = encodeCursor(c);
      const i = at % text.length;
      const altered = text.slice(0, i) + ch + text.slice(i + 1);
      fc.pre(altered !== text);
      try {
        assert.notDeepEqual(decodeCursor(altered), { ...c });
      } catch (e) {
        if (!(e instanceof RingfenceError)) throw e;
      }
    }),
  );
});

test('searches are validated with errors naming the input', () => {
  const school = '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f60';
  const bad = code(ErrorCodes.ACTIVITY_QUERY_INVALID);
  assert.deepEqual(parseActivitySearch(school, {}), { schoolId: school, filter: {}, limit: 100, after: null });
  assert.deepEqual(parseActivitySearch(school, { user: ' pupil-1 ', decision: 'BLOCK', source: 'dns', host: 'Example.COM.', limit: '500', from: '2025-09-01T08:00:00+01:00' }).filter, {
    user: 'pupil-1', decision: 'block', source: 'dns', host: 'example.com', fromMs: Date.parse('2025-09-01T07:00:00Z'),
  });
  assert.throws(() => parseActivitySearch(school, { limit: 0 }), bad);
  assert.throws(() => parseActivitySearch(school, { limit: MAX_ACTIVITY_PAGE_SIZE + 1 }), bad);
  assert.throws(() => parseActivitySearch(school, { limit: '10x' }), bad);
  assert.throws(() => parseActivitySearch(school, { decision: 'maybe' }), bad);
  assert.throws(() => parseActivitySearch(school, { source: 'smtp' }), bad);
  assert.throws(() => parseActivitySearch(school, { from: 'yesterday' }), bad);
  assert.throws(() => parseActivitySearch(school, { from: '2025-09-01T08:00:00' }), bad, 'a time without a zone is ambiguous');
  assert.throws(() => parseActivitySearch(school, { from: '2025-09-02T00:00:00Z', to: '2025-09-01T00:00:00Z' }), bad);
  assert.throws(() => parseActivitySearch(school, { user: 'x'.repeat(300) }), bad);
  assert.throws(() => parseActivitySearch(school, { category: 'a\u0000b' }), bad);
  assert.throws(() => parseActivitySearch(school, { cursor: 'not-a-cursor' }), code(ErrorCodes.ACTIVITY_CURSOR_INVALID));
  assert.deepEqual(parseActivitySearch(school, { cursor: encodeCursor({ atMs: 5, id: 9 }) }).after, { atMs: 5, id: 9 });
});
