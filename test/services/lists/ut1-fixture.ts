// Builds small UT1-style blacklists.tar.gz archives for tests (tar-stream + zlib, no files extracted).
import { createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import * as tar from 'tar-stream';

export interface FixtureCategory {
  readonly domains?: readonly string[];
  readonly urls?: readonly string[];
  readonly usage?: string;
}

export interface ArchiveFile {
  readonly name: string;
  readonly body: string;
}

/** Archive files for `categories`, under `blacklists/<cat>/`, in category order. */
export function ut1Files(categories: Record<string, FixtureCategory>): ArchiveFile[] {
  const files: ArchiveFile[] = [];
  for (const [cat, c] of Object.entries(categories)) {
    if (c.domains) files.push({ name: `blacklists/${cat}/domains`, body: c.domains.join('\n') + '\n' });
    if (c.urls) files.push({ name: `blacklists/${cat}/urls`, body: c.urls.join('\n') + '\n' });
    if (c.usage !== undefined) files.push({ name: `blacklists/${cat}/usage`, body: c.usage });
  }
  return files;
}

/** Writes a .tar.gz with these files (and a symlinked alias category, as the real archive has). */
export async function writeTarGz(path: string, files: readonly ArchiveFile[], symlinks: Record<string, string> = {}): Promise<void> {
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(path));
  pack.entry({ name: 'blacklists/', type: 'directory' });
  for (const f of files) pack.entry({ name: f.name }, f.body);
  for (const [name, target] of Object.entries(symlinks)) pack.entry({ name, type: 'symlink', linkname: target });
  pack.finalize();
  await done;
}

/** `count` generated domains for a category, e.g. cat-0.example, cat-1.example, … */
export function generatedDomains(cat: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${cat.replace(/_/g, '-')}-${i}.example`);
}
