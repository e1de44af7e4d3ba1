// The JSON-lines activity log the DNS server writes: lines go into byte chunks as they come and
// the day's file stays open between batches, so these check what that could get wrong.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { activityLine, type ActivityRecord } from '../../src/core/activity/record.ts';
import { JsonlActivityLog } from '../../src/storage/files/activity-log.ts';

function record(i: number, name = `n${i}.example`): ActivityRecord {
  return {
    time: '2026-11-23T10:00:00.000Z', source: 'dns', transport: 'udp', client: '192.0.2.10', user: null, device: null, groups: ['pupils-ks2'],
    name, type: 'A', action: 'allow', answer: 'cached', tier: 'default', verdict: null, category: null, rule: null, list: null, latencyMs: i / 1000,
  };
}

const linesOf = (dir: string) => readFileSync(join(dir, 'dns', '2026-11-23.jsonl'), 'utf8').split('\n').slice(0, -1);

test('every line is activityLine(record), in order, across chunks, with multi-byte text and an oversized line', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-dnslog-'));
  const log = new JsonlActivityLog(dir, { batchSize: 5000, flushMs: 60_000 });
  const records: ActivityRecord[] = [];
  for (let i = 0; i < 3000; i++) records.push(record(i, i % 7 === 0 ? `ünïcödé-${i}.example` : i % 11 === 0 ? `"quoted\\${i}".example` : undefined));
  records.splice(1500, 0, record(1500, 'x'.repeat(300_000))); // more than a chunk by itself
  for (const r of records) log.append(r);
  await log.close();
  const lines = linesOf(dir);
  assert.equal(lines.length, records.length);
  lines.forEach((l, i) => assert.equal(l, activityLine(records[i]!), `line ${i}`));
  assert.equal(log.written, records.length);
  rmSync(dir, { recursive: true, force: true });
});

test('a log file removed while the server runs is created again', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-dnslog-'));
  let now = 1_000_000;
  const realNow = Date.now;
  Date.now = () => now; // the log reopens its file after a second of its clock
  try {
    const log = new JsonlActivityLog(dir, { batchSize: 10_000, flushMs: 60_000 });
    log.append(record(1));
    await log.flush();
    rmSync(join(dir, 'dns', '2026-11-23.jsonl'));
    now += 1500;
    log.append(record(2));
    await log.close();
    assert.deepEqual(linesOf(dir).map((l) => JSON.parse(l).name), ['n2.example']);
  } finally {
    Date.now = realNow;
  }
  rmSync(dir, { recursive: true, force: true });
});

test('a log that cannot be written keeps at most maxWaiting records, drops and reports the rest, and writes the kept ones once it can', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rf-dnslog-'));
  const blocked = join(dir, 'logs');
  writeFileSync(blocked, 'a file where the log folder should be'); // mkdir under it fails
  const errors: string[] = [];
  const log = new JsonlActivityLog(blocked, { batchSize: 10, flushMs: 60_000, maxWaiting: 25, onError: (e) => errors.push(e.message) });
  for (let i = 0; i < 40; i++) log.append(record(i));
  await log.flush();
  assert.equal(log.written, 0);
  assert.equal(log.dropped, 15, 'the 15 past the bound');
  await log.flush();
  assert.ok(errors.some((m) => /15 activity records dropped/.test(m)), errors.join('\n'));
  rmSync(blocked);
  await log.close();
  assert.equal(log.written, 25, 'every record kept is written once the folder can be made');
  assert.deepEqual(linesOf(blocked).map((l) => (JSON.parse(l) as { name: string }).name), Array.from({ length: 25 }, (_, i) => `n${i}.example`));
  rmSync(dir, { recursive: true, force: true });
});
