// Per-school settings in SQL: one row per school, written whole on each save (upsert).
import type { SchoolSettingsRepository, StoredBlockPageText } from '../../services/org/block-page-text.ts';
import { DEFAULT_BLOCK_PAGE_TEXT } from '../../core/org/block-page-text.ts';
import type { Database } from './database.ts';
import { timeText } from './values.ts';

export class SqlSchoolSettingsRepository implements SchoolSettingsRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async blockPageText(schoolId: string): Promise<StoredBlockPageText | null> {
    const row = await this.#database.db.selectFrom('school_settings').selectAll().where('school_id', '=', schoolId).executeTakeFirst();
    if (!row || (row.block_page_heading === null && row.block_page_explanation === null && row.block_page_who_to_ask === null)) return null;
    return {
      text: {
        heading: row.block_page_heading ?? DEFAULT_BLOCK_PAGE_TEXT.heading,
        explanation: row.block_page_explanation ?? DEFAULT_BLOCK_PAGE_TEXT.explanation,
        whoToAsk: row.block_page_who_to_ask ?? DEFAULT_BLOCK_PAGE_TEXT.whoToAsk,
      },
      updatedAt: timeText(row.updated_at),
      updatedBy: row.updated_by,
    };
  }

  async saveBlockPageText(schoolId: string, saved: StoredBlockPageText): Promise<void> {
    const columns = {
      block_page_heading: saved.text.heading,
      block_page_explanation: saved.text.explanation,
      block_page_who_to_ask: saved.text.whoToAsk,
      updated_by: saved.updatedBy,
      updated_at: saved.updatedAt,
    };
    // ON CONFLICT … DO UPDATE: the same statement on SQLite and PostgreSQL.
    await this.#database.db
      .insertInto('school_settings')
      .values({ school_id: schoolId, ...columns })
      .onConflict((oc) => oc.column('school_id').doUpdateSet(columns))
      .execute();
  }
}
