// Compiled category snapshots in DATA/lists/snapshots: one file per version plus a pointer to the
// current one, so enforcement can always reload the last good snapshot (even with no database).
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { decodeSnapshot, encodeSnapshot } from '../../core/lists/snapshot-format.ts';
import type { CategorySnapshot, SnapshotContents } from '../../core/lists/snapshot.ts';
import type { Checksum } from '../../core/lists/checksum.ts';
import { writeFileAtomic } from './atomic.ts';

const KEEP_VERSIONS = 3;
export const nativeCrc32: Checksum = (bytes) => crc32(bytes);

interface CurrentPointer {
  version: number;
  file: string;
}

export class SnapshotStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'lists', 'snapshots');
  }

  private get pointerPath(): string {
    return join(this.dir, 'current.json');
  }

  current(): CurrentPointer | null {
    if (!existsSync(this.pointerPath)) return null;
    try {
      return JSON.parse(readFileSync(this.pointerPath, 'utf8')) as CurrentPointer;
    } catch (e) {
      throw new RingfenceError(ErrorCodes.SNAPSHOT_CORRUPT, `cannot read ${this.pointerPath}: ${(e as Error).message}`, this.pointerPath);
    }
  }

  nextVersion(): number {
    return (this.current()?.version ?? 0) + 1;
  }

  /** Writes a new version and makes it current; returns its path and size. */
  write(contents: SnapshotContents): { path: string; bytes: number } {
    const bytes = encodeSnapshot(contents, nativeCrc32);
    const file = `categories-v${contents.version}.rfsnap`;
    const path = join(this.dir, file);
    writeFileAtomic(path, bytes);
    writeFileAtomic(this.pointerPath, JSON.stringify({ version: contents.version, file } satisfies CurrentPointer) + '\n');
    this.prune(contents.version);
    return { path, bytes: bytes.length };
  }

  /** Loads the current snapshot; null when none was ever compiled. A damaged one is an error. */
  loadCurrent(): { snapshot: CategorySnapshot; path: string } | null {
    const pointer = this.current();
    if (!pointer) return null;
    const path = join(this.dir, pointer.file);
    return { snapshot: SnapshotStore.load(path), path };
  }

  /**
   * The newest snapshot that loads: the current one, else older kept versions, newest first. A
   * damaged file is skipped and reported, never read as an empty list. Null when none loads.
   */
  loadNewestGood(): { snapshot: CategorySnapshot; path: string; skipped: string[] } | null {
    const skipped: string[] = [];
    const pointer = (() => {
      try {
        return this.current();
      } catch (e) {
        skipped.push((e as Error).message);
        return null;
      }
    })();
    const files = existsSync(this.dir)
      ? readdirSync(this.dir)
          .map((name) => ({ name, version: Number(/^categories-v(\d+)\.rfsnap$/.exec(name)?.[1] ?? NaN) }))
          .filter((f) => !Number.isNaN(f.version))
          .sort((a, b) => b.version - a.version)
          .map((f) => f.name)
      : [];
    const order = pointer ? [pointer.file, ...files.filter((f) => f !== pointer.file)] : files;
    for (const file of order) {
      const path = join(this.dir, file);
      try {
        return { snapshot: SnapshotStore.load(path), path, skipped };
      } catch (e) {
        skipped.push((e as Error).message);
      }
    }
    return null;
  }

  static load(path: string): CategorySnapshot {
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (e) {
      throw new RingfenceError(ErrorCodes.SNAPSHOT_MISSING, `cannot read category snapshot ${path}: ${(e as Error).message}`, path);
    }
    return decodeSnapshot(bytes, nativeCrc32, path);
  }

  private prune(current: number): void {
    for (const name of readdirSync(this.dir)) {
      const m = /^categories-v(\d+)\.rfsnap$/.exec(name);
      if (m && Number(m[1]) <= current - KEEP_VERSIONS) rmSync(join(this.dir, name), { force: true });
    }
  }
}
