// Column types per database, so each migration is written once for both. Ids are UUIDv7 text (see
// core/org/id.ts): native uuid on PostgreSQL, text on SQLite. Times are timestamptz(3) on PostgreSQL
// (millisecond precision, so they read back exactly as the ISO text written) and ISO-8601 UTC text
// on SQLite (fixed width, so text order is time order).
import type { ColumnDataType } from 'kysely';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface ColumnTypes {
  readonly id: ColumnDataType;
  readonly time: ColumnDataType;
  readonly bigint: ColumnDataType;
}

export function columnTypes(kind: DatabaseKind): ColumnTypes {
  return kind === 'postgres'
    ? { id: 'uuid', time: 'timestamptz(3)', bigint: 'bigint' }
    : { id: 'text', time: 'text', bigint: 'integer' };
}
