import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClientMap } from '../../src/core/directory/client-map.ts';
import { LiveEnforcement, type EnforcementEvent, type Enforcing } from '../../src/services/live-enforcement.ts';
import { JsonlActivityLog } from '../../src/storage/files/activity-log.ts';
import type { ActivityRecord } from '../../src/core/activity/record.ts';

function enforcing(version: string): Enforcing {
  return { engine: { warnings: [] } as never, clients: ClientMap.empty(), version, loadedAt: new Date(), problems: [] };
}

test('a failed reload keeps the last good enforcement and reports it', async () => {
  let next: () => Promise<Enforcing> = async () => enforcing('v1');
  const events: EnforcementEvent[] = [];
  const live = new LiveEnforcement(() => next(), (e) => events.push(e));
  await live.start();
  next = async () => {
    throw new Error('snapshot v2 is corrupt');
  };
  assert.equal(await live.reload(), false);
  assert.equal(live.current().version, 'v1');
  assert.deepEqual(events.at(-1), { kind: 'reload-failed', error: new Error('snapshot v2 is corrupt'), keeping: 'v1' });
  next = async () => enforcing('v3');
  assert.equal(await live.reload(), true);
  assert.equal(live.current().version, 'v3');
});

test('a first load that fails is an error: nothing safe to serve', async () => {
  const live = new LiveEnforcement(async () => {
    throw new Error('no policy');
  });
  await assert.rejects(live.start(), /no policy/);
  assert.throws(() => live.current(), /before start/);
});

function record(i: number, time = '2026-11-23T10:00:00.000Z'): ActivityRecord {
  return { time, source: 'dns', transport: 'udp', client: '10.0.0.1', user: null, device: null, groups: [], name: `n${i}.example`, type: 'A', action: 'allow', answer: 'forwarded', tier: 'default', verdict: null, category: null, rule: null, list: null, latencyMs: 0.1 };
}

test('the activity log writes batches in order, per day, and loses nothing on close', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-log-'));
  const log = new JsonlActivityLog(dir, { batchSize: 100, flushMs: 60_000 });
  for (let i = 0; i < 1050; i++) log.append(record(i, i < 1000 ? '2026-11-23T23:59:59.000Z' : '2026-11-24T00:00:00.000Z'));
  await log.close();
  const day1 = readFileSync(join(dir, 'dns', '2026-11-23.jsonl'), 'utf8').trim().split('\n');
  const day2 = readFileSync(join(dir, 'dns', '2026-11-24.jsonl'), 'utf8').trim().split('\n');
  assert.equal(day1.length, 1000);
  assert.equal(day2.length, 50);
  assert.deepEqual(day1.map((l) => JSON.parse(l).name), Array.from({ length: 1000 }, (_, i) => `n${i}.example`));
  assert.deepEqual(readdirSync(join(dir, 'dns')).sort(), ['2026-11-23.jsonl', '2026-11-24.jsonl']);
  assert.throws(() => log.append(record(0)), /closed/);
});

test('a failed write keeps the batch for the next flush', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-log-'));
  const errors: Error[] = [];
  // A file where the log wants a folder makes the first write fail.
  const { writeFileSync, rmSync } = await import('node:fs');
  writeFileSync(join(dir, 'dns'), 'in the way');
  const log = new JsonlActivityLog(dir, { flushMs: 60_000, onError: (e) => errors.push(e) });
  log.append(record(1));
  await log.flush();
  assert.equal(errors.length, 1);
  rmSync(join(dir, 'dns'));
  await log.close();
  assert.equal(readFileSync(join(dir, 'dns', '2026-11-23.jsonl'), 'utf8').trim().split('\n').length, 1);
});

test('reloadAfterChange never shares a load that started before it', async () => {
  let files = 'old';
  let release: () => void = () => {};
  const gate = new Promise<void>((r) => (release = r));
  let calls = 0;
  const live = new LiveEnforcement(async () => {
    const read = files; // what a load reads, at its start
    if (++calls === 2) await gate;
    return enforcing(read);
  });
  await live.start();
  const inFlight = live.reload();
  files = 'new';
  const after = live.reloadAfterChange();
  release();
  assert.deepEqual(await Promise.all([inFlight, after]), [true, true]);
  assert.equal(live.current().version, 'new');
  assert.equal(calls, 3);
});
