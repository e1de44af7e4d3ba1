// Imports UT1 (squidGuard-layout) lists, from a folder of category folders or from the streamed blacklists.tar.gz.
// Every category folder with a `domains` and/or `urls` file becomes the list `ut1/<category>`.
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import * as tar from 'tar-stream';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { isValidListId, type ListMeta, type ListUsage } from '../../core/lists/entry.ts';
import type { LineFormat } from '../../core/lists/parse-line.ts';
import type { ImportDeps, ImportedList, ImportReport } from './import.ts';
import { ListBuilder, openListFile, readLinesInto, unreadableError } from './list-builder.ts';

const LIST_FILES: Record<string, LineFormat> = { domains: 'ut1-domains', urls: 'ut1-urls' };
const MAX_USAGE_BYTES = 64 * 1024;

/** squidGuard `usage` files list words; a category is an allow-list when they say white and not black. */
export function usageFromWords(text: string | null): ListUsage {
  if (text === null) return 'block';
  const words = new Set(text.split('\n').filter((l) => !l.trim().startsWith('#')).join(' ').toLowerCase().split(/\s+/));
  return words.has('white') && !words.has('black') ? 'allow' : 'block';
}

function categoryId(name: string): string | null {
  const id = `ut1/${name.toLowerCase()}`;
  return isValidListId(id) ? id : null;
}

/** Accumulates the reports while categories are written one at a time. */
class Ut1Run {
  readonly lists: ImportedList[] = [];
  readonly skipped: { name: string; reason: string }[] = [];
  constructor(private readonly source: string, private readonly deps: ImportDeps) {}

  async finish(category: string, builder: ListBuilder, usage: ListUsage, file: string): Promise<void> {
    const id = categoryId(category);
    if (!id) return void this.skipped.push({ name: category, reason: 'folder name cannot be a list id' });
    if (builder.size === 0) return void this.skipped.push({ name: category, reason: `no valid entries (${builder.bad} bad lines)` });
    const meta: ListMeta = {
      id, category: null, usage, illegal: false, source: this.source, format: 'ut1',
      importedAt: this.deps.now().toISOString(), counts: builder.counts,
    };
    await this.deps.store.writeList(meta, builder.entries());
    this.lists.push({ id, category: null, usage, ...builder.counts, bad: builder.bad, badExamples: builder.badExamples, file });
  }

  report(path: string): ImportReport {
    if (this.lists.length === 0) {
      throw new RingfenceError(ErrorCodes.LIST_EMPTY, `no UT1 category with valid entries found in ${path} (expected <category>/domains or <category>/urls)`, path);
    }
    const lists = [...this.lists].sort((a, b) => a.id.localeCompare(b.id));
    return { lists, totalBad: lists.reduce((n, l) => n + l.bad, 0), skipped: this.skipped };
  }
}

export async function importUt1(path: string, source: string, deps: ImportDeps): Promise<ImportReport> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw unreadableError(path, e);
  }
  return info.isDirectory() ? importUt1Folder(path, source, deps) : importUt1Archive(path, source, deps);
}

// ---- folder: <path>/<cat>/{domains,urls,usage} or <path>/blacklists/<cat>/… ----

async function importUt1Folder(path: string, source: string, deps: ImportDeps): Promise<ImportReport> {
  const root = (await isDirectory(join(path, 'blacklists'))) ? join(path, 'blacklists') : path;
  let dirents;
  try {
    dirents = await readdir(root, { withFileTypes: true });
  } catch (e) {
    throw unreadableError(root, e);
  }
  // Find every list file first, so progress knows the total and a missing folder fails before anything is written.
  const categories: { name: string; files: { file: string; format: LineFormat; size: number }[] }[] = [];
  let total = 0;
  for (const d of dirents.filter((x) => x.isDirectory()).sort((a, b) => a.name.localeCompare(b.name))) {
    const files = [];
    for (const [file, format] of Object.entries(LIST_FILES)) {
      const full = join(root, d.name, file);
      const s = await stat(full).catch(() => null);
      if (s?.isFile()) files.push({ file: full, format, size: s.size });
      total += s?.isFile() ? s.size : 0;
    }
    if (files.length > 0) categories.push({ name: d.name, files });
  }
  const run = new Ut1Run(source, deps);
  deps.progress.start(`importing UT1 from ${basename(root)}`, total);
  for (const category of categories) {
    const builder = new ListBuilder();
    for (const { file, format } of category.files) {
      const { handle } = await openListFile(file, 'ut1');
      try {
        await readLinesInto(handle.createReadStream(), builder, format, `${category.name}/${basename(file)}`, (n) => deps.progress.advance(n));
      } catch (e) {
        throw unreadableError(file, e);
      } finally {
        await handle.close().catch(() => {});
      }
    }
    const usageText = await readFile(join(root, category.name, 'usage'), 'utf8').catch(() => null);
    await run.finish(category.name, builder, usageFromWords(usageText), join(root, category.name));
  }
  deps.progress.done(`${run.lists.length} categories`);
  return run.report(path);
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null))?.isDirectory() ?? false;
}

// ---- archive: blacklists.tar.gz, streamed twice (check, then import) and never extracted to disk ----

/** `./blacklists/gambling/domains` → { category: 'gambling', file: 'domains' }. */
function archivePath(name: string): { category: string; file: string } | null {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length < 2) return null;
  return { category: parts[parts.length - 2]!, file: parts[parts.length - 1]! };
}

/** One file of the archive: read it to the end, or `resume()` it to skip. */
type ArchiveEntry = AsyncIterable<Buffer> & { resume(): unknown };

async function* archiveFiles(path: string, onBytes: (n: number) => void): AsyncGenerator<{ name: string; body: ArchiveEntry }> {
  const { handle } = await openListFile(path, 'ut1');
  const counter = new Transform({ transform(chunk: Buffer, _enc, done) { onBytes(chunk.length); done(null, chunk); } });
  const extract = tar.extract();
  const piped = pipeline(handle.createReadStream(), counter, createGunzip(), extract);
  piped.catch(() => {}); // its error also ends the iteration below, which is where it is reported
  try {
    for await (const entry of extract) {
      if (entry.header.type === 'file' || entry.header.type === 'contiguous-file') yield { name: entry.header.name, body: entry as ArchiveEntry }; // tar-stream yields Buffers
      else entry.resume(); // directories, and symlinked categories (aliases of real ones)
    }
    await piped;
  } catch (e) {
    if (e instanceof RingfenceError) throw e;
    throw new RingfenceError(ErrorCodes.ARCHIVE_INVALID, `${path} is not a readable .tar.gz archive: ${(e as Error).message}`, path);
  } finally {
    await handle.close().catch(() => {});
  }
}

async function readSmall(body: AsyncIterable<Buffer>): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) if ((size += chunk.length) <= MAX_USAGE_BYTES) chunks.push(chunk);
  return Buffer.concat(chunks).toString('utf8');
}

async function importUt1Archive(path: string, source: string, deps: ImportDeps): Promise<ImportReport> {
  const { handle, size } = await openListFile(path, 'ut1');
  await handle.close();
  // Pass 1 reads the whole archive before any list is replaced, so a truncated or corrupt download changes nothing.
  // It also learns each category's usage and how many list files it has, whatever their order in the archive.
  const usage = new Map<string, string>();
  const pending = new Map<string, number>();
  deps.progress.start(`checking ${basename(path)}`, size);
  for await (const { name, body } of archiveFiles(path, (n) => deps.progress.advance(n))) {
    const where = archivePath(name);
    if (where?.file === 'usage') usage.set(where.category, await readSmall(body));
    else {
      if (where && where.file in LIST_FILES) pending.set(where.category, (pending.get(where.category) ?? 0) + 1);
      body.resume();
    }
  }
  deps.progress.done();

  const run = new Ut1Run(source, deps);
  const builders = new Map<string, ListBuilder>();
  deps.progress.start(`importing ${basename(path)}`, size);
  for await (const { name, body } of archiveFiles(path, (n) => deps.progress.advance(n))) {
    const where = archivePath(name);
    const format = where ? LIST_FILES[where.file] : undefined;
    if (!where || !format) {
      body.resume();
      continue;
    }
    const builder = builders.get(where.category) ?? new ListBuilder();
    builders.set(where.category, builder);
    await readLinesInto(body, builder, format, `${where.category}/${where.file}`, () => {});
    const left = (pending.get(where.category) ?? 1) - 1;
    pending.set(where.category, left);
    if (left === 0) {
      builders.delete(where.category); // written as soon as complete: memory holds about one category at a time
      await run.finish(where.category, builder, usageFromWords(usage.get(where.category) ?? null), `${source}:${name.replace(/\/[^/]*$/, '')}`);
    }
  }
  // Only if the archive changed between the passes: write what was read rather than drop it.
  for (const [category, builder] of builders) await run.finish(category, builder, usageFromWords(usage.get(category) ?? null), `${source}:${category}`);
  deps.progress.done(`${run.lists.length} categories`);
  return run.report(path);
}
