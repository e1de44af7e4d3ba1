// Collects the parsed lines of one list (deduplicated) with its bad-line tally, and splits byte streams into lines.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { StringDecoder } from 'node:string_decoder';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import type { ListEntry } from '../../core/lists/entry.ts';
import { parseListLine, type LineFormat } from '../../core/lists/parse-line.ts';

export interface BadLineExample {
  /** 1-based line number within `file`. */
  readonly line: number;
  readonly text: string;
  readonly reason: string;
  /** Which source file the line came from (a UT1 category has two). */
  readonly file: string;
}

const MAX_EXAMPLES = 5;
const MAX_EXAMPLE_TEXT = 200;
/** Longer "lines" are not list entries (binary file, wrong format); they are cut and counted as bad. */
const MAX_LINE_CHARS = 64 * 1024;

export class ListBuilder {
  private readonly domains = new Set<string>();
  private readonly urls = new Map<string, ListEntry>();
  private readonly ips = new Map<string, ListEntry>();
  bad = 0;
  readonly badExamples: BadLineExample[] = [];

  /** `maxExamples`: how many bad lines to keep as examples (the command shows 5, the console 20). */
  constructor(private readonly maxExamples = MAX_EXAMPLES) {}

  get counts(): { domains: number; urls: number; ips: number } {
    return { domains: this.domains.size, urls: this.urls.size, ips: this.ips.size };
  }

  get size(): number {
    return this.domains.size + this.urls.size + this.ips.size;
  }

  addLine(text: string, lineNumber: number, format: LineFormat, file: string): void {
    const parsed = parseListLine(text, format);
    if (parsed.kind === 'entry') {
      this.add(parsed.entry);
      if (parsed.more) for (const e of parsed.more) this.add(e);
    } else if (parsed.kind === 'bad') {
      this.addBad(lineNumber, text, parsed.reason, file);
    }
  }

  /** One raw line as read: an over-long one is counted bad without parsing it. */
  addRawLine(text: string, lineNumber: number, format: LineFormat, file: string): void {
    if (text.length > MAX_LINE_CHARS) this.addBad(lineNumber, text, `line longer than ${MAX_LINE_CHARS} characters`, file);
    else this.addLine(text, lineNumber, format, file);
  }

  addBad(line: number, text: string, reason: string, file: string): void {
    this.bad++;
    if (this.badExamples.length < this.maxExamples) {
      const shown = text.trim();
      this.badExamples.push({ line, text: shown.length > MAX_EXAMPLE_TEXT ? `${shown.slice(0, MAX_EXAMPLE_TEXT)}…` : shown, reason, file });
    }
  }

  private add(e: ListEntry): void {
    if (e.kind === 'domain') this.domains.add(e.host);
    else if (e.kind === 'url') this.urls.set(`${e.host}\t${e.path}`, e);
    else this.ips.set(`${e.address}/${e.prefix}`, e);
  }

  *entries(): Iterable<ListEntry> {
    for (const host of this.domains) yield { kind: 'domain', host };
    yield* this.urls.values();
    yield* this.ips.values();
  }
}

/** Feeds every line of `source` to `builder`, reporting bytes as they are read. */
export async function readLinesInto(
  source: AsyncIterable<Buffer>,
  builder: ListBuilder,
  format: LineFormat,
  file: string,
  onBytes: (n: number) => void,
): Promise<void> {
  const decoder = new StringDecoder('utf8');
  let carry = '';
  let lineNumber = 0;
  const take = (line: string) => {
    builder.addRawLine(line, ++lineNumber, format, file);
  };
  for await (const chunk of source) {
    onBytes(chunk.length);
    const pieces = (carry + decoder.write(chunk)).split('\n');
    carry = pieces.pop() ?? '';
    for (const line of pieces) take(line);
    if (carry.length > MAX_LINE_CHARS * 4) carry = carry.slice(0, MAX_LINE_CHARS + 1); // keep memory bounded
  }
  carry += decoder.end();
  if (carry !== '') take(carry);
}

/** Opens a file that must exist and be a readable regular file; anything else is RF_LIST_UNREADABLE naming it. */
export async function openListFile(path: string, what: string): Promise<{ handle: FileHandle; size: number }> {
  let info;
  try {
    info = await stat(path);
  } catch (e) {
    throw unreadableError(path, e);
  }
  if (info.isDirectory()) {
    throw new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read ${path}: it is a directory, --format ${what} expects a file`, path);
  }
  try {
    return { handle: await open(path, 'r'), size: info.size };
  } catch (e) {
    throw unreadableError(path, e);
  }
}

export function unreadableError(path: string, e: unknown): Error {
  if (e instanceof RingfenceError) return e;
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOENT' ? 'no such file or directory'
    : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied'
    : err.code === 'EISDIR' ? 'it is a directory'
    : err.message;
  return new RingfenceError(ErrorCodes.LIST_UNREADABLE, `cannot read ${path}: ${why}`, path);
}
