// What `verifyAudit` finds after each kind of tampering, on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { sql } from 'kysely';
import fc from 'fast-check';
import { sealCheckpoint } from '../../../src/core/audit/seal.ts';
import type { AuditVerification } from '../../../src/services/audit/verify-audit.ts';
import { auditSealFunctions } from '../../../src/storage/sql/audit-key-file.ts';
import { eachDialect, type TestDialect } from '../../support/databases.ts';
import { auditFixture, insertRow, type AuditFixture, rehash, shiftSeqs, swapSeqs } from './audit-fixture.ts';

function problem(result: AuditVerification): [string, number] | null {
  return result.problem ? [result.problem.kind, result.problem.seq] : null;
}

/** A log of 8 entries, tampered with by `tamper`, then verified. */
async function tamperedLog(dialect: TestDialect, tamper: (f: AuditFixture) => Promise<void>): Promise<AuditVerification> {
  await using database = await dialect.open();
  const fixture = await auditFixture(database);
  await fixture.append(8);
  await tamper(fixture);
  return await fixture.verify({ pageSize: 3 });
}

await eachDialect('verify audit', (dialect) => {
  test('an intact log verifies, with progress over pages and the checkpoint matched', async () => {
    await using database = await dialect.open();
    const fixture = await auditFixture(database);
    assert.deepEqual(await fixture.verify(), { verified: 0, last: null, checkpoint: null, problem: null, warnings: [] });
    await fixture.append(8);
    const events: string[] = [];
    const result = await fixture.verify({ pageSize: 3, progress: { start: (l, t) => events.push(`start ${t}`), advance: (n) => events.push(`+${n}`), done: (s) => events.push(`done ${s}`) } });
    assert.equal(result.problem, null);
    assert.equal(result.verified, 8);
    assert.deepEqual(result.last, { seq: 8, hash: fixture.entries[7]!.hash });
    assert.equal(result.checkpoint?.seq, 8);
    assert.deepEqual(events, ['start 8', '+3', '+3', '+2', 'done 8 entries verified']);
  });

  test('an entry edited in place is "edited", wherever it is', async () => {
    const result = await tamperedLog(dialect, (f) => f.tamper(sql`update audit_entries set details = '{"change":99}' where seq = 7`));
    assert.deepEqual(problem(result), ['edited', 7]);
    assert.match(result.problem!.message, /entry 7 was changed after it was written/);
    assert.equal(result.verified, 6);
    assert.deepEqual(problem(await tamperedLog(dialect, (f) => f.tamper(sql`update audit_entries set at = '2025-10-06T08:30:01.000Z' where seq = 1`))), ['edited', 1]);
  });

  test('an entry edited and re-hashed by someone without the key is "bad-seal"', async () => {
    const result = await tamperedLog(dialect, async (f) => {
      const edited = { ...f.entries[3]!, actor: '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f62' };
      await f.tamper(sql`update audit_entries set actor = ${edited.actor}, hash = ${rehash(edited)} where seq = 4`);
    });
    assert.deepEqual(problem(result), ['bad-seal', 4]);
    assert.match(result.problem!.message, /entry 4 was not sealed with this key/);
  });

  test('verifying with another key fails at the first entry and says the key may be wrong', async () => {
    await using database = await dialect.open();
    const fixture = await auditFixture(database);
    await fixture.append(2);
    const result = await fixture.verify({ key: randomBytes(32) });
    assert.deepEqual(problem(result), ['bad-seal', 1]);
    assert.match(result.problem!.message, /or this is not the key the log was sealed with/);
  });

  test('entries deleted from the middle or the start are "deleted", renumbered or not', async () => {
    const gap = await tamperedLog(dialect, (f) => f.tamper(sql`delete from audit_entries where seq in (4, 5)`));
    assert.deepEqual(problem(gap), ['deleted', 4]);
    assert.match(gap.problem!.message, /entries 4–5 are missing/);
    const hidden = await tamperedLog(dialect, (f) => f.tamper(sql`delete from audit_entries where seq = 4`, ...shiftSeqs(5, -1)));
    assert.deepEqual(problem(hidden), ['deleted', 4]);
    assert.match(hidden.problem!.message, /renumbered to hide the gap/);
    const head = await tamperedLog(dialect, (f) => f.tamper(sql`delete from audit_entries where seq <= 2`));
    assert.deepEqual(problem(head), ['deleted', 1]);
    assert.match(head.problem!.message, /entries 1–2 are missing: entry 3 does not follow the start of the log/);
  });

  test('entries cut from the end are "deleted", found by the checkpoint', async () => {
    const cut = await tamperedLog(dialect, (f) => f.tamper(sql`delete from audit_entries where seq >= 6`));
    assert.deepEqual(problem(cut), ['deleted', 6]);
    assert.match(cut.problem!.message, /entries 6–8 are missing from the end: the checkpoint records 8 entries/);
    assert.equal(cut.verified, 5);
    const all = await tamperedLog(dialect, (f) => f.tamper(sql`delete from audit_entries`));
    assert.deepEqual(problem(all), ['deleted', 1]);
  });

  test('without the checkpoint a cut-off tail goes unnoticed, and verify says so', async () => {
    const result = await tamperedLog(dialect, async (f) => {
      await f.tamper(sql`delete from audit_entries where seq >= 6`);
      await rm(f.checkpoints.path);
    });
    assert.equal(result.problem, null);
    assert.equal(result.verified, 5);
    assert.deepEqual(result.warnings, ['there is no checkpoint, so entries cut from the end of the log would go unnoticed']);
  });

  test('an entry slipped in, forged or copied, is "inserted"', async () => {
    const forged = await tamperedLog(dialect, async (f) => {
      const fake = { ...f.entries[3]!, seq: 4, prevHash: f.entries[2]!.hash, target: 'rule:forged', hash: 'f'.repeat(64), mac: 'f'.repeat(64) };
      await f.tamper(...shiftSeqs(4, 1), insertRow(fake));
    });
    assert.deepEqual(problem(forged), ['inserted', 4]);
    assert.match(forged.problem!.message, /entry 4 is not part of the chain: entry 5 follows entry 3 directly/);
    const copied = await tamperedLog(dialect, (f) => f.tamper(...shiftSeqs(4, 1), insertRow({ ...f.entries[1]!, seq: 4 })));
    assert.deepEqual(problem(copied), ['inserted', 4]);
    assert.match(copied.problem!.message, /entry 4 is a copy of entry 2/);
    const appended = await tamperedLog(dialect, (f) => f.tamper(insertRow({ ...f.entries[0]!, seq: 9 })));
    assert.deepEqual(problem(appended), ['inserted', 9]);
  });

  test('entries moved are "reordered"; numbers changed without moving anything are "edited"', async () => {
    const swapped = await tamperedLog(dialect, (f) => f.tamper(...swapSeqs(4, 5)));
    assert.deepEqual(problem(swapped), ['reordered', 4]);
    assert.match(swapped.problem!.message, /entry 4 is out of order: the entry that follows entry 3 is numbered 5/);
    const far = await tamperedLog(dialect, (f) => f.tamper(...swapSeqs(2, 8)));
    assert.deepEqual(problem(far), ['reordered', 2]);
    const renumbered = await tamperedLog(dialect, (f) => f.tamper(...shiftSeqs(1, 10)));
    assert.deepEqual(problem(renumbered), ['edited', 11]);
    assert.match(renumbered.problem!.message, /the entry numbered 11 is entry 1 of the chain/);
  });

  test('a checkpoint not sealed with the key, or unreadable, is "bad-seal"; one from a rewritten history is "deleted"', async () => {
    const forged = await tamperedLog(dialect, (f) => f.checkpoints.write(sealCheckpoint({ seq: 8, hash: f.entries[7]!.hash }, auditSealFunctions(randomBytes(32)))));
    assert.deepEqual(problem(forged), ['bad-seal', 8]);
    assert.match(forged.problem!.message, /the checkpoint was not sealed with this key/);
    const garbage = await tamperedLog(dialect, (f) => writeFile(f.checkpoints.path, '{"seq": 8}'));
    assert.deepEqual(problem(garbage), ['bad-seal', 8]);
    assert.match(garbage.problem!.message, /audit.checkpoint cannot be read: it is not a ringfence-audit-checkpoint/);
    const replaced = await tamperedLog(dialect, async (f) => {
      // Entries 6–8 removed, then (by a writer with the key that skipped the checkpoint check) re-written differently.
      const key = auditSealFunctions(await import('node:fs').then((fs) => fs.readFileSync(f.keyPath)));
      await f.tamper(sql`delete from audit_entries where seq >= 6`);
      const { sealEntry } = await import('../../../src/core/audit/seal.ts');
      let tail = { seq: 5, hash: f.entries[4]!.hash };
      for (let i = 0; i < 3; i++) {
        const entry = sealEntry({ schoolId: null, actor: 'system', action: 'policy.rule.update', target: `rule:other${i}`, detailsJson: '{}' }, '2025-10-07T00:00:00.000Z', tail, key);
        await f.tamper(insertRow(entry));
        tail = entry;
      }
    });
    assert.deepEqual(problem(replaced), ['deleted', 8]);
    assert.match(replaced.problem!.message, /entry 8 is not the entry the checkpoint sealed/);
  });

  test('property: any single tampering of a log is found at or before the entry tampered with', async () => {
    const ops = ['edit', 'delete', 'deleteRenumber', 'swap', 'copy', 'cutTail'] as const;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 3, max: 9 }), fc.constantFrom(...ops), fc.nat(), async (n, op, pick) => {
        await using database = await dialect.open();
        const f = await auditFixture(database);
        await f.append(n);
        const k = 1 + (pick % (n - 1)); // 1 … n-1, so k+1 exists
        const statements = {
          edit: [sql`update audit_entries set target = 'rule:x' where seq = ${k}`],
          delete: [sql`delete from audit_entries where seq = ${k}`],
          deleteRenumber: [sql`delete from audit_entries where seq = ${k}`, ...shiftSeqs(k + 1, -1)],
          swap: swapSeqs(k, k + 1),
          copy: [...shiftSeqs(k, 1), insertRow({ ...f.entries[(pick >> 3) % n]!, seq: k })],
          cutTail: [sql`delete from audit_entries where seq > ${k}`],
        }[op];
        await f.tamper(...statements);
        const result = await f.verify({ pageSize: 2 });
        assert.ok(result.problem, `${op} at ${k} of ${n} went unnoticed`);
        assert.ok(result.problem.seq <= k + 1, `${op} at ${k} reported at ${result.problem.seq}`);
      }),
      { numRuns: 12 },
    );
  });
});
