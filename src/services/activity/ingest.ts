// Moves new lines of the activity log files into the database. Each batch of rows is stored in one
// transaction together with the byte offset just after its last line, so a crash at any point
// neither loses nor repeats a row: the next run starts from the last committed offset. Only whole
// lines (ending in a newline) are read; a line still being written waits for the next run.
import { parseActivityLine } from '../../core/activity/parse-line.ts';
import type { ActivityRecord } from '../../core/activity/record.ts';
import { ErrorCodes, isRingfenceError } from '../../core/errors.ts';
import type { ActivityLogFiles, ActivityRepository, Clock } from '../ports.ts';

export interface IngestOptions {
  /** The school every record belongs to (a filter node serves one school). */
  readonly schoolId: string;
  /** Names this node's log files in the positions table (default "local"). */
  readonly origin?: string;
  /** Rows per transaction (default 5,000). */
  readonly batchRows?: number;
  /** Bytes read from a file at a time (default 4 MiB; also the longest line taken). */
  readonly readBytes?: number;
}

export interface IngestSummary {
  /** Files with new bytes this run. */
  readonly files: number;
  readonly rows: number;
  /** Lines skipped because they are not a record (counted, never fatal). */
  readonly badLines: number;
  /** Files another ingester was moving at the same time (left to it). */
  readonly conflicts: number;
  readonly ms: number;
}

export interface IngestDeps {
  readonly repository: ActivityRepository;
  readonly files: ActivityLogFiles;
  readonly clock: Clock;
}

const DAY_MS = 86_400_000;
const NEWLINE = 0x0a;
const DAY_OF_FILE = /(\d{4}-\d{2}-\d{2})\.jsonl$/;

/**
 * A day's file is finished once its day ended two days ago: the log writes a record to the file of
 * its own UTC day and retries a failed write for a while, so late lines are possible just after
 * midnight, not days later.
 */
function isFinished(file: string, nowMs: number): boolean {
  const day = DAY_OF_FILE.exec(file)?.[1];
  const start = day === undefined ? NaN : Date.parse(`${day}T00:00:00.000Z`);
  return Number.isFinite(start) && start + 3 * DAY_MS <= nowMs;
}

interface Tally {
  rows: number;
  badLines: number;
}

export async function ingestActivity(deps: IngestDeps, options: IngestOptions): Promise<IngestSummary> {
  const started = deps.clock.now().getTime();
  const origin = options.origin ?? 'local';
  const positions = await deps.repository.ingestPositions(origin);
  const tally: Tally = { rows: 0, badLines: 0 };
  let files = 0;
  let conflicts = 0;
  for (const file of await deps.files.list()) {
    const position = positions.get(file) ?? { offset: 0, complete: false };
    if (position.complete) continue;
    const size = await deps.files.size(file);
    if (size === null) continue;
    try {
      if (await ingestFile(deps, options, origin, file, position.offset, size, tally)) files++;
    } catch (e) {
      if (!isRingfenceError(e) || e.code !== ErrorCodes.ACTIVITY_INGEST_CONFLICT) throw e;
      conflicts++;
    }
  }
  return { files, rows: tally.rows, badLines: tally.badLines, conflicts, ms: deps.clock.now().getTime() - started };
}

/** Reads one file from `offset` to `size` (the file may grow meanwhile: the rest is for the next run). True when it had new bytes. */
async function ingestFile(deps: IngestDeps, options: IngestOptions, origin: string, file: string, stored: number, size: number, tally: Tally): Promise<boolean> {
  const batchRows = options.batchRows ?? 5000;
  const readBytes = options.readBytes ?? 4 * 1024 * 1024;
  const at = () => deps.clock.now().toISOString();
  const finished = isFinished(file, deps.clock.now().getTime());
  // A file shorter than the stored position was replaced (removed and written again): read it from the start.
  let offset = size < stored ? 0 : stored;
  let from = stored;
  const move = async (records: ActivityRecord[], to: number, complete: boolean) => {
    await deps.repository.appendFromFile(options.schoolId, records, { origin, file, fromOffset: from, toOffset: to, complete, at: at() });
    from = to;
  };
  if (offset === size) {
    if (finished && offset === stored) await move([], offset, true);
    return false;
  }
  const decoder = new TextDecoder();
  let batch: ActivityRecord[] = [];
  while (offset < size) {
    const chunk = await deps.files.read(file, offset, Math.min(readBytes, size - offset));
    if (chunk.length === 0) break;
    let lineStart = 0;
    let nl = chunk.indexOf(NEWLINE);
    if (nl < 0) {
      // No line end in a whole read: a line longer than any the log writes. Skip it, counted.
      if (chunk.length < readBytes) break; // the last line, still being written
      const end = await findLineEnd(deps.files, file, offset + chunk.length, size, readBytes);
      if (end === null) break;
      tally.badLines++;
      offset = end;
      await move(batch, offset, false);
      tally.rows += batch.length;
      batch = [];
      continue;
    }
    while (nl >= 0) {
      if (nl > lineStart) {
        const record = parseActivityLine(decoder.decode(chunk.subarray(lineStart, nl)));
        if (record === null) tally.badLines++;
        else batch.push(record);
      }
      lineStart = nl + 1;
      if (batch.length >= batchRows) {
        await move(batch, offset + lineStart, false);
        tally.rows += batch.length;
        batch = [];
      }
      nl = chunk.indexOf(NEWLINE, lineStart);
    }
    offset += lineStart;
  }
  const complete = finished && offset === size;
  if (offset !== from || complete) {
    await move(batch, offset, complete);
    tally.rows += batch.length;
  }
  return true;
}

/** The offset just after the next newline at or after `offset`; null when the line has no end yet. */
async function findLineEnd(files: ActivityLogFiles, file: string, offset: number, size: number, readBytes: number): Promise<number | null> {
  while (offset < size) {
    const chunk = await files.read(file, offset, Math.min(readBytes, size - offset));
    if (chunk.length === 0) return null;
    const nl = chunk.indexOf(NEWLINE);
    if (nl >= 0) return offset + nl + 1;
    offset += chunk.length;
  }
  return null;
}
