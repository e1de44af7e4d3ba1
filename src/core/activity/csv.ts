// CSV export of activity records: RFC 4180 (CRLF line ends, fields quoted when they hold a comma,
// quote, CR or LF, quotes doubled) with a guard against spreadsheet formula injection: a client
// chooses the host names and URLs we log, and a cell such as =HYPERLINK(…) would run when a member
// of staff opens the export in a spreadsheet.
import type { ActivityEntry } from './query.ts';

/** The header row's column names: stable, part of the export's contract (add at the end only). */
export const ACTIVITY_CSV_COLUMNS = [
  'id', 'time', 'source', 'transport', 'client', 'user', 'device', 'groups', 'host', 'type', 'url',
  'decision', 'answer', 'tier', 'verdict', 'category', 'rule', 'list', 'rcode', 'status', 'ref',
  'latency_ms', 'bytes_in', 'bytes_out',
] as const;

/** Characters that make a spreadsheet read a cell as a formula (or, tab and CR, hide one). */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One text cell: apostrophe before a formula start, then quoted if it must be. */
export function csvCell(value: string | null | undefined): string {
  if (value === null || value === undefined || value === '') return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** A number cell (never guarded: a number we wrote cannot be a formula). */
function numberCell(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? '' : String(value);
}

/** One line (ending CRLF) from text cells. */
export function csvLine(cells: readonly (string | null | undefined)[]): string {
  let line = '';
  for (let i = 0; i < cells.length; i++) line += (i ? ',' : '') + csvCell(cells[i]);
  return `${line}\r\n`;
}

export function activityCsvHeader(): string {
  return `${ACTIVITY_CSV_COLUMNS.join(',')}\r\n`;
}

/** One entry as a CSV line, columns in ACTIVITY_CSV_COLUMNS order. Groups are joined with "; ". */
export function activityCsvLine(e: ActivityEntry): string {
  return (
    `${csvCell(e.id)},${csvCell(e.time)},${csvCell(e.source)},${csvCell(e.transport)},${csvCell(e.client)},` +
    `${csvCell(e.user)},${csvCell(e.device)},${csvCell(e.groups.join('; '))},${csvCell(e.name)},${csvCell(e.type)},` +
    `${csvCell(e.url)},${csvCell(e.action)},${csvCell(e.answer)},${csvCell(e.tier)},${csvCell(e.verdict)},` +
    `${csvCell(e.category)},${csvCell(e.rule)},${csvCell(e.list)},${csvCell(e.rcode)},${numberCell(e.status)},` +
    `${csvCell(e.ref)},${numberCell(e.latencyMs)},${numberCell(e.bytesIn)},${numberCell(e.bytesOut)}\r\n`
  );
}
