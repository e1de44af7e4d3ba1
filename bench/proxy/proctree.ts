// Readings from /proc for a process and its descendants (squid forks its squidGuard helpers; their
// memory and CPU count as squid's): resident memory, CPU over an interval, and the CPU other
// programs (other people's work on this shared machine) took meanwhile.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const HZ = 100; // USER_HZ on Linux
const round2 = (x: number) => Math.round(x * 100) / 100;

interface Stat {
  readonly ppid: number;
  /** user + system ticks of the process itself. */
  readonly ticks: number;
  /** user + system ticks of its children it has waited for. */
  readonly childTicks: number;
  readonly kernelThread: boolean;
}

function statOf(pid: number | 'self'): Stat | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    // Fields after the name: state ppid … utime(12) stime(13) cutime(14) cstime(15), 1-based from state.
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]), childTicks: Number(f[13]) + Number(f[14]), kernelThread: f[1] === '2' };
  } catch {
    return null;
  }
}

function allStats(): Map<number, Stat> {
  const out = new Map<number, Stat>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const s = statOf(Number(name));
    if (s) out.set(Number(name), s);
  }
  return out;
}

/** `pid` and every descendant that exists now. */
function treePids(pid: number, stats: Map<number, Stat> = allStats()): number[] {
  const out = [pid];
  for (let i = 0; i < out.length; i++) for (const [p, s] of stats) if (s.ppid === out[i]) out.push(p);
  return out.filter((p) => stats.has(p));
}

/** Start time (clock ticks since boot) of a process: with its pid, an identity that survives pid reuse. */
function startTime(pid: number): string | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

export type Snapshot = readonly (readonly [pid: number, start: string])[];

/** The tree as it is now, to be killed later with `killSnapshot` (helpers can outlive their parent). */
export function snapshotTree(pid: number): Snapshot {
  return treePids(pid).flatMap((p) => {
    const start = startTime(p);
    return start === null ? [] : [[p, start] as const];
  });
}

/** SIGKILL every process of the snapshot that still exists (same pid and start time). */
export function killSnapshot(snapshot: Snapshot): void {
  for (const [pid, start] of snapshot) {
    if (startTime(pid) !== start) continue;
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export interface TreeMemory {
  /** VmRSS summed over the tree (shared pages count once per process, as `ps` shows them). */
  readonly rssKiB: number;
  /** Pss summed over the tree: shared pages split between the processes sharing them. */
  readonly pssKiB: number;
  /** The main process's VmRSS alone. */
  readonly mainKiB: number;
  readonly processes: number;
}

function kibField(path: string, key: string): number {
  try {
    return Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(readFileSync(path, 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

export function treeMemory(pid: number): TreeMemory {
  const pids = treePids(pid);
  const rss = pids.map((p) => kibField(`/proc/${p}/status`, 'VmRSS')).filter(Number.isFinite);
  const pss = pids.map((p) => kibField(`/proc/${p}/smaps_rollup`, 'Pss')).filter(Number.isFinite);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  return { rssKiB: sum(rss), pssKiB: pss.length ? sum(pss) : NaN, mainKiB: kibField(`/proc/${pid}/status`, 'VmRSS'), processes: rss.length };
}

export interface CpuUse {
  /** Shares of one core (1 = a whole core) over the interval. */
  readonly proxy: number;
  /** wrk or curl (children of this process) plus the origin, the upstream DNS and this process. */
  readonly loadAndOrigin: number;
  /** Every other program on the machine: other people's work. Above ~0.1 the figures are disturbed. */
  readonly otherPrograms: number;
  /** Busy time no process accounts for: interrupts and softirq (loopback traffic), steal, the kernel's threads. */
  readonly unattributed: number;
  /** Busy share of each core (user, system, irq, softirq, steal). */
  readonly cores: number[];
}

function coreBusy(): { busy: number; total: number }[] {
  const out: { busy: number; total: number }[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.split(/\s+/).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    out[Number(m[1])] = { busy: total - (v[3] ?? 0) - (v[4] ?? 0), total };
  }
  return out;
}

/**
 * Starts a CPU reading over the proxy's tree, our own processes (`ours`: origin, upstream) and
 * everything else; the returned function ends it (call it after the load generator was reaped).
 */
export function cpuMeter(proxyPid: number, ours: readonly number[]): () => CpuUse {
  const t0 = performance.now();
  const s0 = allStats();
  const c0 = coreBusy();
  return () => {
    const secs = (performance.now() - t0) / 1000;
    const s1 = allStats();
    const c1 = coreBusy();
    const delta = (pid: number) => (s1.get(pid)?.ticks ?? 0) - (s0.get(pid)?.ticks ?? 0);
    // Other programs' short-lived children (test runners, builds) are gone by the end: count them
    // through their parents' waited-for children's ticks.
    const withChildren = (pid: number) => delta(pid) + (s1.get(pid)?.childTicks ?? 0) - (s0.get(pid)?.childTicks ?? 0);
    const proxyTree = new Set([...treePids(proxyPid, s0), ...treePids(proxyPid, s1)]);
    const self = statOf('self');
    const mine = new Set([process.pid, ...ours]);
    let proxy = 0;
    let load = ((self?.childTicks ?? 0) - (s0.get(process.pid)?.childTicks ?? 0)) + delta(process.pid);
    let other = 0;
    for (const [pid, s] of s1) {
      if (proxyTree.has(pid)) proxy += delta(pid);
      else if (mine.has(pid)) load += pid === process.pid ? 0 : delta(pid);
      else if (!s.kernelThread && pid !== 2) other += s0.has(pid) ? withChildren(pid) : s.ticks + s.childTicks;
    }
    // A process that ended in the window lands whole in its parent's children's ticks: take off
    // what it had used before the window began.
    for (const [pid, s] of s0) if (!s1.has(pid) && !proxyTree.has(pid) && !mine.has(pid) && !s.kernelThread) other -= s.ticks + s.childTicks;
    other = Math.max(0, other);
    const share = (ticks: number) => round2(ticks / HZ / secs);
    const cores = c1.map((c, i) => round2((c.busy - (c0[i]?.busy ?? 0)) / Math.max(1, c.total - (c0[i]?.total ?? 0))));
    return {
      proxy: share(proxy),
      loadAndOrigin: share(load),
      otherPrograms: share(other),
      unattributed: round2(Math.max(0, cores.reduce((a, b) => a + b, 0) - share(proxy + load + other))),
      cores,
    };
  };
}
