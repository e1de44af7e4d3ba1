// A school's block page words: read (the built-in words until it sets its own) and saved. A save is
// validated in the core, stored, audited, and then handed to the node so the proxy shows it at once.
import { DEFAULT_BLOCK_PAGE_TEXT, isDefaultBlockPageText, validateBlockPageText, type BlockPageText } from '../../core/org/block-page-text.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock } from '../ports.ts';

export interface StoredBlockPageText {
  readonly text: BlockPageText;
  /** ISO-8601 instant of the last save. */
  readonly updatedAt: string;
  /** The account that saved it. */
  readonly updatedBy: string;
}

/** Where schools' settings are kept (the database). */
export interface SchoolSettingsRepository {
  /** Null when the school never saved its own text. */
  blockPageText(schoolId: string): Promise<StoredBlockPageText | null>;
  saveBlockPageText(schoolId: string, saved: StoredBlockPageText): Promise<void>;
}

export interface BlockPageTextDeps {
  readonly settings: SchoolSettingsRepository;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly clock: Clock;
  /** Called once the text is stored: the node writes its last-good file and swaps the words in. */
  readonly onChanged?: (schoolId: string, text: BlockPageText, savedAt: string) => void;
}

export interface BlockPageTextView {
  readonly text: BlockPageText;
  readonly defaults: BlockPageText;
  /** True while the school shows the built-in words. */
  readonly isDefault: boolean;
  readonly updatedAt: string | null;
}

function view(stored: StoredBlockPageText | null): BlockPageTextView {
  const text = stored?.text ?? DEFAULT_BLOCK_PAGE_TEXT;
  return { text, defaults: DEFAULT_BLOCK_PAGE_TEXT, isDefault: isDefaultBlockPageText(text), updatedAt: stored?.updatedAt ?? null };
}

export async function getBlockPageText(deps: Pick<BlockPageTextDeps, 'settings'>, schoolId: string): Promise<BlockPageTextView> {
  return view(await deps.settings.blockPageText(schoolId));
}

export async function saveBlockPageText(deps: BlockPageTextDeps, actor: string, schoolId: string, input: { heading?: unknown; explanation?: unknown; whoToAsk?: unknown }): Promise<BlockPageTextView> {
  const text = validateBlockPageText(input);
  const before = (await deps.settings.blockPageText(schoolId))?.text ?? DEFAULT_BLOCK_PAGE_TEXT;
  const stored: StoredBlockPageText = { text, updatedAt: deps.clock.now().toISOString(), updatedBy: actor };
  await deps.settings.saveBlockPageText(schoolId, stored);
  await deps.audit.append({ schoolId, actor, action: 'school.block-page.update', target: 'block-page', details: { before: { ...before }, after: { ...text } } });
  deps.onChanged?.(schoolId, text, stored.updatedAt);
  return view(stored);
}
