// The activity log as append-only JSON lines, one file per source and UTC day
// (DATA/logs/<source>/<YYYY-MM-DD>.jsonl), written in batches off the request path.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
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
  /**
   * Most records kept waiting while the log cannot be written (default 200,000, about 60 MB).
   * Beyond it new records are dropped and counted: filtering must not stop, nor memory run out,
   * because a disk is full or gone.
   */
  readonly maxWaiting?: number;
}

/** Lines for one file, as bytes in chunks: chunk i holds ends[i] bytes, of which `start` (of the first) are on disk. */
interface Pending {
  readonly chunks: Buffer[];
  readonly ends: number[];
  start: number;
  lines: number;
}

const CHUNK = 256 * 1024;
/** Written chunks kept for reuse, so steady logging allocates no new memory. */
const SPARE_CHUNKS = 8;
/** An open file is reopened after this long, so a log removed or moved by hand is recreated. */
const REOPEN_MS = 1000;

export class JsonlActivityLog implements ActivityLog {
  // Each line goes into a byte chunk as it is made: nothing per record outlives append(), and a
  // flush writes chunks as they are, to a file kept open between batches.
  private pending = new Map<string, Pending>();
  /** Lines a write failed to store, per file, in order: written first by the next write. */
  private retry = new Map<string, Pending>();
  private count = 0;
  private writing: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private readonly batchSize: number;
  private readonly spare: Buffer[] = [];
  private readonly files = new Map<string, { handle: FileHandle; openedAt: number }>();
  private lastSource = '';
  private lastDay = '';
  private lastFile = '';
  private closed = false;
  private readonly maxWaiting: number;
  /** Records appended and not yet on disk (in a batch being written, or kept after a failure). */
  private waiting = 0;
  private droppedReported = 0;
  written = 0;
  /** Records dropped because too many were waiting for a log that could not be written. */
  dropped = 0;

  constructor(
    private readonly dir: string,
    private readonly options: JsonlLogOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 1000;
    this.maxWaiting = options.maxWaiting ?? 200_000;
    this.timer = setInterval(() => void this.flush(), options.flushMs ?? 1000);
    this.timer.unref();
  }

  append(record: ActivityRecord): void {
    if (this.closed) throw new Error('activity log is closed: append() was called after close(); stop the sources before closing the log');
    if (this.waiting >= this.maxWaiting) {
      this.dropped++;
      return;
    }
    this.waiting++;
    const file = this.fileOf(record);
    let p = this.pending.get(file);
    if (p === undefined) {
      p = { chunks: [this.chunk()], ends: [0], start: 0, lines: 0 };
      this.pending.set(file, p);
    }
    const line = activityLine(record);
    let i = p.chunks.length - 1;
    // UTF-8 takes at most 3 bytes per UTF-16 unit: a line that might not fit starts a new chunk.
    const room = line.length * 3 + 1;
    if (p.ends[i]! + room > p.chunks[i]!.length) {
      p.chunks.push(room > CHUNK ? Buffer.allocUnsafeSlow(room) : this.chunk());
      p.ends.push(0);
      i++;
    }
    const c = p.chunks[i]!;
    let end = p.ends[i]!;
    end += c.write(line, end);
    c[end++] = 0x0a;
    p.ends[i] = end;
    p.lines++;
    if (++this.count >= this.batchSize) void this.flush();
  }

  flush(): Promise<void> {
    if (this.dropped > this.droppedReported) {
      this.options.onError?.(new Error(`${this.dropped - this.droppedReported} activity records dropped: ${this.maxWaiting} were already waiting for a log that cannot be written`));
      this.droppedReported = this.dropped;
    }
    if (this.count === 0 && this.retry.size === 0) return this.writing;
    const batch = this.pending;
    this.pending = new Map();
    this.count = 0;
    // Chain writes so batches land in order, one at a time.
    this.writing = this.writing.then(() => this.write(batch));
    return this.writing;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    this.closed = true;
    for (const f of this.files.values()) await f.handle.close().catch(() => undefined);
    this.files.clear();
  }

  /** `<source>/<YYYY-MM-DD>`, remembered while records keep the same source and day. */
  private fileOf(record: ActivityRecord): string {
    if (record.source !== this.lastSource || this.lastDay === '' || !record.time.startsWith(this.lastDay)) {
      this.lastSource = record.source;
      this.lastDay = record.time.slice(0, 10);
      this.lastFile = `${record.source}/${this.lastDay}`;
    }
    return this.lastFile;
  }

  private chunk(): Buffer {
    return this.spare.pop() ?? Buffer.allocUnsafeSlow(CHUNK);
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    // Lines an earlier write failed to store go first: writes run one at a time, so order holds.
    for (const [file, r] of this.retry) {
      const b = batch.get(file);
      if (b) appendPending(r, b);
      batch.set(file, r);
    }
    this.retry = new Map();
    for (const [file, p] of batch) {
      try {
        const handle = await this.handleFor(file);
        // One writev per file and batch; a short write goes on from where it stopped.
        while (p.chunks.length > 0) {
          const views = p.chunks.map((c, i) => c.subarray(i === 0 ? p.start : 0, p.ends[i]));
          let n = (await handle.writev(views)).bytesWritten;
          while (p.chunks.length > 0 && n >= p.ends[0]! - p.start) {
            n -= p.ends[0]! - p.start;
            const c = p.chunks.shift()!;
            p.ends.shift();
            p.start = 0;
            if (c.length === CHUNK && this.spare.length < SPARE_CHUNKS) this.spare.push(c);
          }
          p.start += n;
        }
        this.written += p.lines;
        this.waiting -= p.lines;
      } catch (e) {
        await this.forget(file);
        // Kept for the next write, ahead of whatever comes since.
        const r = this.retry.get(file);
        if (r) appendPending(r, p);
        else this.retry.set(file, p);
        this.options.onError?.(e as Error);
      }
    }
  }

  private async handleFor(file: string): Promise<FileHandle> {
    const now = Date.now();
    const kept = this.files.get(file);
    if (kept && now - kept.openedAt < REOPEN_MS) return kept.handle;
    // Reopened now and then; files no longer written to (yesterday's) are closed here too.
    for (const [other, f] of [...this.files]) if (other === file || now - f.openedAt >= REOPEN_MS) await this.forget(other);
    const path = join(this.dir, `${file}.jsonl`);
    await mkdir(join(path, '..'), { recursive: true });
    const handle = await open(path, 'a');
    this.files.set(file, { handle, openedAt: now });
    return handle;
  }

  private async forget(file: string): Promise<void> {
    const f = this.files.get(file);
    this.files.delete(file);
    await f?.handle.close().catch(() => undefined);
  }
}

/** Moves `more`'s lines behind `into`'s (the part of `more`'s first chunk already on disk left out). */
function appendPending(into: Pending, more: Pending): void {
  if (more.chunks.length === 0) return;
  if (more.start > 0) {
    more.chunks[0] = Buffer.from(more.chunks[0]!.subarray(more.start, more.ends[0]));
    more.ends[0] = more.chunks[0].length;
    more.start = 0;
  }
  into.chunks.push(...more.chunks);
  into.ends.push(...more.ends);
  into.lines += more.lines;
}
