// The block page text in force: from the last-good file at start (else the built-in words), a
// damaged file reported and passed over, a save written atomically and swapped in, the database's
// text adopted at control-plane start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BLOCK_PAGE_TEXT } from '../../src/core/org/block-page-text.ts';
import { LiveBlockPageText } from '../../src/server/live-block-page.ts';
import { LastGoodBlockPageStore } from '../../src/storage/files/last-good-block-page.ts';

const SCHOOL = '0190a6b2-7c4e-7d3a-9f00-000000000001';
const OTHER = '0190a6b2-7c4e-7d3a-9f00-000000000002';
const text = { heading: 'Not in school', explanation: 'Our filter keeps you safe.', whoToAsk: 'Ask the office.' };
const AT = '2025-09-01T08:00:00.000Z';

function folder() {
  return mkdtempSync(join(tmpdir(), 'rf-block-page-'));
}

test('a fresh data folder: the built-in words, no problem', () => {
  const lines: string[] = [];
  const live = new LiveBlockPageText(folder(), (l) => lines.push(l));
  assert.deepEqual(live.current(), DEFAULT_BLOCK_PAGE_TEXT);
  assert.deepEqual(lines, []);
});

test('a save is written as the last-good file and swapped in; the next start reads it back', () => {
  const dir = folder();
  const live = new LiveBlockPageText(dir, () => {});
  live.onSaved(SCHOOL, text, AT);
  assert.deepEqual(live.current(), text);
  assert.deepEqual(new LastGoodBlockPageStore(dir).read(), { schoolId: SCHOOL, savedAt: AT, text });
  assert.deepEqual(readdirSync(join(dir, 'last-good')), ['block-page.json'], 'no temporary file left');
  assert.deepEqual(new LiveBlockPageText(dir, () => {}).current(), text);
});

test('a damaged or altered file: the built-in words and a reported problem, never a crash', () => {
  for (const damage of [
    (s: string) => s.slice(0, s.length / 2),
    (s: string) => s.replace('Not in school', 'Not in schoo1'),
    (s: string) => s.replace('"format": 1', '"format": 9'),
    () => 'null',
    () => '',
  ]) {
    const dir = folder();
    new LiveBlockPageText(dir, () => {}).onSaved(SCHOOL, text, AT);
    const path = new LastGoodBlockPageStore(dir).path;
    writeFileSync(path, damage(readFileSync(path, 'utf8')));
    const lines: string[] = [];
    const live = new LiveBlockPageText(dir, (l) => lines.push(l));
    assert.deepEqual(live.current(), DEFAULT_BLOCK_PAGE_TEXT);
    assert.equal(lines.length, 1);
    assert.match(lines[0]!, /block page text .*block-page\.json .*built-in words/);
    assert.deepEqual(live.problems, lines);
  }
});

test('a hand-edited file with a correct checksum still cannot put control characters on the page', () => {
  const dir = folder();
  const store = new LastGoodBlockPageStore(dir);
  store.write({ schoolId: SCHOOL, savedAt: AT, text: { ...text, heading: 'a\u202eb' } });
  const lines: string[] = [];
  assert.deepEqual(new LiveBlockPageText(dir, (l) => lines.push(l)).current(), DEFAULT_BLOCK_PAGE_TEXT);
  assert.match(lines[0]!, /holds text that is not allowed/);
});

test('at control-plane start the database’s text is adopted; saves for other schools are ignored', () => {
  const dir = folder();
  const live = new LiveBlockPageText(dir, () => {});
  live.adopt(SCHOOL, { text, savedAt: AT });
  assert.deepEqual(live.current(), text);
  assert.equal(new LastGoodBlockPageStore(dir).read()?.text.heading, text.heading);
  live.onSaved(OTHER, { ...text, heading: 'Another school' }, AT);
  assert.deepEqual(live.current(), text);
  // The school never set its own (or went back to nothing stored): the built-in words.
  live.adopt(SCHOOL, null);
  assert.deepEqual(live.current(), DEFAULT_BLOCK_PAGE_TEXT);
  assert.deepEqual(new LiveBlockPageText(dir, () => {}).current(), DEFAULT_BLOCK_PAGE_TEXT);
});
