// Runs the real `ringfence` command, as a user would.
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function ringfence(args: string[], options: { input?: string } = {}): CliResult {
  const r = spawnSync(process.execPath, ['bin/ringfence.mjs', ...args], { encoding: 'utf8', input: options.input, timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function tempDataDir(prefix = 'rf-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
