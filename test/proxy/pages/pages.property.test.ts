// Escaping, as properties: whatever a request puts into a page (host, URL, path, category label,
// reason, reference) adds no markup, no quotes, no invisible characters, and no links.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { escapeHtml, shorten } from '../../../src/proxy/pages/escape.ts';
import { blockPage, type BlockPageInput } from '../../../src/proxy/pages/block-page.ts';
import { ERROR_STATUS, errorPage, type ErrorPageKind } from '../../../src/proxy/pages/error-page.ts';
import { CATEGORY_WORDS } from '../../../src/proxy/pages/text.ts';

const RUNS = { numRuns: 1500 };
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

// Strings that try hard: markup, quotes, entities, bidi overrides, lone surrogates, emoji.
const nasty = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.array(fc.constantFrom('<', '>', '"', "'", '&', '&amp;', '<a href="x">', '</dd>', '\u202e', '\u0000', '\n', '\ud800', '😀', '{host}', 'javascript:'), { maxLength: 12 }).map((xs) => xs.join('')),
);
/** Non-blank after trimming, so the page keeps one shape whatever the value. */
const value = nasty.map((s) => `v${s}`);

const decode = (html: string): string =>
  html.replace(/&(amp|lt|gt|quot|#39);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[e]!);

test('escapeHtml: no markup characters or invisible characters out; visible text round-trips', () => {
  fc.assert(
    fc.property(nasty, (s) => {
      const out = escapeHtml(s);
      assert.doesNotMatch(out, /[<>"']/);
      assert.doesNotMatch(out, INVISIBLE);
      assert.doesNotMatch(out, /&(?!(amp|lt|gt|quot|#39);)/, 'every & starts an entity');
      if (!INVISIBLE.test(s)) assert.equal(decode(out), s);
    }),
    RUNS,
  );
  assert.equal(escapeHtml('a\u202eb\u0000'), 'a\\u202eb\\u0000');
});

test('shorten: at most max code points, never half a pair, a prefix of the input', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (s, max) => {
      const out = shorten(s, max);
      assert.ok(Array.from(out).length <= max);
      assert.doesNotMatch(out, /\p{Cs}/u);
      if (out !== s) assert.ok(s.startsWith(out.slice(0, -1)) && out.endsWith('…'));
    }),
    RUNS,
  );
});

/** Counts of what structures a page: a page made from any input must match one made from plain input. */
function shape(body: string): Record<string, number> {
  const count = (re: RegExp): number => (body.match(re) ?? []).length;
  return { lt: count(/</g), gt: count(/>/g), quot: count(/"/g), apos: count(/'/g), links: count(/<a /g), hrefs: count(/href="/g) };
}

function checkBody(body: string, plain: string): void {
  assert.deepEqual(shape(body), shape(plain));
  assert.doesNotMatch(body.replace(/\n/g, ''), INVISIBLE);
}

const category = fc.oneof(fc.constantFrom(...Object.keys(CATEGORY_WORDS)), value.map((v) => `own-${v}`));

test('block page: any input leaves the page as it is, with every value shown escaped', () => {
  fc.assert(
    fc.property(value, value, value, value, value, value, category, fc.integer(), (host, path, url, title, description, requestId, cat, time) => {
      const input: BlockPageInput = {
        host, path: `/${path}`, url, category: cat, categoryTitle: title, categoryDescription: description, requestId, time,
        consoleUrl: 'https://console.school.test/',
      };
      const plain = blockPage({ ...input, host: 'h', path: '/p', url: 'u', categoryTitle: 't', categoryDescription: 'd', requestId: 'r' });
      const body = blockPage(input).body;
      checkBody(body, plain.body);
      assert.ok(body.includes(escapeHtml(shorten(host, 1000))), 'the host is shown');
      assert.ok(body.includes(escapeHtml(requestId)), 'the reference is shown');
      if (!Object.hasOwn(CATEGORY_WORDS, cat)) assert.ok(body.includes(`<strong>${escapeHtml(title.trim())}</strong>`), 'the label is shown');
    }),
    RUNS,
  );
});

test('error pages: likewise, for every kind', () => {
  const kinds = Object.keys(ERROR_STATUS) as ErrorPageKind[];
  fc.assert(
    fc.property(fc.constantFrom(...kinds), value, value, value, value, value, fc.nat(65535), (kind, host, path, url, reason, requestId, port) => {
      const details = { host, path: `/${path}`, url, reason, requestId, port, time: 0, consoleUrl: 'http://console.school.test/' };
      const plain = errorPage(kind, { ...details, host: 'h', path: '/p', url: 'u', reason: 'r', requestId: 'i' });
      const body = errorPage(kind, details).body;
      checkBody(body, plain.body);
      assert.ok(body.includes(escapeHtml(requestId)));
    }),
    RUNS,
  );
});
