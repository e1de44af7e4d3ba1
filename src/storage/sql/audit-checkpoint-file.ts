// The audit checkpoint in a small JSON file beside the key, replaced atomically (write, fsync,
// rename, fsync the folder) after every append. With several writers (processes or nodes) each
// file may lag the database a little; a lagging checkpoint is still a correct one.
import { readFile } from 'node:fs/promises';
import type { AuditCheckpoint } from '../../core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { AuditCheckpointStore } from '../../services/ports.ts';
import { writeFileAtomic } from '../files/atomic.ts';

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
    writeFileAtomic(this.path, text, { mode: 0o600, folderMode: 0o700 });
  }

  #invalid(why: string): RingfenceError {
    return new RingfenceError(ErrorCodes.AUDIT_CHECKPOINT_INVALID, `the audit checkpoint ${this.path} cannot be read: ${why}`, this.path);
  }
}

