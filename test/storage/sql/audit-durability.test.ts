// Acknowledged audit entries survive the writer being killed (SIGKILL) at any moment: a child
// process appends in a loop and prints each sequence number once append() has resolved; it is
// killed at random points, several times; every entry it acknowledged must be there, unchanged,
// and the chain (with its checkpoint) must still verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verifyAudit } from '../../../src/services/audit/verify-audit.ts';
import { AuditCheckpointFile } from '../../../src/storage/sql/audit-checkpoint-file.ts';
import { auditCheckpointPath, auditSealFunctions, readAuditKey } from '../../../src/storage/sql/audit-key-file.ts';
import { SqlAuditRepository } from '../../../src/storage/sql/audit-repository.ts';
import type { DatabaseConfig } from '../../../src/storage/sql/config.ts';
import { openDatabase } from '../../../src/storage/sql/database.ts';
import { startAppender } from './fixtures/run-appender.ts';

const ROUNDS = 4;

/** A writer started ahead of time: loaded and waiting for "go" (see fixtures/audit-appender.ts). */
interface Writer {
  readonly child: ChildProcess;
  readonly lines: AsyncIterator<string>;
}

async function startWriter(config: DatabaseConfig, keyPath: string, round: number): Promise<Writer> {
  const child = startAppender(config, keyPath, 'forever', `round${round}`, { wait: true });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  assert.equal(first.value, 'ready');
  return { child, lines };
}

/** Lets the writer go, kills it with SIGKILL after a random number of acknowledgements (plus a random moment), returns what it acknowledged. */
async function appendUntilKilled(writer: Writer, round: number): Promise<Map<number, string>> {
  const { child, lines } = writer;
  const acked = new Map<number, string>();
  const killAfter = randomInt(1, 30);
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  child.stdin!.write('go\n');
  let killing = false;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const [word, seq, hash] = next.value.split(' ');
    if (word !== 'acked') continue;
    acked.set(Number(seq), hash!);
    if (acked.size >= killAfter && !killing) {
      killing = true;
      // A random moment inside the next append: mid-transaction, mid-commit or mid-checkpoint.
      setTimeout(() => child.kill('SIGKILL'), randomInt(0, 8));
    }
  }
  assert.equal(await closed, 'SIGKILL', `round ${round}: the writer stopped by itself: ${stderr}`);
  return acked;
}

test('every audit entry acknowledged before SIGKILL is present and the chain verifies', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'rf-durability-'));
  try {
    const config: DatabaseConfig = { kind: 'sqlite', file: join(dir, 'ringfence.db') };
    const keyPath = join(dir, 'keys', 'audit.key');
    const acked = new Map<number, string>();
    // All loaded at once, then let go one after another, each on the database the last one left.
    const writers = await Promise.all(Array.from({ length: ROUNDS }, (_, round) => startWriter(config, keyPath, round)));
    for (const [round, writer] of writers.entries()) {
      for (const [seq, hash] of await appendUntilKilled(writer, round)) {
        assert.ok(!acked.has(seq), `sequence number ${seq} was acknowledged twice`);
        acked.set(seq, hash);
      }
    }
    assert.ok(acked.size >= ROUNDS);
    const database = await openDatabase(config);
    try {
      const repository = new SqlAuditRepository(database);
      for (const [seq, hash] of acked) assert.equal((await repository.entryAt(seq))?.hash, hash, `acknowledged entry ${seq} is missing or changed`);
      const checkpoints = new AuditCheckpointFile(auditCheckpointPath(keyPath));
      const result = await verifyAudit({ repository, checkpoints, seal: auditSealFunctions(readAuditKey(keyPath)!) });
      assert.equal(result.problem, null, result.problem?.message);
      assert.ok(result.verified >= Math.max(...acked.keys()));
    } finally {
      await database.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
