// The last good published policy, kept in DATA/last-good/ so enforcement survives the database being
// down and a cold start: one file per published version (the newest few kept), each with its school,
// version, publish time and a SHA-256 over all of them, so a damaged file is detected, never enforced.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { Policy } from '../../core/policy/schema.ts';
import { parsePolicy } from '../../core/policy/validate.ts';
import { writeFileAtomic } from './atomic.ts';

const FORMAT = 1;
const KEEP_VERSIONS = 3;
const FILE = /^policy-v(\d+)\.json$/;

export interface PublishedPolicyMeta {
  readonly schoolId: string;
  readonly version: number;
  /** ISO-8601 instant the version was published. */
  readonly publishedAt: string;
}

export interface LastGoodPolicy {
  readonly meta: PublishedPolicyMeta;
  readonly policy: Policy;
  readonly path: string;
}

export function lastGoodDir(dataDir: string): string {
  return join(dataDir, 'last-good');
}

function checksum(meta: PublishedPolicyMeta, document: unknown): string {
  // JSON.parse then JSON.stringify gives back the same text, so the reader can recompute this.
  return createHash('sha256').update(JSON.stringify({ schoolId: meta.schoolId, version: meta.version, publishedAt: meta.publishedAt, document })).digest('hex');
}

function damaged(path: string, why: string): RingfenceError {
  return new RingfenceError(ErrorCodes.LAST_GOOD_DAMAGED, `published policy ${path} ${why}`, path);
}

export class LastGoodPolicyStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = lastGoodDir(dataDir);
  }

  pathOf(version: number): string {
    return join(this.dir, `policy-v${version}.json`);
  }

  /** Versions on disk, newest first (whether or not their files are good). */
  versions(): number[] {
    if (!existsSync(this.dir)) return [];
    return readdirSync(this.dir)
      .map((name) => Number(FILE.exec(name)?.[1] ?? NaN))
      .filter((v) => Number.isInteger(v))
      .sort((a, b) => b - a);
  }

  /** Reads and checks one version's file; LAST_GOOD_DAMAGED when it is not whole and valid. */
  read(version: number): LastGoodPolicy {
    const path = this.pathOf(version);
    let data: { format?: unknown; schoolId?: unknown; version?: unknown; publishedAt?: unknown; sha256?: unknown; document?: unknown };
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch (e) {
      throw damaged(path, `cannot be read: ${(e as Error).message}`);
    }
    if (data === null || typeof data !== 'object' || data.format !== FORMAT) throw damaged(path, `is not a format ${FORMAT} published policy`);
    const { schoolId, publishedAt } = data;
    if (typeof schoolId !== 'string' || typeof publishedAt !== 'string' || data.version !== version) throw damaged(path, 'has missing or mismatched metadata');
    const meta: PublishedPolicyMeta = { schoolId, version, publishedAt };
    if (data.sha256 !== checksum(meta, data.document)) throw damaged(path, 'fails its checksum (the file was changed or cut short)');
    try {
      return { meta, policy: parsePolicy(data.document, path), path };
    } catch (e) {
      throw damaged(path, `holds no valid policy: ${(e as Error).message}`);
    }
  }

  /** The newest version whose file is good; damaged newer ones are passed over and named in `skipped`. */
  loadNewestGood(): { found: LastGoodPolicy | null; skipped: { version: number; why: string }[] } {
    const skipped: { version: number; why: string }[] = [];
    for (const version of this.versions()) {
      try {
        return { found: this.read(version), skipped };
      } catch (e) {
        skipped.push({ version, why: (e as Error).message });
      }
    }
    return { found: null, skipped };
  }

  /**
   * Writes a version atomically and prunes older ones. Damaged files of newer versions are renamed
   * aside (`.damaged`, kept for whoever looks into it) so they no longer hide this one.
   */
  write(meta: PublishedPolicyMeta, policy: Policy): string {
    const newer = this.loadNewestGood().found;
    if (newer && newer.meta.version >= meta.version) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_CONFLICT, `published policy v${newer.meta.version} is already on disk; v${meta.version} is not newer`);
    const document = JSON.parse(JSON.stringify(policy)) as unknown;
    const text = JSON.stringify({ format: FORMAT, ...meta, sha256: checksum(meta, document), document }, null, 1) + '\n';
    const path = this.pathOf(meta.version);
    writeFileAtomic(path, text);
    for (const v of this.versions()) {
      if (v > meta.version) renameSync(this.pathOf(v), `${this.pathOf(v)}.damaged`);
      else if (v <= meta.version - KEEP_VERSIONS) rmSync(this.pathOf(v), { force: true });
    }
    return path;
  }
}
