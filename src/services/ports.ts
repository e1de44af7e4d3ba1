// Interfaces the use cases need from the outside world; adapters in src/storage and src/cli implement them.
import type { ListEntry, ListMeta } from '../core/lists/entry.ts';
export type { Clock } from '../core/clock.ts';

/** A list's entries, grouped by kind, as kept by the list store. */
export interface StoredList {
  readonly meta: ListMeta;
  /** Canonical domain names (lower-case A-labels). */
  readonly domains: readonly string[];
  readonly urls: readonly { readonly host: string; readonly path: string }[];
  readonly ips: readonly { readonly family: 4 | 6; readonly address: string; readonly prefix: number }[];
}

/** Keeps imported lists, one record per list id; writes replace the whole list atomically. */
export interface ListStore {
  /** Replaces (or creates) the list `meta.id` with these entries; on failure the old list is untouched. */
  writeList(meta: ListMeta, entries: Iterable<ListEntry>): Promise<void>;
  removeList(id: string): Promise<void>;
  listMetas(): Promise<ListMeta[]>;
  readList(id: string): Promise<StoredList>;
}

/** Progress of long work (imports, downloads, compiles), shown to whoever started it. */
export interface ProgressReporter {
  /** `total` is in the same unit as `advance` (bytes, lines); null when unknown. */
  start(label: string, total: number | null): void;
  advance(amount: number): void;
  done(summary?: string): void;
}

export const silentProgress: ProgressReporter = { start() {}, advance() {}, done() {} };

/** Where compiled category snapshots go; the newest written is the one enforced. */
export interface SnapshotSink {
  nextVersion(): number;
  write(contents: import('../core/lists/snapshot.ts').SnapshotContents): { path: string; bytes: number };
}

/** Where activity records go: appended in batches, never rewritten. */
export interface ActivityLog {
  append(record: import('../core/activity/record.ts').ActivityRecord): void;
  /** Writes everything appended so far. */
  flush(): Promise<void>;
  /** Flushes and stops; nothing appended before close() is lost. */
  close(): Promise<void>;
}
