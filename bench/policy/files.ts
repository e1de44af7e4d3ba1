// Plain-text exchange files between the parent and its children: lists, names and query streams.
import { readFileSync, writeFileSync } from 'node:fs';
import type { RawList } from './data.ts';

/**
 * A file's lines as fresh flat strings (Buffer#toString per line): String#split would hand out
 * slices that keep the whole file text alive and add an indirection to every character read.
 */
function readLines(path: string): string[] {
  const buf = readFileSync(path);
  const out: string[] = [];
  let start = 0;
  for (let i = buf.indexOf(10, start); ; i = buf.indexOf(10, start)) {
    const end = i < 0 ? buf.length : i;
    if (end > start) out.push(buf.toString('latin1', start, end));
    if (i < 0) break;
    start = i + 1;
  }
  return out;
}

/** Lists file: `#list<TAB>id<TAB>category|-<TAB>source` headers, each followed by its names. */
export function writeListsFile(path: string, lists: readonly RawList[]): void {
  const parts: string[] = [];
  for (const l of lists) parts.push(`#list\t${l.id}\t${l.category ?? '-'}\t${l.source}\n`, l.names.join('\n'), '\n');
  writeFileSync(path, parts.join(''));
}

export function readListsFile(path: string): RawList[] {
  const lists: { id: string; category: string | null; source: string; names: string[] }[] = [];
  let current: { names: string[] } | null = null;
  for (const line of readLines(path)) {
    if (line.startsWith('#list\t')) {
      const [, id, category, source] = line.split('\t');
      const l = { id: id!, category: category === '-' ? null : category!, source: source!, names: [] as string[] };
      lists.push(l);
      current = l;
    } else current!.names.push(line);
  }
  return lists;
}

/** Names file: one name a line (header lines starting with '#' are skipped). */
export function readNamesFile(path: string): string[] {
  return readLines(path).filter((l) => l.charCodeAt(0) !== 35);
}

export function writeStreamFile(path: string, s: { hosts: readonly string[]; expected: Uint8Array }): void {
  writeFileSync(path, s.hosts.map((h, i) => `${s.expected[i]}${h}`).join('\n') + '\n');
}

export function readStreamFile(path: string): { hosts: string[]; expected: Uint8Array } {
  // Lines are `<0|1><host>`; each host is decoded on its own, as a server would from a packet.
  const buf = readFileSync(path);
  const hosts: string[] = [];
  const flags: number[] = [];
  let start = 0;
  while (start < buf.length) {
    let end = buf.indexOf(10, start);
    if (end < 0) end = buf.length;
    if (end > start + 1) {
      flags.push(buf[start] === 49 ? 1 : 0);
      hosts.push(buf.toString('latin1', start + 1, end));
    }
    start = end + 1;
  }
  return { hosts, expected: Uint8Array.from(flags) };
}

/** Paths for a variety of URL shapes; a URL stream is `https://host` + one of these. */
const URL_PATHS = ['/', '/some/path?q=1', '/index.html', '/a/b/c/d.php?id=42&x=y', '/search?q=school+project', '/images/logo.png'];

export function urlFor(host: string, i: number): string {
  return `https://${host}${URL_PATHS[i % URL_PATHS.length]}`;
}
