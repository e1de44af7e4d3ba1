// The activity log as append-only JSON lines, one file per source and UTC day
// (DATA/logs/<source>/<YYYY-MM-DD>.jsonl), written in batches off the request path.
import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivityRecord } from '../../core/activity/record.ts';
import type { ActivityLog } from '../../services/ports.ts';

export interface JsonlLogOptions {
  /** Flush when this many records wait (default 1000). */
  readonly batchSize?: number;
  /** Flush at least this often (default 1000 ms). */
  readonly flushMs?: number;
  /** Called when a write fails; the records stay buffered and are tried again. */
  readonly onError?: (e: Error) => void;
}

export class JsonlActivityLog implements ActivityLog {
  private buffer: ActivityRecord[] = [];
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
    this.buffer.push(record);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  flush(): Promise<void> {
    if (this.buffer.length === 0) return this.writing;
    const batch = this.buffer;
    this.buffer = [];
    // Chain writes so batches land in order, one at a time.
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
  }

  private async write(batch: ActivityRecord[]): Promise<void> {
    const byFile = new Map<string, string[]>();
    for (const r of batch) {
      const file = join(this.dir, r.source, `${r.time.slice(0, 10)}.jsonl`);
      const lines = byFile.get(file);
      if (lines) lines.push(JSON.stringify(r));
      else byFile.set(file, [JSON.stringify(r)]);
    }
    try {
      for (const [file, lines] of byFile) {
        await mkdir(join(file, '..'), { recursive: true });
        await appendFile(file, lines.join('\n') + '\n');
      }
      this.written += batch.length;
    } catch (e) {
      // Keep the batch for the next flush rather than lose it.
      this.buffer = batch.concat(this.buffer);
      this.options.onError?.(e as Error);
    }
  }
}
