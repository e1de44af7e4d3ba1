// Use case: import category lists (a UT1 tree or archive, or one hosts/domains/adblock file) into the list store.
import { basename, resolve } from 'node:path';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isValidListId, type ListFormat, type ListMeta, type ListUsage } from '../../core/lists/entry.ts';
import type { LineFormat } from '../../core/lists/parse-line.ts';
import type { ListStore, ProgressReporter } from '../ports.ts';
import { ListBuilder, openListFile, readLinesInto, unreadableError, type BadLineExample } from './list-builder.ts';
import { importUt1 } from './import-ut1.ts';

export const LIST_FORMATS: readonly ListFormat[] = ['ut1', 'hosts', 'domains', 'adblock'];

export interface ImportRequest {
  readonly format: ListFormat;
  readonly path: string;
  readonly category?: string;
  readonly name?: string;
  readonly illegal?: boolean;
  readonly usage?: ListUsage;
  /** Recorded as the lists' source instead of the path (e.g. the URL an archive was downloaded from). */
  readonly source?: string;
}

export interface ImportDeps {
  readonly store: ListStore;
  readonly progress: ProgressReporter;
  readonly now: () => Date;
}

export interface ImportedList {
  readonly id: string;
  readonly category: string | null;
  readonly usage: ListUsage;
  readonly domains: number;
  readonly urls: number;
  readonly ips: number;
  readonly bad: number;
  /** The first five bad lines. */
  readonly badExamples: readonly BadLineExample[];
  /** Where the list was read from: the file, the UT1 category folder, or `archive.tar.gz:blacklists/<cat>`. */
  readonly file: string;
}

export interface ImportReport {
  readonly lists: readonly ImportedList[];
  readonly totalBad: number;
  /** UT1 categories that were not imported (no valid entries, or a folder name that cannot be a list id). */
  readonly skipped: readonly { readonly name: string; readonly reason: string }[];
}

const CATEGORY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

export async function importLists(request: ImportRequest, deps: ImportDeps): Promise<ImportReport> {
  validate(request);
  const path = resolve(request.path);
  if (request.format === 'ut1') return importUt1(path, request.source ?? path, deps);
  return importSingleFile({ ...request, format: request.format, path }, deps);
}

function validate(request: ImportRequest): void {
  const invalid = (message: string, input?: string) => new RingfenceError(ErrorCodes.ARGUMENT_INVALID, message, input);
  if (!LIST_FORMATS.includes(request.format)) {
    throw invalid(`--format must be one of ${LIST_FORMATS.join(', ')}, not ${quoteInput(request.format)}`, String(request.format));
  }
  if (!request.path) throw invalid('--path is required: the list file or UT1 folder/archive to import');
  if (request.usage !== undefined && request.usage !== 'block' && request.usage !== 'allow') {
    throw invalid(`--usage must be allow or block, not ${quoteInput(request.usage)}`, String(request.usage));
  }
  if (request.category !== undefined && !CATEGORY.test(request.category)) {
    throw invalid(`--category must be a lower-case name (a-z, 0-9, _ and -), not ${quoteInput(request.category)}`, request.category);
  }
  if (request.illegal && request.usage === 'allow') {
    throw invalid('--illegal cannot be combined with --usage allow: illegal-content lists only ever block');
  }
  if (request.name !== undefined && !isValidListId(request.name)) {
    throw new RingfenceError(
      ErrorCodes.LIST_NAME_INVALID,
      `--name ${quoteInput(request.name)} is not a valid list id (lower-case a-z 0-9 . _ -, optionally one "/", e.g. blp/gambling)`,
      request.name,
    );
  }
  if (request.format === 'ut1') {
    for (const [option, value] of [['--name', request.name], ['--category', request.category], ['--usage', request.usage], ['--illegal', request.illegal || undefined]] as const) {
      if (value !== undefined) throw invalid(`${option} does not apply to --format ut1: each UT1 category becomes its own list, its usage file decides allow or block`);
    }
  }
}

/**
 * The list id for a file imported without --name: the file name lower-cased, a .txt/.list/.lst/.hosts/.domains/.conf
 * extension dropped, every run of other characters than a-z 0-9 . _ - turned into "-", leading and trailing
 * punctuation removed, at most 100 characters. "Gambling List (2020).txt" → "gambling-list-2020".
 */
export function listIdFromFileName(fileName: string): string {
  const id = fileName
    .toLowerCase()
    .replace(/\.(txt|list|lst|hosts|domains|conf)$/, '')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100)
    .replace(/[^a-z0-9]+$/, '');
  return id;
}

const LINE_FORMAT: Record<Exclude<ListFormat, 'ut1'>, LineFormat> = { hosts: 'hosts', domains: 'domains', adblock: 'adblock' };

async function importSingleFile(request: ImportRequest & { format: Exclude<ListFormat, 'ut1'> }, deps: ImportDeps): Promise<ImportReport> {
  const { path } = request;
  const id = request.name ?? listIdFromFileName(basename(path));
  if (!isValidListId(id)) {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `cannot derive a list id from the file name ${quoteInput(basename(path))}; pass --name`, path);
  }
  const { handle, size } = await openListFile(path, request.format);
  const builder = new ListBuilder();
  deps.progress.start(`importing ${basename(path)}`, size);
  try {
    await readLinesInto(handle.createReadStream(), builder, LINE_FORMAT[request.format], basename(path), (n) => deps.progress.advance(n));
  } catch (e) {
    throw unreadableError(path, e);
  } finally {
    await handle.close().catch(() => {});
  }
  deps.progress.done(`${builder.size} entries, ${builder.bad} bad lines`);
  if (builder.size === 0) {
    throw new RingfenceError(ErrorCodes.LIST_EMPTY, `${path} has no valid ${request.format} entries (${builder.bad} bad lines); nothing was imported`, path);
  }
  const meta: ListMeta = {
    id,
    category: request.category ?? null,
    usage: request.usage ?? 'block',
    illegal: request.illegal ?? false,
    source: request.source ?? path,
    format: request.format,
    importedAt: deps.now().toISOString(),
    counts: builder.counts,
  };
  await deps.store.writeList(meta, builder.entries());
  const list: ImportedList = { id, category: meta.category, usage: meta.usage, ...builder.counts, bad: builder.bad, badExamples: builder.badExamples, file: path };
  return { lists: [list], totalBad: builder.bad, skipped: [] };
}
