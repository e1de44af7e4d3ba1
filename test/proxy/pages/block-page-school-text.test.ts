// The school's own words on the block page: heading, explanation and who to talk to, escaped like
// every other string, with the category line, facts and links unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { blockPage, type BlockPageInput } from '../../../src/proxy/pages/block-page.ts';
import { DEFAULT_BLOCK_PAGE_TEXT, validateBlockPageText } from '../../../src/core/org/block-page-text.ts';

const input: BlockPageInput = {
  url: 'http://bet.example.test/odds',
  host: 'bet.example.test',
  path: '/odds',
  category: 'gambling',
  requestId: 'req-1',
  time: Date.UTC(2025, 6, 3, 13, 5),
  consoleUrl: 'https://console.school.test/',
};

test('the defaults give exactly today’s page', () => {
  assert.equal(blockPage({ ...input, school: DEFAULT_BLOCK_PAGE_TEXT }).body, blockPage(input).body);
});

test('the heading, explanation paragraphs and who-to-ask line are the school’s', () => {
  const school = validateBlockPageText({ heading: 'Not available in school', explanation: 'We keep the internet safe.\nAsk if unsure.', whoToAsk: 'Talk to the office.' });
  const body = blockPage({ ...input, school }).body;
  assert.match(body, /<title>Not available in school<\/title>/);
  assert.match(body, /<h1>Not available in school<\/h1>/);
  assert.match(body, /This category covers betting and gambling\.<\/p>\n<p>We keep the internet safe\.<\/p>\n<p>Ask if unsure\.<\/p>/);
  assert.match(body, /<h2>What can I do\?<\/h2>\n<p>Talk to the office\.<\/p>/);
  assert.match(body, /category: <strong>Gambling<\/strong>/, 'the category line stays');
  assert.equal((body.match(/<a href=/g) ?? []).length, 2, 'the links stay');
});

test('markup-looking text is shown escaped, never as markup', () => {
  const school = validateBlockPageText({ heading: '<script>alert(1)</script>', explanation: '<img src=x onerror=alert(1)> & "quotes"', whoToAsk: "<a href='https://evil.test/'>here</a>" });
  const body = blockPage({ ...input, school }).body;
  assert.doesNotMatch(body, /<script|<img|evil\.test\/'>/);
  assert.match(body, /<h1>&lt;script&gt;alert\(1\)&lt;\/script&gt;<\/h1>/);
  assert.match(body, /<p>&lt;img src=x onerror=alert\(1\)&gt; &amp; &quot;quotes&quot;<\/p>/);
  assert.match(body, /<p>&lt;a href=&#39;https:\/\/evil\.test\/&#39;&gt;here&lt;\/a&gt;<\/p>/);
});
