// The directory as DATA/directory.json (until the control plane's database holds it).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { Directory } from '../../core/directory/directory.ts';
import { writeFileAtomic } from './atomic.ts';

export class DirectoryFile {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'directory.json');
  }

  read(): Directory {
    if (!existsSync(this.path)) return { users: [] };
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as Directory;
      if (!Array.isArray(parsed.users)) throw new Error('no "users" array');
      return parsed;
    } catch (e) {
      throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, `the directory file ${this.path} is unreadable: ${(e as Error).message}`, this.path);
    }
  }

  write(directory: Directory): void {
    writeFileAtomic(this.path, JSON.stringify(directory, null, 1) + '\n');
  }
}
