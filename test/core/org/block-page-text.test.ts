// What a school may put on its block page: plain text, bounded, no control or invisible characters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BLOCK_PAGE_TEXT_LIMITS, DEFAULT_BLOCK_PAGE_TEXT, explanationParagraphs, isDefaultBlockPageText, validateBlockPageText } from '../../../src/core/org/block-page-text.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { PAGE_TEXT } from '../../../src/proxy/pages/text.ts';

const ok = { heading: 'This website is not available in school', explanation: 'We filter the internet to keep everyone safe.', whoToAsk: 'Talk to your class teacher or the office.' };

function refused(pattern: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.BLOCK_PAGE_TEXT_INVALID && pattern.test(e.message);
}

test('the defaults are the block page’s built-in words', () => {
  assert.equal(DEFAULT_BLOCK_PAGE_TEXT.heading, PAGE_TEXT.block.title);
  assert.equal(DEFAULT_BLOCK_PAGE_TEXT.whoToAsk, PAGE_TEXT.block.askTeacher);
  assert.equal(DEFAULT_BLOCK_PAGE_TEXT.explanation, '');
  assert.ok(isDefaultBlockPageText(validateBlockPageText(DEFAULT_BLOCK_PAGE_TEXT)));
  assert.ok(!isDefaultBlockPageText(validateBlockPageText(ok)));
});

test('plain text is kept as typed, trimmed; markup-looking text is just text', () => {
  assert.deepEqual(validateBlockPageText({ ...ok, heading: '  Blocked <b>here</b> & "there"  ' }), { ...ok, heading: 'Blocked <b>here</b> & "there"' });
  assert.equal(validateBlockPageText({ heading: 'A', whoToAsk: 'B' }).explanation, '', 'the explanation is optional');
});

test('the explanation keeps line breaks as paragraphs, blank lines collapsed, CRLF made LF', () => {
  const text = validateBlockPageText({ ...ok, explanation: 'First.\r\n\r\n\n  Second.  \nThird.' });
  assert.equal(text.explanation, 'First.\nSecond.\nThird.');
  assert.deepEqual(explanationParagraphs(text), ['First.', 'Second.', 'Third.']);
  assert.deepEqual(explanationParagraphs({ ...text, explanation: '' }), []);
});

test('lengths are bounded in characters people see (code points)', () => {
  const max = BLOCK_PAGE_TEXT_LIMITS.heading;
  assert.equal(validateBlockPageText({ ...ok, heading: '😀'.repeat(max) }).heading.length, max * 2, 'emoji count once each');
  assert.throws(() => validateBlockPageText({ ...ok, heading: 'x'.repeat(max + 1) }), refused(/at most 80/));
  assert.throws(() => validateBlockPageText({ ...ok, explanation: 'x'.repeat(BLOCK_PAGE_TEXT_LIMITS.explanation + 1) }), refused(/explanation/));
  assert.throws(() => validateBlockPageText({ ...ok, whoToAsk: 'x'.repeat(BLOCK_PAGE_TEXT_LIMITS.whoToAsk + 1) }), refused(/Who to talk to/));
});

test('empty heading or who-to-ask, and non-text values, are refused', () => {
  assert.throws(() => validateBlockPageText({ ...ok, heading: '   ' }), refused(/heading must not be empty/));
  assert.throws(() => validateBlockPageText({ ...ok, whoToAsk: '' }), refused(/must not be empty/));
  assert.throws(() => validateBlockPageText({ ...ok, heading: 42 }), refused(/must be text/));
  assert.throws(() => validateBlockPageText({ heading: 'A' }), refused(/must be text/));
});

test('control and invisible characters are refused, and named', () => {
  for (const bad of ['\u0000', '\u0007', '\t', '\u001b[31m', '\u007f', '\u0085', '\u202e', '\u200b', '\u2028', '\u2029', '\ud800']) {
    assert.throws(() => validateBlockPageText({ ...ok, heading: `a${bad}b` }), refused(/invisible or control character \(U\+/), JSON.stringify(bad));
    assert.throws(() => validateBlockPageText({ ...ok, explanation: `a${bad}b` }), refused(/invisible or control/), JSON.stringify(bad));
  }
  assert.throws(() => validateBlockPageText({ ...ok, heading: 'line\nbreak' }), refused(/U\+000A/), 'only the explanation may have line breaks');
  assert.throws(() => validateBlockPageText({ ...ok, whoToAsk: 'line\nbreak' }), refused(/U\+000A/));
});
