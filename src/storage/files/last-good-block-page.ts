// The block page text in force, kept as DATA/last-good/block-page.json so the proxy shows the
// school's words from its first request, with the database down or not yet open. One file, written
// atomically, with the school, the save time and a SHA-256 over all of them: a damaged file is
// detected and reported, never shown.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateBlockPageText, type BlockPageText } from '../../core/org/block-page-text.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { writeFileAtomic } from './atomic.ts';
import { lastGoodDir } from './last-good-policy.ts';

const FORMAT = 1;

export interface SavedBlockPageText {
  readonly schoolId: string;
  /** ISO-8601 instant the school saved it. */
  readonly savedAt: string;
  readonly text: BlockPageText;
}

function checksum(saved: SavedBlockPageText): string {
  const { schoolId, savedAt, text } = saved;
  return createHash('sha256').update(JSON.stringify({ schoolId, savedAt, heading: text.heading, explanation: text.explanation, whoToAsk: text.whoToAsk })).digest('hex');
}

export class LastGoodBlockPageStore {
  readonly path: string;

  constructor(dataDir: string) {
    this.path = join(lastGoodDir(dataDir), 'block-page.json');
  }

  /** Null when there is no file; LAST_GOOD_DAMAGED when there is one that is not whole and valid. */
  read(): SavedBlockPageText | null {
    if (!existsSync(this.path)) return null;
    const damaged = (why: string) => new RingfenceError(ErrorCodes.LAST_GOOD_DAMAGED, `block page text ${this.path} ${why}`, this.path);
    let data: { format?: unknown; schoolId?: unknown; savedAt?: unknown; sha256?: unknown; text?: unknown };
    try {
      data = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch (e) {
      throw damaged(`cannot be read: ${(e as Error).message}`);
    }
    if (data === null || typeof data !== 'object' || data.format !== FORMAT) throw damaged(`is not a format ${FORMAT} block page text`);
    const { schoolId, savedAt } = data;
    if (typeof schoolId !== 'string' || typeof savedAt !== 'string' || data.text === null || typeof data.text !== 'object') throw damaged('has missing metadata');
    let text: BlockPageText;
    try {
      // Checked again as the console checks it: a hand-edited file cannot put control characters on the page.
      text = validateBlockPageText(data.text as Record<string, unknown>);
    } catch (e) {
      throw damaged(`holds text that is not allowed: ${(e as Error).message}`);
    }
    const saved: SavedBlockPageText = { schoolId, savedAt, text };
    if (data.sha256 !== checksum(saved)) throw damaged('fails its checksum (the file was changed or cut short)');
    return saved;
  }

  write(saved: SavedBlockPageText): string {
    const { text } = saved;
    const body = { format: FORMAT, schoolId: saved.schoolId, savedAt: saved.savedAt, sha256: checksum(saved), text: { heading: text.heading, explanation: text.explanation, whoToAsk: text.whoToAsk } };
    writeFileAtomic(this.path, JSON.stringify(body, null, 1) + '\n');
    return this.path;
  }
}
