// Read access to the activity log files (DATA/logs/<source>/<YYYY-MM-DD>.jsonl) for ingest.
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActivityLogFiles } from '../../services/ports.ts';

const SOURCES = ['dns', 'proxy'] as const;
const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/;

/** `dir` is the folder JsonlActivityLog writes to (DATA/logs). */
export function activityLogFiles(dir: string): ActivityLogFiles {
  return {
    async list() {
      const files: string[] = [];
      for (const source of SOURCES) {
        let names: string[];
        try {
          names = await readdir(join(dir, source));
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code === 'ENOENT') continue;
          throw e;
        }
        for (const name of names) if (DAY_FILE.test(name)) files.push(`${source}/${name}`);
      }
      return files.sort();
    },
    async size(file) {
      try {
        return (await stat(join(dir, file))).size;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async read(file, offset, length) {
      const handle = await open(join(dir, file), 'r');
      try {
        const buffer = Buffer.allocUnsafe(length);
        let filled = 0;
        while (filled < length) {
          const { bytesRead } = await handle.read(buffer, filled, length - filled, offset + filled);
          if (bytesRead === 0) break;
          filled += bytesRead;
        }
        return buffer.subarray(0, filled);
      } finally {
        await handle.close();
      }
    },
  };
}
