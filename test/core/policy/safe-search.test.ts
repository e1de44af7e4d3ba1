import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { safeSearchRewrite, youtubeLevel } from '../../../src/core/policy/safe-search.ts';
import { circumventionCanary } from '../../../src/core/policy/circumvention.ts';

const settings = { required: true, youtube: { 'pupils-ks2': 'strict' as const, staff: 'moderate' as const, technical: 'off' as const } };

test('the expected CNAMEs of ../shared/data/safesearch', () => {
  const rows = readFileSync('../shared/data/safesearch/DERIVED_safesearch_cname_expectations.csv', 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [engine, name, expected] = row.split(',') as [string, string, string];
    assert.deepEqual(safeSearchRewrite(name, settings, ['pupils-ks2']), { engine, target: expected });
  }
});

test('every Google search domain, and only search hosts', () => {
  for (const host of ['google.com', 'www.google.co.uk', 'www.google.com.au', 'google.de', 'www.google.co.jp']) {
    assert.equal(safeSearchRewrite(host, settings, [])?.target, 'forcesafesearch.google.com', host);
  }
  for (const host of ['mail.google.com', 'google.example', 'notgoogle.com', 'maps.google.com', 'youtube.com.evil.test']) {
    assert.equal(safeSearchRewrite(host, settings, []), null, host);
  }
  assert.equal(safeSearchRewrite('www.google.com', { required: false, youtube: {} }, []), null, 'off when not required');
});

test('YouTube: the strictest level among the groups; strict when none says; off means no rewrite', () => {
  assert.equal(youtubeLevel(settings, ['staff']), 'moderate');
  assert.equal(youtubeLevel(settings, ['staff', 'pupils-ks2']), 'strict');
  assert.equal(youtubeLevel(settings, ['guests']), 'strict');
  assert.equal(safeSearchRewrite('m.youtube.com', settings, ['staff'])?.target, 'restrictmoderate.youtube.com');
  assert.equal(safeSearchRewrite('www.youtube.com', settings, ['technical']), null);
});

test('canaries', () => {
  assert.ok(circumventionCanary('use-application-dns.net'));
  assert.ok(circumventionCanary('mask-h2.icloud.com'));
  assert.equal(circumventionCanary('www.use-application-dns.net'), null);
});
