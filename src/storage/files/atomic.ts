// Write-then-rename, so a reader (or a crash) only ever sees the old file or the whole new one.
import { closeSync, fchmodSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, basename, join } from 'node:path';

export interface AtomicWriteOptions {
  /** File mode (default 0o640); secrets use 0o600 so no other user ever reads them. */
  readonly mode?: number;
  /** Mode for folders created on the way (default: the umask's). */
  readonly folderMode?: number;
}

export function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, ...(options.folderMode !== undefined ? { mode: options.folderMode } : {}) });
  const mode = options.mode ?? 0o640;
  // A random part in the name: concurrent writers (threads, processes) never share a temporary file.
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', mode);
  try {
    fchmodSync(fd, mode); // the umask may have taken bits away from openSync's mode
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  // Make the rename itself durable.
  const dirFd = openSync(folder, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
