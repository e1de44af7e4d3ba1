// What the two drivers return differently, made the same; and their constraint errors recognised.

/** An ISO-8601 instant from a time column: Date on PostgreSQL; on SQLite the text as stored. */
export function timeText(value: Date | string): string {
  return typeof value === 'string' ? value : value.toISOString();
}

/** A number from an integer column or count(): strings on PostgreSQL (int8), numbers on SQLite. */
export function toNumber(value: string | number | bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`integer ${String(value)} from the database is not a safe JavaScript integer`);
  return n;
}

/**
 * Text order by UTF-16 code units, the same on both databases. Sort in JavaScript with this rather
 * than ORDER BY on text: SQLite collates by bytes, PostgreSQL by the database's locale.
 */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function code(e: unknown): unknown {
  return typeof e === 'object' && e !== null ? (e as { code?: unknown }).code : undefined;
}

/** PostgreSQL 23505; SQLite SQLITE_CONSTRAINT_UNIQUE or _PRIMARYKEY. */
export function isUniqueViolation(e: unknown): boolean {
  const c = code(e);
  return c === '23505' || c === 'SQLITE_CONSTRAINT_UNIQUE' || c === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** PostgreSQL 23503; SQLite SQLITE_CONSTRAINT_FOREIGNKEY. */
export function isForeignKeyViolation(e: unknown): boolean {
  const c = code(e);
  return c === '23503' || c === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
