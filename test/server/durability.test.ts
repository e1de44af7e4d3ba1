// Acknowledged control-plane decisions survive the process being killed (SIGKILL) in the middle of
// writing: a child approves policy changes and unblock requests in a loop and prints each once its
// promise has resolved; it is killed at random points, several times, each new child carrying on
// from the database the last one left. Every acknowledged change must be published as the version
// it was given, every acknowledged unblock approved, and the audit chain must still verify.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openControlPlane } from '../../src/server/control-plane.ts';
import { openDatabase } from '../../src/storage/sql/database.ts';

const ROUNDS = 5;
const WRITER = fileURLToPath(new URL('./fixtures/control-plane-writer.ts', import.meta.url));

interface Acked {
  readonly kind: 'policy' | 'unblock';
  readonly id: string;
  readonly version: number;
}

async function writeUntilKilled(dataDir: string, round: number): Promise<Acked[]> {
  const child = spawn(process.execPath, ['--import', 'tsx', WRITER, dataDir, `r${round}`], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const closed = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  const first = await lines.next();
  assert.equal(first.value, 'ready', stderr);
  child.stdin!.write('go\n');
  const acked: Acked[] = [];
  const killAfter = randomInt(1, 12);
  let killing = false;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    const [word, kind, id, version] = next.value.split(' ');
    if (word !== 'acked') continue;
    acked.push({ kind: kind as Acked['kind'], id: id!, version: Number(version) });
    if (acked.length >= killAfter && !killing) {
      killing = true;
      // A random moment inside the next write: mid-transaction, mid-commit, mid-audit append.
      setTimeout(() => child.kill('SIGKILL'), randomInt(0, 15));
    }
  }
  assert.equal(await closed, 'SIGKILL', `round ${round}: the writer stopped by itself: ${stderr}`);
  return acked;
}

test('every policy change and unblock decision acknowledged before SIGKILL is there, and the audit chain verifies', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'rf-plane-durability-'));
  try {
    const acked: Acked[] = [];
    for (let round = 0; round < ROUNDS; round++) acked.push(...(await writeUntilKilled(dir, round)));
    assert.ok(acked.length >= ROUNDS);
    t.diagnostic(`${acked.length} acknowledged decisions (${acked.filter((a) => a.kind === 'unblock').length} unblocks) over ${ROUNDS} kills`);
    const database = await openDatabase({ kind: 'sqlite', file: join(dir, 'ringfence.db') });
    try {
      const plane = await openControlPlane(database, dir);
      for (const a of acked) {
        if (a.kind === 'policy') {
          const change = await plane.policy.findChange(a.id);
          assert.equal(change?.state, 'published', `acknowledged change ${a.id} is ${change?.state ?? 'missing'}`);
          assert.equal(change.publishedVersion, a.version);
        } else {
          const request = await plane.unblockRequests.find(a.id);
          assert.equal(request?.state, 'approved', `acknowledged unblock ${a.id} is ${request?.state ?? 'missing'}`);
          assert.equal(request.publishedVersion, a.version);
        }
        const version = await plane.policy.findVersion((await plane.organisations.listSchools())[0]!.id, a.version);
        assert.ok(version, `version ${a.version} is missing`);
      }
      const verified = await plane.verifyAudit();
      assert.equal(verified.problem, null, verified.problem?.message);
      assert.ok(verified.verified >= acked.length * 2);
    } finally {
      await database.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
