// Readings from /proc: a process's memory (VmRSS), and CPU use over an interval split between the
// server under test, dnsperf, the upstream, the kernel, other programs and steal.
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

export interface Memory {
  readonly rssKiB: number;
  readonly hwmKiB: number;
  readonly anonKiB: number;
  readonly fileKiB: number;
}

/** VmRSS (and its anonymous/file split, and the peak) from /proc/<pid>/status. */
export function memoryOf(pid: number): Memory {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  return { rssKiB: kib('VmRSS'), hwmKiB: kib('VmHWM'), anonKiB: kib('RssAnon'), fileKiB: kib('RssFile') };
}

/** CPU ticks of a process, all threads: [user + system, waited-for children's user + system]. */
function processTicks(pid: number | 'self'): [number, number] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return [Number(f[11]) + Number(f[12]), Number(f[13]) + Number(f[14])]; // utime stime cutime cstime (fields 14–17)
  } catch {
    return [NaN, NaN];
  }
}

interface CoreTicks {
  readonly busy: number;
  readonly total: number;
  /** irq + softirq (the kernel's packet work on loopback lands here) and steal (other VMs). */
  readonly irq: number;
  readonly steal: number;
}

/** Ticks per core from /proc/stat (busy: everything but idle and iowait). */
function coreTicks(): CoreTicks[] {
  const out: CoreTicks[] = [];
  for (const line of readFileSync('/proc/stat', 'utf8').split('\n')) {
    const m = /^cpu(\d+)\s+(.*)$/.exec(line);
    if (!m) continue;
    const v = m[2]!.split(/\s+/).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
    out[Number(m[1])] = { busy: total - idle, total, irq: (v[5] ?? 0) + (v[6] ?? 0), steal: v[7] ?? 0 };
  }
  return out;
}

/** user + system ticks of every process but `exclude`, split into kernel threads and programs. */
function otherTicks(exclude: ReadonlySet<number>): Map<number, { ticks: number; kernel: boolean }> {
  const out = new Map<number, { ticks: number; kernel: boolean }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || exclude.has(Number(name))) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(name), { ticks: Number(f[11]) + Number(f[12]), kernel: f[1] === '2' || name === '2' });
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export interface CpuUse {
  /** Shares of one core (1 = a whole core) over the interval. */
  readonly server: number;
  readonly upstream: number;
  /** dnsperf (the children this process waited for during the interval). */
  readonly dnsperf: number;
  /** Processes not ours (other sessions' programs); kernel threads; irq + softirq; steal. */
  readonly otherPrograms: number;
  readonly kernel: number;
  readonly steal: number;
  /** Busy share of each core. */
  readonly cores: number[];
}

const HZ = 100; // USER_HZ on Linux
const round2 = (x: number) => Math.round(x * 100) / 100;

/** Starts a CPU reading; the returned function ends it (call it after the dnsperf child was reaped). */
export function cpuMeter(serverPid: number, upstreamPid: number): () => CpuUse {
  const exclude = new Set([serverPid, upstreamPid, process.pid]);
  const t0 = performance.now();
  const s0 = processTicks(serverPid)[0];
  const u0 = processTicks(upstreamPid)[0];
  const c0 = processTicks('self')[1];
  const o0 = otherTicks(exclude);
  const k0 = coreTicks();
  return () => {
    const secs = (performance.now() - t0) / 1000;
    const k1 = coreTicks();
    const o1 = otherTicks(exclude);
    const share = (ticks: number) => round2(ticks / HZ / secs);
    let programs = 0;
    let kernelThreads = 0;
    for (const [pid, now] of o1) {
      const d = now.ticks - (o0.get(pid)?.ticks ?? 0);
      if (now.kernel) kernelThreads += d;
      else programs += d;
    }
    const sum = (f: (c: CoreTicks) => number) => k1.reduce((a, c, i) => a + f(c) - (k0[i] ? f(k0[i]) : 0), 0);
    return {
      server: share(processTicks(serverPid)[0] - s0),
      upstream: share(processTicks(upstreamPid)[0] - u0),
      dnsperf: share(processTicks('self')[1] - c0),
      otherPrograms: share(programs),
      kernel: share(kernelThreads + sum((c) => c.irq)),
      steal: share(sum((c) => c.steal)),
      cores: k1.map((c, i) => round2((c.busy - (k0[i]?.busy ?? 0)) / Math.max(1, c.total - (k0[i]?.total ?? 0)))),
    };
  };
}

/**
 * Waits (up to `maxWaitMs`) until the machine is quiet: less than `threshold` of a core busy over
 * one second while nothing of ours works. Returns the last reading, in cores.
 */
export async function waitForQuiet(maxWaitMs: number, threshold = 0.15): Promise<{ busyCores: number; waitedMs: number }> {
  const started = performance.now();
  for (;;) {
    const k0 = coreTicks();
    await new Promise<void>((r) => setTimeout(r, 1000));
    const k1 = coreTicks();
    const busyCores = round2(k1.reduce((a, c, i) => a + (c.busy - (k0[i]?.busy ?? 0)) / Math.max(1, c.total - (k0[i]?.total ?? 0)), 0));
    const waitedMs = Math.round(performance.now() - started);
    if (busyCores < threshold || waitedMs >= maxWaitMs) return { busyCores, waitedMs };
  }
}
