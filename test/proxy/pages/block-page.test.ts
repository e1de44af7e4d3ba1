// The block page: what was blocked and why in plain words, the links to the console, nothing
// loaded from anywhere, and plain words for every category of the default pack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { CONSOLE_PATHS, blockPage, checkConsoleUrl, type BlockPageInput } from '../../../src/proxy/pages/block-page.ts';
import { CATEGORY_WORDS, PAGE_TEXT } from '../../../src/proxy/pages/text.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

const input: BlockPageInput = {
  url: 'http://bet.example.test/odds/today?team=home',
  host: 'bet.example.test',
  path: '/odds/today?team=home',
  category: 'gambling',
  requestId: 'req-7f3a',
  time: Date.UTC(2025, 6, 3, 13, 5), // 14:05 in London (BST)
  consoleUrl: 'https://console.school.test/ringfence',
};

/** The hrefs of the page's links, entity-decoded. */
function links(body: string): URL[] {
  return [...body.matchAll(/<a href="([^"]*)"/g)].map((m) => new URL(m[1]!.replaceAll('&amp;', '&')));
}

test('says what was blocked and why, in plain words', () => {
  const page = blockPage(input);
  assert.equal(page.status, 403);
  assert.match(page.body, /<html lang="en">/);
  assert.match(page.body, /<title>This site is blocked<\/title>/);
  assert.match(page.body, /This site is blocked at school because it is in the category: <strong>Gambling<\/strong>\./);
  assert.match(page.body, /This category covers betting and gambling\./);
  assert.match(page.body, /<dt>Site<\/dt><dd>bet\.example\.test\/odds\/today\?team=home<\/dd>/);
  assert.match(page.body, /<dt>Time<\/dt><dd>3 July 2025 at 14:05<\/dd>/);
  assert.match(page.body, /<dt>Reference<\/dt><dd><code>req-7f3a<\/code><\/dd>/);
  const hacking = blockPage({ ...input, category: 'cyber-crime' }).body.replace(/href="[^"]*"/g, '');
  assert.doesNotMatch(hacking, /cyber-crime/, 'the category id (a rule internal) is only in the link');
  assert.match(hacking, /<strong>Hacking and scams<\/strong>/);
});

test('links to ask for an unblock (teachers) and to report a problem (anyone), carrying the site', () => {
  const page = blockPage(input);
  const [unblock, report] = links(page.body);
  assert.equal(links(page.body).length, 2);
  assert.equal(unblock!.origin + unblock!.pathname, `https://console.school.test/ringfence/${CONSOLE_PATHS.unblock}`);
  assert.deepEqual(Object.fromEntries(unblock!.searchParams), { url: input.url, ref: 'req-7f3a', category: 'gambling' });
  assert.equal(report!.pathname, `/ringfence/${CONSOLE_PATHS.report}`);
  assert.deepEqual(Object.fromEntries(report!.searchParams), { url: input.url, ref: 'req-7f3a' });
  assert.match(page.body, />Ask for this site to be unblocked<\/a><span class="who">for teachers<\/span>/);
  assert.match(page.body, />Report a problem<\/a>/);
});

test('nothing to load, nothing to run: inline CSS only, and a CSP that allows only that', () => {
  const page = blockPage(input);
  assert.doesNotMatch(page.body, /<script|<img|<link|<iframe|<object|<embed|<form|<svg|\bsrc=|url\(|@import|\bon[a-z]+=/i);
  for (const href of links(page.body)) assert.equal(href.origin, 'https://console.school.test');
  const csp = page.headers['Content-Security-Policy']!;
  assert.match(csp, /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
  assert.equal(page.headers['Content-Type'], 'text/html; charset=utf-8');
  assert.equal(page.headers['X-Content-Type-Options'], 'nosniff');
  assert.equal(page.headers['Cache-Control'], 'no-store');
});

test('every category of the default pack has plain words', () => {
  const pack = parseYaml(readFileSync('packs/default/policy-pack.yaml', 'utf8')) as { categories: Record<string, unknown> };
  const ids = Object.keys(pack.categories);
  assert.ok(ids.length >= 20);
  for (const id of ids) {
    assert.ok(Object.hasOwn(CATEGORY_WORDS, id), `plain words for ${id}`);
    const page = blockPage({ ...input, category: id });
    assert.ok(page.body.includes(`<strong>${CATEGORY_WORDS[id]!.name.replaceAll("'", '&#39;')}</strong>`), id);
  }
});

test("categories without plain words use the policy's title, else say it is not allowed at school", () => {
  const own = blockPage({ ...input, category: 'school-own', categoryTitle: 'Homework answers', categoryDescription: 'sites that do homework for you' });
  assert.match(own.body, /category: <strong>Homework answers<\/strong>\./);
  assert.match(own.body, /This category covers sites that do homework for you\./);
  const titleOnly = blockPage({ ...input, category: 'school-own', categoryTitle: 'Homework answers' });
  assert.doesNotMatch(titleOnly.body, /This category covers/);
  const none = blockPage({ ...input, category: null });
  assert.match(none.body, /<p class="lead">This site is blocked at school because it is not allowed at school\.<\/p>/);
  const blank = blockPage({ ...input, category: 'school-own', categoryTitle: '  ' });
  assert.match(blank.body, /not allowed at school/);
});

test('long paths are shortened on the page but kept whole in the links', () => {
  const path = `/${'a'.repeat(100)}?q=${'😀'.repeat(30)}`;
  const page = blockPage({ ...input, path, url: `http://bet.example.test${path}` });
  const shown = /<dt>Site<\/dt><dd>([^<]*)<\/dd>/.exec(page.body)![1]!;
  assert.equal(Array.from(shown).length, 'bet.example.test'.length + 60);
  assert.ok(shown.endsWith('…'));
  assert.equal(links(page.body)[0]!.searchParams.get('url'), `http://bet.example.test${path}`);
  const root = blockPage({ ...input, path: '/' });
  assert.match(root.body, /<dd>bet\.example\.test<\/dd>/);
});

test('a school can change the words', () => {
  const text = { ...PAGE_TEXT, block: { ...PAGE_TEXT.block, title: 'Not at school, sorry', because: 'Sites about {category} are not for school.' } };
  const page = blockPage({ ...input, text });
  assert.match(page.body, /<title>Not at school, sorry<\/title>/);
  assert.match(page.body, /Sites about <strong>Gambling<\/strong> are not for school\./);
});

test('the time in another zone, or in UTC when the zone is unknown', () => {
  assert.match(blockPage({ ...input, timeZone: 'UTC' }).body, /3 July 2025 at 13:05/);
  assert.match(blockPage({ ...input, timeZone: 'Not/AZone' }).body, /2025-07-03T13:05:00\.000Z/);
});

test('the console URL is checked, with clear errors', () => {
  assert.equal(checkConsoleUrl('https://console.school.test'), 'https://console.school.test/');
  assert.equal(checkConsoleUrl('http://10.0.0.5:8080/rf'), 'http://10.0.0.5:8080/rf/');
  for (const [bad, message] of [
    ['console.school.test', /is not an absolute URL/],
    ['ftp://console.school.test/', /must start with http:\/\/ or https:\/\//],
    ['javascript:alert(1)', /must start with http/],
    ['https://console.school.test/?a=1', /must not have a query/],
    ['https://user@console.school.test/', /user name/],
  ] as const) {
    assert.throws(() => blockPage({ ...input, consoleUrl: bad }), (e: unknown) => {
      assert.ok(e instanceof RingfenceError);
      assert.equal(e.code, ErrorCodes.URL_INVALID);
      assert.equal(e.input, bad);
      assert.match(e.message, message);
      return true;
    });
  }
});
