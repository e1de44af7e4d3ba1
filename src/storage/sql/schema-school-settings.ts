// The per-school settings table (see migrations/0008-school-settings.ts).
import type { ColumnType } from 'kysely';

type Time = ColumnType<Date | string, string, string>;

export interface SchoolSettingsTable {
  school_id: string;
  /** Null: the built-in words. */
  block_page_heading: string | null;
  block_page_explanation: string | null;
  block_page_who_to_ask: string | null;
  updated_by: string;
  updated_at: Time;
}

export interface SchoolSettingsTables {
  school_settings: SchoolSettingsTable;
}
