import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IsoTime } from '../../../src/core/activity/iso-time.ts';

test('the ISO text of each millisecond, made again only when the millisecond changes', () => {
  const t = new IsoTime();
  const a = Date.parse('2026-11-23T10:15:00.123Z');
  assert.equal(t.of(a), '2026-11-23T10:15:00.123Z');
  assert.equal(t.of(a), '2026-11-23T10:15:00.123Z');
  assert.equal(t.of(a + 1), '2026-11-23T10:15:00.124Z');
  assert.equal(t.of(a), '2026-11-23T10:15:00.123Z', 'going back is formatted again, not stale');
});
