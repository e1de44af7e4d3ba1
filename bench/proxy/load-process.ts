// Load generators (wrk, curl) as short-lived children pinned to the load core, with a hard time
// limit; `killLoad` ends any still running (on exit and on signals). Preparation steps as Procs.
import { spawn, type ChildProcess } from 'node:child_process';
import { Proc } from '../dns/servers.ts';

const live = new Set<ChildProcess>();

export interface LoadOutput {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `command` (under `taskset -c cpu` when pinned) and collects its output. */
export function runLoad(command: string, args: readonly string[], cpu: number | null, killAfterMs: number): Promise<LoadOutput> {
  const [cmd, argv] = cpu === null ? [command, [...args]] : ['taskset', ['-c', String(cpu), command, ...args]];
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout!.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr!.setEncoding('utf8').on('data', (c: string) => {
      if (stderr.length < 65_536) stderr += c;
    });
    const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('error', (e) => {
      clearTimeout(killer);
      live.delete(child);
      reject(e);
    });
    child.on('close', (code) => {
      clearTimeout(killer);
      live.delete(child);
      resolve({ code, stdout, stderr });
    });
  });
}

export function killLoad(): void {
  for (const child of live) child.kill('SIGKILL');
}

/**
 * Runs a preparation step (list import, list compile) as a Proc, so that ctrl-C stops it like the
 * servers, and resolves with its exit and output once it ends; killed after `limitMs`.
 */
export async function runStep(label: string, command: string, args: readonly string[], cwd: string | undefined, limitMs: number): Promise<{ ok: boolean; ms: number; output: string; stdout: string }> {
  const started = Date.now();
  const proc = new Proc(label, null, command, args, cwd);
  let stdout = '';
  proc.child.stdout?.on('data', (c: string) => (stdout += c));
  const timer = setTimeout(() => void proc.stop(0), limitMs);
  await new Promise<void>((resolve) => {
    if (proc.exited) return resolve();
    proc.child.once('close', () => resolve());
  });
  clearTimeout(timer);
  return { ok: proc.exited?.code === 0, ms: Date.now() - started, output: proc.output, stdout };
}
