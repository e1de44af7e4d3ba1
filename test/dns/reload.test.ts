// Live policy: new snapshots swap in without dropping queries; a broken one leaves the last good
// in force; a cold start uses the newest snapshot that loads, and refuses to run without any.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dnsPacket from 'dns-packet';
import { importLists } from '../../src/services/lists/import.ts';
import { silentProgress } from '../../src/services/ports.ts';
import { parseDnsConfig } from '../../src/server/dns-config.ts';
import { startDnsService, type DnsService } from '../../src/server/dns-service.ts';
import { rebuildSnapshot } from '../../src/server/wiring.ts';
import { FileListStore } from '../../src/storage/files/list-store.ts';
import { SnapshotStore } from '../../src/storage/files/snapshot-store.ts';
import { fixtureAddress, startDnsFixture, type DnsFixture } from '../support/dns-fixture.ts';
import { answers, dig } from '../support/dns-clients.ts';

let upstream: DnsFixture;
let service: DnsService;
let dataDir: string;
const said: string[] = [];
const NAME = 'newly-blocked.example.test';

function config() {
  return parseDnsConfig({ listen: '127.0.0.1:0', upstream: `127.0.0.1:${upstream.port}`, data: dataDir, 'rate-limit': '0' });
}

async function answer(name: string, port = service.udp.port): Promise<string | undefined> {
  return answers((await dig(port, name)).stdout)[0]?.[4];
}

before(async () => {
  upstream = await startDnsFixture();
  dataDir = mkdtempSync(join(tmpdir(), 'rf-dns-reload-'));
  service = await startDnsService(config(), (l) => said.push(l));
});

after(async () => {
  await service?.stop();
  await upstream?.close();
});

test('a new snapshot is picked up by the file watcher and enforced', async () => {
  assert.equal(await answer(NAME), fixtureAddress(NAME));
  const file = join(dataDir, 'new.txt');
  writeFileSync(file, `${NAME}\n`);
  const store = new FileListStore(dataDir);
  await importLists({ format: 'domains', path: file, name: 'school/extra', category: 'gambling' }, { store, progress: silentProgress, now: () => new Date() });
  await rebuildSnapshot(dataDir, store, silentProgress);
  let got: string | undefined;
  for (let i = 0; i < 50 && got !== '0.0.0.0'; i++) {
    await new Promise((r) => setTimeout(r, 100));
    got = await answer(NAME);
  }
  assert.equal(got, '0.0.0.0', 'blocked within 5 s of publishing, without a restart');
});

test('reloads under load drop no query', async () => {
  const socket = createSocket('udp4');
  const ids = new Set<number>();
  socket.on('message', (m) => ids.add(m.readUInt16BE(0)));
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  const reloads: Promise<boolean>[] = [];
  for (let i = 0; i < 300; i++) {
    socket.send(dnsPacket.encode({ type: 'query', id: i, questions: [{ type: 'A', name: i % 2 ? NAME : 'www.bet365.com' }] }), service.udp.port, '127.0.0.1');
    if (i % 60 === 0) reloads.push(service.reload());
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
  assert.ok((await Promise.all(reloads)).every(Boolean));
  for (let i = 0; i < 40 && ids.size < 300; i++) await new Promise((r) => setTimeout(r, 50));
  socket.close();
  assert.equal(ids.size, 300, 'every query answered');
});

test('a snapshot that fails to load leaves the last good one in force, and is reported', async () => {
  const snapshots = new SnapshotStore(dataDir);
  const good = snapshots.current()!;
  writeFileSync(join(snapshots.dir, 'categories-v99.rfsnap'), 'not a snapshot');
  writeFileSync(join(snapshots.dir, 'current.json'), JSON.stringify({ version: 99, file: 'categories-v99.rfsnap' }));
  // The watcher or this call: either way the result must be the same.
  await service.reload();
  assert.equal(await answer(NAME), '0.0.0.0', 'still blocked by the last good snapshot');
  assert.ok(said.some((l) => /skipped a damaged snapshot: .*categories-v99\.rfsnap is corrupt/.test(l)), said.join('\n'));
  assert.match(said.at(-1)!, /enforcing lists v2/);
  writeFileSync(join(snapshots.dir, 'current.json'), JSON.stringify(good));
});

test('a cold start uses the newest snapshot that loads; with none loadable it refuses to start', async () => {
  const snapshots = new SnapshotStore(dataDir);
  writeFileSync(join(snapshots.dir, 'current.json'), JSON.stringify({ version: 99, file: 'categories-v99.rfsnap' }));
  const second = await startDnsService(config(), () => {});
  try {
    assert.equal(await answer(NAME, second.udp.port), '0.0.0.0', 'the newest good snapshot (v2) is enforced');
  } finally {
    await second.stop();
  }
  for (const f of readdirSync(snapshots.dir)) if (f.endsWith('.rfsnap')) writeFileSync(join(snapshots.dir, f), 'damaged');
  await assert.rejects(startDnsService(config(), () => {}), /no category snapshot .* can be read/);
});
