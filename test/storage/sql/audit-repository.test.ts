// The audit repository's contract on every database: exact round trips, append-only, one chain.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { sql } from 'kysely';
import { GENESIS_HASH, validateAuditInput, type AuditEntry, type AuditInput } from '../../../src/core/audit/entry.ts';
import { sealEntry, type AuditSealFunctions } from '../../../src/core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { SqlAuditRepository } from '../../../src/storage/sql/audit-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { eachDialect } from '../../support/databases.ts';

const SEAL: AuditSealFunctions = {
  sha256Hex: (t) => createHash('sha256').update(t).digest('hex'),
  hmacHex: (t) => createHmac('sha256', 'test key').update(t).digest('hex'),
};
const SCHOOL_ID = '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f61';

function append(repository: SqlAuditRepository, input: AuditInput, at = '2025-11-03T10:00:00.000Z'): Promise<AuditEntry> {
  const record = validateAuditInput(input);
  return repository.appendAfterTail((tail) => sealEntry(record, at, tail, SEAL));
}

await eachDialect('audit repository', (dialect) => {
  test('entries read back exactly as written: numbers as numbers, times as the ISO text that was hashed', async () => {
    await using database = await dialect.open();
    await new SqlOrganisationRepository(database).insertSchool({
      kind: 'school', id: SCHOOL_ID, name: 'School A', reference: null, timeZone: 'Europe/London', responsibleBodyId: null, createdAt: '2025-01-01T00:00:00.000Z',
    });
    const repository = new SqlAuditRepository(database);
    assert.equal(await repository.tail(), null);
    assert.equal(await repository.count(), 0);
    const written = [
      await append(repository, { schoolId: SCHOOL_ID, actor: 'system', action: 'school.create', details: { name: 'School A' } }, '2025-11-03T10:00:00.007Z'),
      await append(repository, { schoolId: null, actor: '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f62', action: 'trust.update', target: 'trust:ünïcode ✓', details: { big: 2 ** 53 - 1, neg: -0.5, s: '"quoted"\n' } }),
      await append(repository, { schoolId: SCHOOL_ID, actor: 'system', action: 'policy.rule.update', target: 'rule:1' }),
    ];
    const read = await repository.entriesAfter(0, 10);
    assert.deepEqual(read, written);
    assert.equal(typeof read[0]!.seq, 'number');
    assert.equal(read[0]!.at, '2025-11-03T10:00:00.007Z');
    assert.equal(read[0]!.prevHash, GENESIS_HASH);
    assert.equal(await repository.count(), 3);
    assert.equal(typeof (await repository.count()), 'number');
    assert.deepEqual(await repository.tail(), { seq: 3, hash: written[2]!.hash });
    assert.deepEqual(await repository.entryAt(2), written[1]);
    assert.equal(await repository.entryAt(4), null);
    assert.deepEqual(await repository.entriesAfter(1, 1), [written[1]]);
    assert.deepEqual(await repository.seqsWithHash(written[1]!.hash), [2]);
    assert.deepEqual(await repository.seqsWithPrevHash(written[1]!.hash), [3]);
    assert.deepEqual(await repository.seqsWithPrevHash(GENESIS_HASH), [1]);
  });

  test('the database itself refuses UPDATE and DELETE (and TRUNCATE) on the audit table', async () => {
    await using database = await dialect.open();
    const repository = new SqlAuditRepository(database);
    const entry = await append(repository, { schoolId: null, actor: 'system', action: 'trust.create' });
    await assert.rejects(sql`update audit_entries set actor = 'someone'`.execute(database.db), /audit_entries is append-only: UPDATE refused/);
    await assert.rejects(sql`delete from audit_entries`.execute(database.db), /audit_entries is append-only: DELETE refused/);
    if (database.kind === 'postgres') await assert.rejects(sql`truncate audit_entries`.execute(database.db), /audit_entries is append-only: TRUNCATE refused/);
    assert.deepEqual(await repository.entriesAfter(0, 10), [entry]);
  });

  test('an entry that does not follow the tail, or whose sealing fails, writes nothing and releases the lock', async () => {
    await using database = await dialect.open();
    const repository = new SqlAuditRepository(database);
    const first = await append(repository, { schoolId: null, actor: 'system', action: 'trust.create' });
    await assert.rejects(repository.appendAfterTail(() => ({ ...first, seq: 5 })), /audit entry 5 does not follow the tail 1/);
    await assert.rejects(repository.appendAfterTail(() => { throw new Error('sealing failed'); }), /sealing failed/);
    assert.equal(await repository.count(), 1);
    assert.equal((await append(repository, { schoolId: null, actor: 'system', action: 'trust.update' })).seq, 2);
  });

  test('an entry for a school that does not exist is refused, naming the school', async () => {
    await using database = await dialect.open();
    const repository = new SqlAuditRepository(database);
    await assert.rejects(
      append(repository, { schoolId: SCHOOL_ID, actor: 'system', action: 'policy.rule.update' }),
      (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.ORGANISATION_UNKNOWN && e.message.includes(SCHOOL_ID),
    );
    assert.equal(await repository.count(), 0);
  });

  test('concurrent appends never fork the chain: every entry follows the one before it', async () => {
    await using database = await dialect.open();
    // On PostgreSQL these run on up to 10 pooled connections at once; the advisory lock serialises them.
    const repository = new SqlAuditRepository(database);
    await Promise.all(Array.from({ length: 40 }, (_, i) => append(repository, { schoolId: null, actor: 'system', action: 'test.concurrent', details: { i } })));
    const entries = await repository.entriesAfter(0, 100);
    assert.deepEqual(entries.map((e) => e.seq), Array.from({ length: 40 }, (_, i) => i + 1));
    entries.forEach((e, i) => assert.equal(e.prevHash, i === 0 ? GENESIS_HASH : entries[i - 1]!.hash, `entry ${e.seq} links to ${i}`));
  });
});
