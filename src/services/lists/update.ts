// Use case: download the full UT1 archive and import it. The download goes to a temp file first, and the import
// checks the whole archive before replacing any list, so a failed or corrupt download leaves the current lists alone.
import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { importLists, type ImportDeps, type ImportReport } from './import.ts';

/** The UT1 project's public download (Université Toulouse Capitole). */
export const UT1_ARCHIVE_URL = 'http://dsi.ut-capitole.fr/blacklists/download/blacklists.tar.gz';
/** Give up when the server sends nothing for this long (connecting, or mid-body). */
export const DEFAULT_IDLE_TIMEOUT_MS = 60_000;

export interface UpdateRequest {
  readonly dataDir: string;
  readonly url?: string;
  readonly idleTimeoutMs?: number;
}

export interface UpdateReport {
  readonly url: string;
  readonly bytes: number;
  /** Where the downloaded archive is kept (replaced by the next update). */
  readonly archive: string;
  readonly imported: ImportReport;
}

export async function updateLists(request: UpdateRequest, deps: ImportDeps): Promise<UpdateReport> {
  const url = request.url ?? UT1_ARCHIVE_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `--url ${quoteInput(url)} is not a URL`, url);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `--url must be an http or https URL, not ${quoteInput(url)}`, url);
  }
  const dir = join(request.dataDir, 'lists', 'downloads');
  await mkdir(dir, { recursive: true });
  const archive = join(dir, 'ut1-blacklists.tar.gz');
  const temp = `${archive}.part-${randomBytes(4).toString('hex')}`;
  try {
    const bytes = await download(url, temp, request.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS, deps);
    let imported: ImportReport;
    try {
      imported = await importLists({ format: 'ut1', path: temp, source: url }, deps);
    } catch (e) {
      if (e instanceof RingfenceError && e.code === ErrorCodes.ARCHIVE_INVALID) {
        throw new RingfenceError(ErrorCodes.ARCHIVE_INVALID, `what ${url} sent is not a UT1 .tar.gz archive: ${e.message}`, url);
      }
      throw e;
    }
    // Kept only once imported, so the archive on disk is always the one the lists came from.
    await rename(temp, archive);
    return { url, bytes, archive, imported };
  } finally {
    await unlink(temp).catch(() => {});
  }
}

function failed(url: string, why: string): RingfenceError {
  return new RingfenceError(ErrorCodes.DOWNLOAD_FAILED, `download of ${url} failed: ${why}`, url);
}

/** Streams `url` into the file `target`; returns the byte count. */
async function download(url: string, target: string, idleTimeoutMs: number, deps: ImportDeps): Promise<number> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(), idleTimeoutMs);
  };
  let bytes = 0;
  touch();
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: controller.signal, redirect: 'follow' });
    } catch (e) {
      throw failed(url, networkReason(e, controller.signal.aborted, idleTimeoutMs));
    }
    if (!response.ok || !response.body) {
      await response.body?.cancel().catch(() => {});
      throw failed(url, `HTTP ${response.status} ${response.statusText}`.trim());
    }
    const length = Number(response.headers.get('content-length'));
    const expected = Number.isSafeInteger(length) && length > 0 ? length : null;
    deps.progress.start(`downloading ${url}`, expected);
    const file = await open(target, 'wx');
    try {
      const reader = response.body.getReader();
      for (;;) {
        let chunk: Awaited<ReturnType<typeof reader.read>>;
        try {
          touch();
          chunk = await reader.read();
        } catch (e) {
          throw failed(url, networkReason(e, controller.signal.aborted, idleTimeoutMs));
        }
        if (chunk.done) break;
        await file.write(chunk.value);
        bytes += chunk.value.length;
        deps.progress.advance(chunk.value.length);
      }
      await file.sync();
    } finally {
      await file.close();
    }
    if (expected !== null && bytes !== expected) throw failed(url, `connection closed after ${bytes} of ${expected} bytes`);
    if (bytes === 0) throw failed(url, 'the server sent an empty file');
    deps.progress.done(`${bytes} bytes`);
    return bytes;
  } finally {
    clearTimeout(timer);
  }
}

function networkReason(e: unknown, timedOut: boolean, idleTimeoutMs: number): string {
  if (timedOut) return `no data for ${Math.round(idleTimeoutMs / 1000)} s (timed out)`;
  const cause = (e as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  return (e as Error).message ?? String(e);
}
