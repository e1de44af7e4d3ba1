import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DomainTableBuilder, fingerprint } from '../../../src/core/lists/domain-table.ts';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 2, maxLength: 5 }).map((ls) => ls.join('.'));

function table(names: string[], tagOf = (i: number) => i % 1000) {
  const b = new DomainTableBuilder(4);
  names.forEach((n, i) => b.add(n, tagOf(i)));
  return b.build();
}

test('every added name is found, with its tag', () => {
  fc.assert(
    fc.property(fc.uniqueArray(domain, { maxLength: 300 }), (names) => {
      const t = table(names);
      names.forEach((n, i) => assert.equal(t.get(n), i % 1000));
      assert.equal(t.size, names.length);
    }),
    { numRuns: 200 },
  );
});

test('a name matches itself and its subdomains, by whole labels only', () => {
  const t = table(['blocked.com']);
  const out = new Int32Array(8);
  assert.equal(t.collect('blocked.com', out), 1);
  assert.equal(t.collect('www.blocked.com', out), 1);
  assert.equal(t.collect('a.b.c.blocked.com', out), 1);
  assert.equal(t.collect('notblocked.com', out), 0);
  assert.equal(t.collect('blocked.com.evil.net', out), 0);
  assert.equal(t.collect('blocked.co', out), 0);
  assert.equal(t.collect('com', out), 0);
});

test('collect reports every listed parent, most specific first', () => {
  const t = table(['example.com', 'ads.example.com', 'x.ads.example.com'], (i) => i + 1);
  const out = new Int32Array(8);
  const n = t.collect('y.x.ads.example.com', out);
  assert.deepEqual([...out.subarray(0, n)], [3, 2, 1]);
});

test('property: collect finds a listed parent of any generated subdomain, and never an unlisted sibling', () => {
  fc.assert(
    fc.property(fc.uniqueArray(domain, { minLength: 1, maxLength: 50 }), label, label, (names, sub, other) => {
      const t = table(names, () => 7);
      const out = new Int32Array(64);
      for (const n of names) assert.ok(t.collect(`${sub}.${n}`, out) >= 1);
      const sibling = `${other}x${names[0]}`; // shares a suffix of characters, not of labels
      if (!names.some((n) => sibling === n || sibling.endsWith(`.${n}`))) assert.equal(t.collect(sibling, out), 0);
    }),
    { numRuns: 200 },
  );
});

test('duplicates merge their tags and are stored once', () => {
  const b = new DomainTableBuilder(4, (a, c) => a * 10 + c);
  b.add('dup.example', 1);
  b.add('dup.example', 2);
  const t = b.build();
  assert.equal(t.size, 1);
  assert.equal(t.get('dup.example'), 12);
});

test('the table grows past its expected size and stays correct', () => {
  const names = Array.from({ length: 50_000 }, (_, i) => `n${i}.grow.test`);
  const t = table(names);
  assert.equal(t.size, 50_000);
  for (let i = 0; i < names.length; i += 997) assert.equal(t.get(names[i]!), i % 1000);
  assert.equal(t.keys.length, 150_000, 'three 16-bit words a name');
  assert.ok(t.starts.length - 1 >= 50_000 / 4, 'about four names a bucket at most, on average');
});

test('tags are stored as narrow as the largest tag allows', () => {
  assert.equal(table(['a.example'], () => 255).tags.BYTES_PER_ELEMENT, 1);
  assert.equal(table(['a.example'], () => 256).tags.BYTES_PER_ELEMENT, 2);
  assert.equal(table(['a.example'], () => 70_000).tags.BYTES_PER_ELEMENT, 4);
  assert.equal(table(['a.example'], () => 70_000).get('a.example'), 70_000);
});

test('fingerprint is what a suffix scan reaches, and depends on order', () => {
  const t = table(['a.example', 'b.example.org']);
  const out = new Int32Array(4);
  assert.equal(t.collect('x.b.example.org', out), 1);
  assert.deepEqual(fingerprint('a.example'), fingerprint('a.example'));
  assert.notDeepEqual(fingerprint('a.example'), fingerprint('example.a'));
});
