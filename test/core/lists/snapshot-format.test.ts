import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from '../../../src/core/lists/checksum.ts';
import { buildSnapshotContents, type BuilderList } from '../../../src/core/lists/snapshot-builder.ts';
import { decodeSnapshot, encodeSnapshot } from '../../../src/core/lists/snapshot-format.ts';
import type { RingfenceError } from '../../../src/core/errors.ts';
import { canonicalHost } from '../../../src/core/host/canonical.ts';

function list(id: string, domains: string[], urls: { host: string; path: string }[] = [], ips: BuilderList['ips'] = []): BuilderList {
  return {
    meta: { id, category: null, usage: 'block', illegal: false, source: 'test', format: 'domains', importedAt: '2026-01-01T00:00:00Z', counts: { domains: domains.length, urls: urls.length, ips: 0 } },
    domains,
    urls,
    ips,
  };
}

const lists = [
  list('a', ['one.example', 'shared.example'], [{ host: 'pages.example', path: '/bad' }]),
  list('b', ['two.example', 'shared.example'], [], [{ family: 4, address: '192.0.2.0', prefix: 24 }, { family: 6, address: '2001:db8::', prefix: 32 }]),
];
const contents = buildSnapshotContents(lists, { version: 7, createdAt: '2026-01-01T00:00:00Z' });

function ids(snapshotBytes: Uint8Array, target: string, path: string | null = null): string[] {
  const s = decodeSnapshot(snapshotBytes, crc32);
  const out = new Int32Array(64);
  const n = s.match(canonicalHost(target, 'list'), path, out);
  return [...out.subarray(0, n)].map((i) => s.lists[i]!.id);
}

test('a snapshot round-trips through its bytes', () => {
  const bytes = encodeSnapshot(contents, crc32);
  const s = decodeSnapshot(bytes, crc32);
  assert.equal(s.version, 7);
  assert.equal(s.domainCount, 3);
  assert.deepEqual(ids(bytes, 'www.one.example'), ['a']);
  assert.deepEqual(ids(bytes, 'shared.example').sort(), ['a', 'b']);
  assert.deepEqual(ids(bytes, 'unlisted.example'), []);
});

test('URL entries match only at or below their path, at a segment boundary', () => {
  const bytes = encodeSnapshot(contents, crc32);
  assert.deepEqual(ids(bytes, 'pages.example', '/bad'), ['a']);
  assert.deepEqual(ids(bytes, 'pages.example', '/bad/deeper?x=1'), ['a']);
  assert.deepEqual(ids(bytes, 'www.pages.example', '/bad?x'), ['a']);
  assert.deepEqual(ids(bytes, 'pages.example', '/badge'), []);
  assert.deepEqual(ids(bytes, 'pages.example', '/'), []);
  assert.deepEqual(ids(bytes, 'pages.example'), [], 'a host alone never matches a URL entry');
});

test('IP and CIDR entries match addresses inside the block', () => {
  const bytes = encodeSnapshot(contents, crc32);
  assert.deepEqual(ids(bytes, '192.0.2.77'), ['b']);
  assert.deepEqual(ids(bytes, '192.0.3.1'), []);
  assert.deepEqual(ids(bytes, '2001:db8:1::5'), ['b']);
  assert.deepEqual(ids(bytes, '2001:db9::1'), []);
});

test('loads from an unaligned buffer (a copy is made when needed)', () => {
  const bytes = encodeSnapshot(contents, crc32);
  const shifted = new Uint8Array(bytes.length + 1).subarray(1);
  shifted.set(bytes);
  assert.deepEqual(ids(shifted, 'two.example'), ['b']);
});

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as RingfenceError).code;
  }
  return 'no error';
}

test('any flipped byte, a truncation or a wrong magic is refused as corrupt, never read as empty', () => {
  const bytes = encodeSnapshot(contents, crc32);
  for (let i = 64; i < bytes.length; i += Math.max(1, Math.floor(bytes.length / 50))) {
    const copy = bytes.slice();
    copy[i] = copy[i]! ^ 0x55;
    assert.equal(code(() => decodeSnapshot(copy, crc32)), 'RF_SNAPSHOT_CORRUPT', `byte ${i}`);
  }
  assert.equal(code(() => decodeSnapshot(bytes.subarray(0, bytes.length - 9), crc32)), 'RF_SNAPSHOT_CORRUPT');
  assert.equal(code(() => decodeSnapshot(bytes.subarray(0, 10), crc32)), 'RF_SNAPSHOT_CORRUPT');
  const magic = bytes.slice();
  magic[0] = 0;
  assert.equal(code(() => decodeSnapshot(magic, crc32)), 'RF_SNAPSHOT_CORRUPT');
});

test('a snapshot of another format version asks for a rebuild', () => {
  const bytes = encodeSnapshot(contents, crc32);
  new DataView(bytes.buffer).setUint32(8, 99, true);
  assert.equal(code(() => decodeSnapshot(bytes, crc32)), 'RF_SNAPSHOT_VERSION');
});
