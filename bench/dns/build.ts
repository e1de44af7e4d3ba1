// The compiled build the benchmarks run: `tsc -p tsconfig.build.json` (src/ → dist/, relative
// `.ts` imports rewritten to `.js`), so the server under test runs as plain JavaScript, without
// the tsx loader (about 40 MiB resident, and a module hook on every import).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { say } from './servers.ts';

/**
 * Builds dist/. Type errors elsewhere in the tree (someone's work in progress) do not stop the
 * run: tsc still emits every file, and the errors are reported. A missing output does.
 */
export function buildForBench(repo: string): void {
  const started = Date.now();
  const tsc = join(repo, 'node_modules/typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: repo, encoding: 'utf8' });
  if (!existsSync(join(repo, 'dist/cli/main.js'))) throw new Error(`the build wrote no dist/cli/main.js (tsc exit ${r.status}): ${r.stdout}${r.stderr}`);
  const errors = (r.stdout.match(/error TS\d+/g) ?? []).length;
  say(`built dist/ in ${Date.now() - started} ms${errors ? ` (${errors} type errors reported, output written anyway)` : ''}`);
}

/** Node arguments that run the compiled CLI, as bin/ringfence.mjs runs the sources. */
export function compiledEntry(repo: string): string[] {
  return [join(repo, 'bench/dns/run-compiled.mjs')];
}
