// The tables as Kysely sees them. Drivers differ in what they return, so read types are wide and
// the repositories normalise: times are Date on PostgreSQL (timestamptz) and ISO text on SQLite;
// bigint columns are strings on PostgreSQL and numbers on SQLite. Times are written as ISO text.
import type { ActivityTables } from './schema-activity.ts';
import type { ConsoleAccountTables } from './schema-console-accounts.ts';
import type { DirectoryTables } from './schema-directory.ts';
import type { PolicyTables } from './schema-policy.ts';
import type { SchoolSettingsTables } from './schema-school-settings.ts';
import type { UnblockTables } from './schema-unblock.ts';
import type { ColumnType } from 'kysely';

/** Written as ISO-8601 text; read as Date (PostgreSQL) or the same text (SQLite). */
type Time = ColumnType<Date | string, string, string>;
/** 64-bit integer: read as string (PostgreSQL) or number (SQLite). */
type BigInteger = ColumnType<string | number | bigint, number, number>;

export interface ResponsibleBodiesTable {
  id: string;
  kind: 'trust' | 'local_authority';
  name: string;
  created_at: Time;
}

export interface SchoolsTable {
  id: string;
  name: string;
  reference: string | null;
  time_zone: string;
  responsible_body_id: string | null;
  created_at: Time;
}

export interface AuditEntriesTable {
  seq: BigInteger;
  at: Time;
  school_id: string | null;
  actor: string;
  action: string;
  target: string | null;
  /** Canonical JSON text, stored as text on both databases so what is verified is what was hashed. */
  details: string;
  prev_hash: string;
  hash: string;
  mac: string;
}

// Each area keeps its tables' types in its own file; the schema is their union.
export interface DatabaseSchema extends PolicyTables, DirectoryTables, ConsoleAccountTables, UnblockTables, ActivityTables, SchoolSettingsTables {
  responsible_bodies: ResponsibleBodiesTable;
  schools: SchoolsTable;
  audit_entries: AuditEntriesTable;
}
