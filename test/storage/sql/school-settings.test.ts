// The school settings table (migration 0008) and its repository's contract, with the save use case
// on top (audited, the node told), on every database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { DEFAULT_BLOCK_PAGE_TEXT, type BlockPageText } from '../../../src/core/org/block-page-text.ts';
import { getBlockPageText, saveBlockPageText, type BlockPageTextDeps } from '../../../src/services/org/block-page-text.ts';
import { createSchool } from '../../../src/services/org/organisations.ts';
import { openAuditLog } from '../../../src/storage/sql/audit-store.ts';
import { SqlAuditRepository } from '../../../src/storage/sql/audit-repository.ts';
import { migrateDown, migrateToLatest } from '../../../src/storage/sql/migrations/index.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { SqlSchoolSettingsRepository } from '../../../src/storage/sql/school-settings-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import { eachDialect, type TestDatabase } from '../../support/databases.ts';

const ACTOR = '0190a6b2-7c4e-7d3a-9f00-0000000000aa';
const text: BlockPageText = { heading: 'Not in school', explanation: 'Line one.\nLine two.', whoToAsk: 'Ask the office.' };

async function fixture(database: TestDatabase) {
  let ms = Date.parse('2025-09-01T08:00:00.000Z');
  const clock = { now: () => new Date((ms += 1000)) };
  const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids: uuidV7Source(), clock }, { name: 'Test school', timeZone: 'Europe/London' });
  const audit = await openAuditLog(database, { keyPath: join(database.dir, 'keys', 'audit.key'), clock });
  const changed: { schoolId: string; text: BlockPageText; savedAt: string }[] = [];
  const deps: BlockPageTextDeps = { settings: new SqlSchoolSettingsRepository(database), audit, clock, onChanged: (schoolId, t, savedAt) => void changed.push({ schoolId, text: t, savedAt }) };
  return { school, deps, changed };
}

await eachDialect('school settings', (dialect) => {
  test('a school that never saved has no row and reads the built-in words', async () => {
    await using database = await dialect.open();
    const { school, deps } = await fixture(database);
    assert.equal(await deps.settings.blockPageText(school.id), null);
    assert.deepEqual(await getBlockPageText(deps, school.id), { text: DEFAULT_BLOCK_PAGE_TEXT, defaults: DEFAULT_BLOCK_PAGE_TEXT, isDefault: true, updatedAt: null });
  });

  test('saves read back exactly, the second replacing the first (upsert)', async () => {
    await using database = await dialect.open();
    const { school, deps } = await fixture(database);
    await deps.settings.saveBlockPageText(school.id, { text, updatedAt: '2025-09-01T09:00:00.000Z', updatedBy: ACTOR });
    assert.deepEqual(await deps.settings.blockPageText(school.id), { text, updatedAt: '2025-09-01T09:00:00.000Z', updatedBy: ACTOR });
    const second = { text: { ...text, explanation: '' }, updatedAt: '2025-09-01T10:00:00.123Z', updatedBy: ACTOR };
    await deps.settings.saveBlockPageText(school.id, second);
    assert.deepEqual(await deps.settings.blockPageText(school.id), second);
    const rows = await database.db.selectFrom('school_settings').select('school_id').execute();
    assert.equal(rows.length, 1);
  });

  test('a row for a school that does not exist is refused by the foreign key', async () => {
    await using database = await dialect.open();
    const { deps } = await fixture(database);
    await assert.rejects(deps.settings.saveBlockPageText('0190a6b2-7c4e-7d3a-9f00-000000000999', { text, updatedAt: '2025-09-01T09:00:00.000Z', updatedBy: ACTOR }));
  });

  test('the use case validates, stores, audits before and after, then tells the node', async () => {
    await using database = await dialect.open();
    const { school, deps, changed } = await fixture(database);
    const saved = await saveBlockPageText(deps, ACTOR, school.id, { heading: '  Not in school ', explanation: 'Line one.\r\n\r\nLine two.', whoToAsk: 'Ask the office.' });
    assert.deepEqual(saved.text, text);
    assert.equal(saved.isDefault, false);
    assert.deepEqual(changed, [{ schoolId: school.id, text, savedAt: saved.updatedAt }]);
    const entries = await new SqlAuditRepository(database).entriesAfter(0, 100);
    const entry = entries.find((e) => e.action === 'school.block-page.update');
    assert.ok(entry);
    assert.equal(entry.actor, ACTOR);
    assert.equal(entry.schoolId, school.id);
    assert.deepEqual(JSON.parse(entry.detailsJson), { before: { ...DEFAULT_BLOCK_PAGE_TEXT }, after: { ...text } });

    await assert.rejects(saveBlockPageText(deps, ACTOR, school.id, { ...text, heading: 'bad\u0000' }), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.BLOCK_PAGE_TEXT_INVALID);
    assert.deepEqual((await getBlockPageText(deps, school.id)).text, text, 'a refused save changes nothing');
    assert.equal(changed.length, 1, 'and the node is not told');
  });

  test('the migration goes down and up again', async () => {
    await using database = await dialect.open();
    await migrateDown(database.db, database.kind);
    await assert.rejects(database.db.selectFrom('school_settings').selectAll().execute());
    assert.deepEqual(await migrateToLatest(database.db, database.kind), ['0008_school_settings']);
  });
});
