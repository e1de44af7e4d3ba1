// AuditLog.append on every database: sealing, the key and checkpoint files, serialised appends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { GENESIS_HASH } from '../../../src/core/audit/entry.ts';
import { sealCheckpoint } from '../../../src/core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { auditSealFunctions, loadOrCreateAuditKey, readAuditKey } from '../../../src/storage/sql/audit-key-file.ts';
import { openAuditLog } from '../../../src/storage/sql/audit-store.ts';
import { eachDialect } from '../../support/databases.ts';
import { runAppender } from '../../storage/sql/fixtures/run-appender.ts';
import { auditFixture } from './audit-fixture.ts';

function rejectsWith(code: string, pattern: RegExp) {
  return (e: unknown) => e instanceof RingfenceError && e.code === code && pattern.test(e.message);
}

await eachDialect('audit log', (dialect) => {
  test('the first use creates the key (32 bytes, owner-only) and every append moves the checkpoint', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    const key = await readFile(f.keyPath);
    assert.equal(key.length, 32);
    assert.equal((await stat(f.keyPath)).mode & 0o777, 0o600);
    assert.equal((await stat(dirname(f.keyPath))).mode & 0o777, 0o700);
    assert.equal(await f.checkpoints.read(), null);
    await f.append(2);
    const [first, second] = f.entries;
    assert.deepEqual([first!.seq, first!.prevHash, second!.seq, second!.prevHash], [1, GENESIS_HASH, 2, first!.hash]);
    assert.equal(first!.at, '2025-10-06T08:30:01.500Z', 'the time comes from the clock given');
    assert.deepEqual(await f.checkpoints.read(), sealCheckpoint(second!, auditSealFunctions(key)));
    assert.deepEqual(loadOrCreateAuditKey(f.keyPath), key, 'the key is reused, never replaced');
  });

  test('a key file of the wrong size is refused rather than used', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await writeFile(f.keyPath, randomBytes(16));
    assert.throws(() => readAuditKey(f.keyPath), rejectsWith(ErrorCodes.AUDIT_KEY_INVALID, /holds 16 bytes, not 32: restore it from your backup/));
    assert.throws(() => loadOrCreateAuditKey(f.keyPath), rejectsWith(ErrorCodes.AUDIT_KEY_INVALID, /16 bytes/));
  });

  test('a log that has entries but no key is refused, not given a new key', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await f.append(2);
    await rename(f.keyPath, `${f.keyPath}.elsewhere`);
    await assert.rejects(openAuditLog(database, { keyPath: f.keyPath }), rejectsWith(ErrorCodes.AUDIT_KEY_MISSING, /has 2 entries but there is no audit key at .*audit\.key: restore the key from your backup/));
    assert.equal(readAuditKey(f.keyPath), null);
  });

  test('bad input is refused with a clear message and nothing is written', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await assert.rejects(f.log.append({ schoolId: null, actor: 'headteacher', action: 'policy.update' }), rejectsWith(ErrorCodes.AUDIT_ENTRY_INVALID, /actor "headteacher"/));
    await assert.rejects(f.log.append({ schoolId: null, actor: 'system', action: 'x', details: { when: new Date() as never } }), rejectsWith(ErrorCodes.AUDIT_ENTRY_INVALID, /a Date object at \$\.when/));
    assert.equal(await f.repository.count(), 0);
    await f.append(1);
    assert.equal(f.entries[0]!.seq, 1, 'a refused append does not block the next one');
  });

  test('appends made at once in one process form one chain, in the order they were made', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    const made = await Promise.all(Array.from({ length: 30 }, (_, i) => f.log.append({ schoolId: null, actor: 'system', action: 'test.concurrent', details: { i } })));
    assert.deepEqual(made.map((e) => e.seq), Array.from({ length: 30 }, (_, i) => i + 1));
    assert.deepEqual(made.map((e) => JSON.parse(e.detailsJson).i), Array.from({ length: 30 }, (_, i) => i));
    const result = await f.verify();
    assert.equal(result.problem, null);
    assert.equal(result.checkpoint?.seq, 30);
  });

  test('two processes appending at once form one chain that verifies', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await f.append(1); // the key exists before the children start, as in a running installation
    const runs = await Promise.all(['a', 'b'].map((label) => runAppender(database.config, f.keyPath, 15, label)));
    for (const run of runs) assert.equal(run.code, 0, run.stderr);
    const acked = runs.flatMap((r) => r.acked.map((line) => Number(line.split(' ')[1]))).sort((a, b) => a - b);
    assert.deepEqual(acked, Array.from({ length: 30 }, (_, i) => i + 2));
    const result = await f.verify();
    assert.equal(result.problem, null);
    assert.equal(result.verified, 31);
  });

  test('appending is refused once entries the checkpoint sealed are gone, keeping the evidence', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await f.append(3);
    const checkpoint = await f.checkpoints.read();
    await f.tamper(sql`delete from audit_entries where seq = 3`);
    await assert.rejects(f.append(1), rejectsWith(ErrorCodes.AUDIT_BEHIND_CHECKPOINT, /no longer holds entry 3 as sealed in its checkpoint/));
    assert.deepEqual(await f.checkpoints.read(), checkpoint);
    assert.equal(await f.repository.count(), 2);
  });

  test('appending is refused when the checkpoint was not sealed with this key', async () => {
    await using database = await dialect.open();
    const f = await auditFixture(database);
    await f.append(1);
    await f.checkpoints.write(sealCheckpoint(f.entries[0]!, auditSealFunctions(randomBytes(32))));
    await assert.rejects(f.append(1), rejectsWith(ErrorCodes.AUDIT_CHECKPOINT_INVALID, /not sealed with this key/));
    assert.equal(await f.repository.count(), 1);
  });
});
