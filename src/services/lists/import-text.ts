// Use case: one category list uploaded as text from the console (hosts, domains or adblock lines),
// checked, parsed with progress and stored. Never marked illegal: locked lists come from licensed
// feeds through the ringfence command, so the console can neither make one nor replace one.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isValidListId, type ListMeta, type ListUsage } from '../../core/lists/entry.ts';
import type { Policy } from '../../core/policy/schema.ts';
import type { ListStore, ProgressReporter } from '../ports.ts';
import { ListBuilder, type BadLineExample } from './list-builder.ts';

export const TEXT_LIST_FORMATS = ['hosts', 'domains', 'adblock'] as const;
export type TextListFormat = (typeof TEXT_LIST_FORMATS)[number];

/** Sources of console imports start with this; only such lists may be replaced from the console. */
export const CONSOLE_SOURCE = 'console:';
/** The starter lists' ids (storage/files/pack-files.ts): a stored list of that name would shadow one. */
const BUILTIN_PREFIX = 'builtin/';
/** Bad lines kept as examples for the console. */
export const MAX_BAD_EXAMPLES = 20;
/** Lines parsed between yields to the event loop, so status polls are answered during a large import. */
const LINES_PER_SLICE = 5000;

export interface TextListRequest {
  readonly name: string;
  readonly category: string;
  readonly usage: ListUsage;
  readonly format: TextListFormat;
  readonly text: string;
}

export interface TextListResult {
  readonly id: string;
  readonly category: string;
  readonly usage: ListUsage;
  readonly domains: number;
  readonly urls: number;
  readonly ips: number;
  readonly lines: number;
  readonly bad: number;
  readonly badLines: readonly Omit<BadLineExample, 'file'>[];
}

/**
 * Checks a request before any work starts: a valid list id, a category of the school's policy that
 * is not in the locked tier, and no existing list it may not replace. Throws what the caller can fix.
 */
export async function checkTextListRequest(request: Omit<TextListRequest, 'text'>, policy: Policy, store: ListStore): Promise<void> {
  if (!isValidListId(request.name)) {
    throw new RingfenceError(ErrorCodes.LIST_NAME_INVALID, `${quoteInput(request.name)} is not a valid list name (lower-case a-z 0-9 . _ -, optionally one "/", e.g. school/extra-gaming)`, request.name);
  }
  if (!Object.hasOwn(policy.categories, request.category)) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `the policy has no category ${quoteInput(request.category)}`, request.category);
  }
  if (policy.locked.categories.includes(request.category)) {
    throw new RingfenceError(ErrorCodes.LIST_IMPORT_CONFLICT, `${quoteInput(request.category)} is in the locked tier: its lists come from licensed feeds, not the console`, request.category);
  }
  if (request.name.startsWith(BUILTIN_PREFIX)) {
    throw new RingfenceError(ErrorCodes.LIST_IMPORT_CONFLICT, `names starting ${BUILTIN_PREFIX} belong to the built-in starter lists; choose another name`, request.name);
  }
  await checkReplaceable(request.name, store);
}

async function checkReplaceable(id: string, store: ListStore): Promise<void> {
  const existing = (await store.listMetas()).find((m) => m.id === id);
  if (!existing) return;
  if (existing.illegal || !existing.source.startsWith(CONSOLE_SOURCE)) {
    throw new RingfenceError(
      ErrorCodes.LIST_IMPORT_CONFLICT,
      `a list named ${quoteInput(id)} was imported with the ringfence command${existing.illegal ? ' and is locked' : ''}; choose another name, or replace it with the command`,
      id,
    );
  }
}

/** Parses the text (reporting lines), then stores the list, replacing a console list of that name. */
export async function importTextList(
  request: TextListRequest,
  deps: { readonly store: ListStore; readonly progress: ProgressReporter; readonly now: () => Date; readonly actor: string },
): Promise<TextListResult> {
  const text = request.text.startsWith('\uFEFF') ? request.text.slice(1) : request.text;
  if (text.includes('\0')) {
    throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, 'the upload is not a text file (it holds NUL bytes); nothing was imported');
  }
  const builder = new ListBuilder(MAX_BAD_EXAMPLES);
  const lines = await parseLines(text, request.format, builder, deps.progress);
  if (builder.size === 0) {
    throw new RingfenceError(ErrorCodes.LIST_EMPTY, `the list has no valid ${request.format} entries (${lines} lines, ${builder.bad} bad); nothing was imported`, request.name);
  }
  // Checked again here: another import or the command may have written the name since the request.
  await checkReplaceable(request.name, deps.store);
  const meta: ListMeta = {
    id: request.name,
    category: request.category,
    usage: request.usage,
    illegal: false,
    source: `${CONSOLE_SOURCE}${deps.actor}`,
    format: request.format,
    importedAt: deps.now().toISOString(),
    counts: builder.counts,
  };
  await deps.store.writeList(meta, builder.entries());
  const badLines = builder.badExamples.map(({ line, text: shown, reason }) => ({ line, text: shown, reason }));
  return { id: meta.id, category: request.category, usage: meta.usage, ...builder.counts, lines, bad: builder.bad, badLines };
}

async function parseLines(text: string, format: TextListFormat, builder: ListBuilder, progress: ProgressReporter): Promise<number> {
  const total = countLines(text);
  progress.start('reading lines', total);
  let start = 0;
  let lineNumber = 0;
  while (start < text.length) {
    const newline = text.indexOf('\n', start);
    const end = newline === -1 ? text.length : newline;
    builder.addRawLine(text.slice(start, end), ++lineNumber, format, 'upload');
    start = end + 1;
    if (lineNumber % LINES_PER_SLICE === 0) {
      progress.advance(LINES_PER_SLICE);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  progress.advance(lineNumber % LINES_PER_SLICE);
  progress.done(`${builder.size} entries, ${builder.bad} bad lines`);
  return lineNumber;
}

function countLines(text: string): number {
  if (text === '') return 0;
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return text.endsWith('\n') ? n : n + 1;
}
