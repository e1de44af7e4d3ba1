// Tables of the activity log in storage (see migrations/0006-activity.ts).
import type { ColumnType, Generated } from 'kysely';

type Time = ColumnType<Date | string, string, string>;
/** 64-bit integer: read as string (PostgreSQL) or number (SQLite). */
type BigInteger = ColumnType<string | number | bigint, number, number>;

export interface ActivityEventsTable {
  id: Generated<string | number | bigint>;
  school_id: string;
  /** Unix milliseconds. */
  at_ms: BigInteger;
  source: 'dns' | 'proxy';
  transport: string;
  client: string;
  username: string | null;
  device: string | null;
  /** The device label, or the client address when there is none (what the device filter matches). */
  device_key: string;
  /** JSON array of group names. */
  groups_json: string;
  host: string;
  type: string;
  url: string | null;
  decision: 'allow' | 'block';
  answer: string;
  tier: string | null;
  verdict: string | null;
  category: string | null;
  rule: string | null;
  list_name: string | null;
  rcode: string | null;
  status: number | null;
  ref: string | null;
  latency_ms: number;
  bytes_in: ColumnType<string | number | bigint | null, number | null, number | null>;
  bytes_out: ColumnType<string | number | bigint | null, number | null, number | null>;
}

export interface ActivityIngestPositionsTable {
  origin: string;
  file: string;
  byte_offset: BigInteger;
  complete: number;
  updated_at: Time;
}

export interface ActivitySettingsTable {
  school_id: string;
  retention_days: number;
  updated_at: Time;
}

export interface ActivityTables {
  activity_events: ActivityEventsTable;
  activity_ingest_positions: ActivityIngestPositionsTable;
  activity_settings: ActivitySettingsTable;
}
