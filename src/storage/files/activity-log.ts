// The activity log as append-only JSON lines, one file per source and UTC day
// (DATA/logs/<source>/<YYYY-MM-DD>.jsonl), written in batches off the request path.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { activityLine, type ActivityRecord } from '../../core/activity/record.ts';
import type { ActivityLog } from '../../services/ports.ts';

export interface JsonlLogOptions {
  /** Flush when this many records wait (default 1000). */
  readonly batchSize?: number;
  /** Flush at least this often (default 1000 ms). */
  readonly flushMs?: number;
  /** Called when a write fails; the records stay buffered and are tried again. */
  readonly onError?: (e: Error) => void;
}

/** Lines waiting for one file: `<source>/<YYYY-MM-DD>` → lines. */
type Pending = Map<string, string[]>;

export class JsonlActivityLog implements ActivityLog {
  // Records are serialised as they arrive, so a flush only joins strings: no pause on the event loop.
  private buffer: Pending = new Map();
  private count = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;
  private closed = false;
  written = 0;

  constructor(
    private readonly dir: string,
    private readonly options: JsonlLogOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  append(record: ActivityRecord): void {
    if (this.closed) throw new Error('activity log is closed');
    const file = `${record.source}/${record.time.slice(0, 10)}`;
    const lines = this.buffer.get(file);
    if (lines) lines.push(activityLine(record));
    else this.buffer.set(file, [activityLine(record)]);
    if (++this.count >= this.batchSize) void this.flush();
  }

  flush(): Promise<void> {
    if (this.count === 0) return this.writing;
    const batch = this.buffer;
    const n = this.count;
    this.buffer = new Map();
    this.count = 0;
    // Chain writes so batches land in order, one at a time.
    this.writing = this.writing.then(() => this.write(batch, n));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }

  private async write(batch: Pending, n: number): Promise<void> {
    try {
      for (const [file, lines] of batch) {
        const path = join(this.dir, `${file}.jsonl`);
        await mkdir(join(path, '..'), { recursive: true });
        await appendFile(path, lines.join('\n') + '\n');
        batch.delete(file);
      }
      this.written += n;
    } catch (e) {
      // Keep what was not written for the next flush rather than lose it.
      for (const [file, lines] of batch) {
        const waiting = this.buffer.get(file);
        this.buffer.set(file, waiting ? lines.concat(waiting) : lines);
        this.count += lines.length;
      }
      this.options.onError?.(e as Error);
    }
  }
}
