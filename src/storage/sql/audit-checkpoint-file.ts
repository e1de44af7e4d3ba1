// The audit checkpoint in a small JSON file beside the key, replaced atomically (write, fsync,
// rename, fsync the folder) after every append. With several writers (processes or nodes) each
// file may lag the database a little; a lagging checkpoint is still a correct one.
import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { AuditCheckpoint } from '../../core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { AuditCheckpointStore } from '../../services/ports.ts';

const FORMAT = 'ringfence-audit-checkpoint';
const HEX64 = /^[0-9a-f]{64}$/;

export class AuditCheckpointFile implements AuditCheckpointStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  async read(): Promise<AuditCheckpoint | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#invalid((e as Error).message);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw this.#invalid('it is not JSON');
    }
    const c = parsed as Record<string, unknown> | null;
    if (c?.format !== FORMAT || c.version !== 1 || !Number.isSafeInteger(c.seq) || (c.seq as number) < 1 || typeof c.hash !== 'string' || !HEX64.test(c.hash) || typeof c.mac !== 'string' || !HEX64.test(c.mac)) {
      throw this.#invalid(`it is not a ${FORMAT} (version 1) with seq, hash and mac`);
    }
    return { seq: c.seq as number, hash: c.hash, mac: c.mac };
  }

  async write(checkpoint: AuditCheckpoint): Promise<void> {
    const text = JSON.stringify({ format: FORMAT, version: 1, seq: checkpoint.seq, hash: checkpoint.hash, mac: checkpoint.mac }) + '\n';
    writeDurably(this.path, text);
  }

  #invalid(why: string): RingfenceError {
    return new RingfenceError(ErrorCodes.AUDIT_CHECKPOINT_INVALID, `the audit checkpoint ${this.path} cannot be read: ${why}`, this.path);
  }
}

/** Write-then-rename with a random temporary name, so concurrent writers never share one. */
function writeDurably(path: string, text: string): void {
  const folder = dirname(path);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const tmp = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (e) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw e;
  }
  closeSync(fd);
  renameSync(tmp, path);
  const dirFd = openSync(folder, 'r');
  try {
    fsyncSync(dirFd);
  } finally {
    closeSync(dirFd);
  }
}
