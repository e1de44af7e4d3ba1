// Error pages: the right status for each kind, the block page's look, the details filled in.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_STATUS, errorPage, type ErrorPageKind } from '../../../src/proxy/pages/error-page.ts';
import { blockPage } from '../../../src/proxy/pages/block-page.ts';
import { PAGE_TEXT } from '../../../src/proxy/pages/text.ts';

const styleOf = (body: string): string => /<style>[\s\S]*<\/style>/.exec(body)![0];
const KINDS = Object.keys(ERROR_STATUS) as ErrorPageKind[];

test('each kind has its status, its own title, and the look of the block page', () => {
  const block = blockPage({ url: 'http://a.test/', host: 'a.test', category: null, requestId: 'r', time: 0, consoleUrl: 'http://c.test/' });
  const expected: Record<string, number> = {
    'bad-request': 400, 'port-not-allowed': 403, 'not-found': 404, 'method-not-allowed': 405, 'auth-required': 407,
    'request-timeout': 408, 'expectation-failed': 417, 'too-many-connections': 429, 'headers-too-large': 431,
    'not-implemented': 501, 'upstream-unreachable': 502, 'service-unavailable': 503, 'upstream-timeout': 504,
  };
  assert.deepEqual(ERROR_STATUS, expected);
  const titles = new Set<string>();
  for (const kind of KINDS) {
    const page = errorPage(kind);
    assert.equal(page.status, expected[kind], kind);
    assert.equal(styleOf(page.body), styleOf(block.body), `${kind}: same stylesheet`);
    assert.deepEqual(page.headers, block.headers, `${kind}: same headers`);
    assert.ok(page.body.includes(`<h1>${PAGE_TEXT.errors[kind].title}</h1>`), kind);
    titles.add(PAGE_TEXT.errors[kind].title);
    assert.doesNotMatch(page.body, /\{[a-z]+\}/, `${kind}: no template left unfilled`);
    assert.doesNotMatch(page.body, /<a /, `${kind}: no console link without a console URL`);
  }
  assert.equal(titles.size, KINDS.length);
});

test('an unreachable site: 502, naming the site, with a reference and a report link', () => {
  const page = errorPage('upstream-unreachable', {
    host: 'down.example.test', path: '/news', url: 'http://down.example.test/news', requestId: 'req-1', time: Date.UTC(2025, 0, 6, 9, 30),
    consoleUrl: 'https://console.school.test/',
  });
  assert.equal(page.status, 502);
  assert.match(page.body, /could not connect to down\.example\.test\./);
  assert.match(page.body, /<dt>Site<\/dt><dd>down\.example\.test\/news<\/dd>/);
  assert.match(page.body, /<dt>Time<\/dt><dd>6 January 2025 at 09:30<\/dd>/);
  assert.match(page.body, /<dt>Reference<\/dt><dd><code>req-1<\/code><\/dd>/);
  const href = /<a href="([^"]*)">Report a problem<\/a>/.exec(page.body)![1]!.replaceAll('&amp;', '&');
  const url = new URL(href);
  assert.equal(url.pathname, '/report');
  assert.deepEqual(Object.fromEntries(url.searchParams), { url: 'http://down.example.test/news', ref: 'req-1', problem: 'upstream-unreachable' });
});

test('details are filled in: port, host, reason; "this site" when no host is known', () => {
  assert.match(errorPage('port-not-allowed', { host: 'a.test', port: 8443 }).body, /Connections to port 8443 go through/);
  assert.match(errorPage('headers-too-large', { host: 'a.test' }).body, /Clearing the cookies for a\.test often fixes this/);
  assert.match(errorPage('upstream-timeout').body, /did not get an answer from this site in time/);
  const bad = errorPage('bad-request', { reason: 'only "Transfer-Encoding: chunked" is accepted' });
  assert.match(bad.body, /<dt>Details<\/dt><dd>only &quot;Transfer-Encoding: chunked&quot; is accepted<\/dd>/);
  assert.doesNotMatch(errorPage('bad-request').body, /<dl>/, 'no empty facts list');
});

test('a long reason is cut', () => {
  const page = errorPage('bad-request', { reason: 'x'.repeat(1000) });
  const shown = /<dt>Details<\/dt><dd>([^<]*)<\/dd>/.exec(page.body)![1]!;
  assert.equal(shown.length, 300);
});
