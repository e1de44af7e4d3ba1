// The tail shared by the benchmark mains (bench/dns, bench/proxy): command-line options, finding
// the tools they drive, and running `main` so that Ctrl-C, a kill or a crash leaves no server,
// load generator or temp folder behind.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { killAllNow, say, stopAll, which } from '../dns/servers.ts';

/** `--name` given; `option('--name', fallback, min)`: its number, or `fallback` when absent, not a number or below `min`. */
export function argOptions(argv: readonly string[]) {
  const flag = (name: string): boolean => argv.includes(name);
  const option = (name: string, fallback: number, min = 1): number => {
    const i = argv.indexOf(name);
    const v = i >= 0 ? Number(argv[i + 1]) : NaN;
    return Number.isFinite(v) && v >= min ? v : fallback;
  };
  /** `--name a,b`: the entries of `all` named, in `all`'s order; all of them when absent. */
  const subset = <T extends string>(name: string, all: T[]): T[] => {
    const i = argv.indexOf(name);
    return i >= 0 ? all.filter((s) => (argv[i + 1] ?? '').split(',').includes(s)) : all;
  };
  return { flag, option, subset };
}

/** The path of the program `name` (on PATH or in an sbin folder), or an error naming the packages to install. */
export function tool(name: string, aptPackages: string): string {
  const found = which(name) ?? ['/usr/sbin', '/usr/bin', '/sbin'].map((d) => join(d, name)).find((p) => spawnSync('test', ['-x', p]).status === 0);
  if (!found) throw new Error(`${name} not found: install the Debian packages ${aptPackages} (apt-get install -y ${aptPackages})`);
  return found;
}

/** The first line of `cmd args`'s output (stdout then stderr) matching `pattern`, or 'unknown version'. */
export function versionLine(cmd: string, args: string[], pattern: RegExp): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return `${r.stdout ?? ''}\n${r.stderr ?? ''}`.split('\n').map((l) => l.trim()).find((l) => pattern.test(l)) ?? 'unknown version';
}

export interface RunMainOptions {
  /** For the failure message, e.g. 'bench:dns'. */
  name: string;
  /** What a signal stops, for the progress line, e.g. 'the servers'. */
  stopping: string;
  /** Kills the load generators (and anything else not tracked by servers.ts), synchronously. */
  killLoad: () => void;
  /** The run's temp folder while it exists. */
  tempDir: () => string | null;
}

/** Runs `main`; on SIGINT/SIGTERM stops everything and exits 130; on exit kills whatever is left; a throw sets exit code 1. */
export async function runMain(main: () => Promise<void>, o: RunMainOptions): Promise<void> {
  const onSignal = (signal: NodeJS.Signals) => {
    say(`${signal}: stopping ${o.stopping}`);
    o.killLoad();
    void stopAll().finally(() => {
      const dir = o.tempDir();
      if (dir) rmSync(dir, { recursive: true, force: true });
      process.exit(130);
    });
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  process.on('exit', () => {
    o.killLoad();
    killAllNow();
  });
  try {
    await main();
  } catch (e) {
    say(`${o.name} failed: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
  }
}
