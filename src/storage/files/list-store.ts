// Imported lists on disk: one text file per list under DATA/lists/store, replaced atomically (temp + fsync + rename).
//
// File layout (UTF-8, "\n" line ends):
//   ringfence-list 1
//   {meta as JSON}
//   domains N        then N lines: a canonical domain
//   urls N           then N lines: host TAB path
//   ips N            then N lines: address/prefix
//   end SHA256       hex digest of every byte before this line
// Counts and the digest make truncation or corruption an error instead of a silently shorter list.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { isValidListId, type ListEntry, type ListMeta } from '../../core/lists/entry.ts';
import type { ListStore, StoredList } from '../../services/ports.ts';

const MAGIC = 'ringfence-list 1';
const EXTENSION = '.list';
const CHUNK_LINES = 8192;
const HEAD_BYTES = 64 * 1024;

/** `ut1/gambling` → `ut1+gambling.list`: `+` never occurs in an id, so the mapping is reversible. */
export function listFileName(id: string): string {
  if (!isValidListId(id)) throw new RingfenceError(ErrorCodes.LIST_NAME_INVALID, `invalid list id ${JSON.stringify(id)}`, id);
  return id.replace('/', '+') + EXTENSION;
}

export class FileListStore implements ListStore {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'lists', 'store');
  }

  fileFor(id: string): string {
    return join(this.dir, listFileName(id));
  }

  async writeList(meta: ListMeta, entries: Iterable<ListEntry>): Promise<void> {
    const file = this.fileFor(meta.id);
    // Drain the entries before touching the disk: an iterable that fails half-way leaves no trace.
    const domains: string[] = [];
    const urls: string[] = [];
    const ips: string[] = [];
    for (const e of entries) {
      if (e.kind === 'domain') domains.push(e.host);
      else if (e.kind === 'url') urls.push(`${e.host}\t${e.path}`);
      else ips.push(`${e.address}/${e.prefix}`);
    }
    for (const u of urls) {
      if (/[\n\r]/.test(u) || u.indexOf('\t') !== u.lastIndexOf('\t')) {
        throw new RingfenceError(ErrorCodes.LIST_LINE_INVALID, `list ${meta.id}: url entry with a tab or line break`, u);
      }
    }
    const stored: ListMeta = { ...meta, counts: { domains: domains.length, urls: urls.length, ips: ips.length } };
    await mkdir(this.dir, { recursive: true });
    const temp = `${file}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
    const handle = await open(temp, 'wx');
    try {
      const hash = createHash('sha256');
      const put = async (text: string) => {
        const bytes = Buffer.from(text, 'utf8');
        hash.update(bytes);
        await handle.write(bytes);
      };
      await put(`${MAGIC}\n${JSON.stringify(stored)}\n`);
      for (const [name, lines] of [['domains', domains], ['urls', urls], ['ips', ips]] as const) {
        await put(`${name} ${lines.length}\n`);
        for (let i = 0; i < lines.length; i += CHUNK_LINES) await put(lines.slice(i, i + CHUNK_LINES).join('\n') + '\n');
      }
      await handle.write(`end ${hash.digest('hex')}\n`);
      await handle.sync();
      await handle.close();
      await rename(temp, file);
    } catch (e) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw e;
    }
    await syncDir(this.dir);
  }

  async removeList(id: string): Promise<void> {
    await unlink(this.fileFor(id)).catch((e: NodeJS.ErrnoException) => {
      if (e.code !== 'ENOENT') throw unreadable(this.fileFor(id), e.message);
    });
  }

  async listMetas(): Promise<ListMeta[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw unreadable(this.dir, (e as Error).message);
    }
    const metas: ListMeta[] = [];
    for (const name of names.filter((n) => n.endsWith(EXTENSION)).sort()) {
      metas.push(await readMetaOnly(join(this.dir, name)));
    }
    return metas;
  }

  async readList(id: string): Promise<StoredList> {
    const file = this.fileFor(id);
    let bytes: Buffer;
    try {
      bytes = await readFile(file);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw unreadable(file, code === 'ENOENT' ? `no list ${JSON.stringify(id)} is stored` : (e as Error).message);
    }
    const list = parseListFile(file, bytes);
    if (list.meta.id !== id) throw unreadable(file, `holds list ${JSON.stringify(list.meta.id)}, not ${JSON.stringify(id)}`);
    return list;
  }
}

function unreadable(file: string, why: string): RingfenceError {
  return new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read list file ${file}: ${why}`, file);
}

/** Parses a whole list file; slices of one split keep a 300k-domain list well under 100 ms. */
export function parseListFile(file: string, bytes: Buffer): StoredList {
  // The trailer is the last line: "end <64 hex>\n".
  const trailerLength = 4 + 64 + 1;
  const bodyLength = bytes.length - trailerLength;
  if (bodyLength <= 0 || bytes[bytes.length - 1] !== 0x0a) throw unreadable(file, 'truncated (no end line)');
  const trailer = bytes.toString('latin1', bodyLength, bytes.length - 1);
  if (!trailer.startsWith('end ') || (bodyLength > 0 && bytes[bodyLength - 1] !== 0x0a)) throw unreadable(file, 'truncated (no end line)');
  const digest = createHash('sha256').update(bytes.subarray(0, bodyLength)).digest('hex');
  if (trailer.slice(4) !== digest) throw unreadable(file, 'checksum mismatch (file corrupt)');

  const lines = bytes.toString('utf8', 0, bodyLength - 1).split('\n');
  if (lines[0] !== MAGIC) throw unreadable(file, 'not a ringfence list file');
  const meta = parseMeta(file, lines[1]);
  let at = 2;
  const section = (name: string): string[] => {
    const header = lines[at] ?? '';
    const count = header.startsWith(`${name} `) ? Number(header.slice(name.length + 1)) : NaN;
    if (!Number.isSafeInteger(count) || count < 0 || at + 1 + count > lines.length) {
      throw unreadable(file, `bad "${name}" section at line ${at + 1}`);
    }
    const out = lines.slice(at + 1, at + 1 + count);
    at += 1 + count;
    return out;
  };
  const domains = section('domains');
  const urls = section('urls').map((line) => {
    const tab = line.indexOf('\t');
    return { host: line.slice(0, tab), path: line.slice(tab + 1) };
  });
  const ips = section('ips').map((line) => {
    const slash = line.lastIndexOf('/');
    const address = line.slice(0, slash);
    return { family: address.includes(':') ? (6 as const) : (4 as const), address, prefix: Number(line.slice(slash + 1)) };
  });
  if (at !== lines.length) throw unreadable(file, `unexpected data after line ${at}`);
  return { meta, domains, urls, ips };
}

function parseMeta(file: string, line: string | undefined): ListMeta {
  let meta: unknown;
  try {
    meta = JSON.parse(line ?? '');
  } catch {
    throw unreadable(file, 'meta line is not JSON');
  }
  const m = meta as Partial<ListMeta> | null;
  if (!m || typeof m.id !== 'string' || typeof m.usage !== 'string' || typeof m.counts !== 'object' || m.counts === null) {
    throw unreadable(file, 'meta line lacks id, usage or counts');
  }
  return m as ListMeta;
}

/** Reads only the first two lines: listing metas must not parse every list. */
async function readMetaOnly(file: string): Promise<ListMeta> {
  let head: string;
  try {
    const handle = await open(file, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      head = buffer.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw unreadable(file, (e as Error).message);
  }
  const lines = head.split('\n', 3);
  if (lines[0] !== MAGIC || lines.length < 3) throw unreadable(file, 'not a ringfence list file (or meta too long)');
  return parseMeta(file, lines[1]);
}

async function syncDir(dir: string): Promise<void> {
  // Makes the rename durable; some platforms cannot open directories, which only costs durability.
  const handle = await open(dir, 'r').catch(() => null);
  if (!handle) return;
  await handle.sync().catch(() => {});
  await handle.close();
}
