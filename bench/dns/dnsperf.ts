// Runs dnsperf (pinned to its core, bounded in time and count) and reads its summary; for latency
// runs it reads dnsperf's verbose per-response lines (`> RCODE name type seconds`) from a file and
// computes percentiles from them (dnsperf 2.10 has no latency histogram option).
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';

export interface DnsperfRun {
  readonly port: number;
  readonly file: string;
  /** Maximum queries outstanding (-q). */
  readonly outstanding: number;
  /** Run time limit (-l), seconds. */
  readonly seconds?: number;
  /** Passes through the file at most (-n). */
  readonly passes?: number;
  /** Rate limit (-Q), queries per second. */
  readonly qps?: number;
  /** Per-response latencies, read from dnsperf -v into `verboseFile`. */
  readonly verboseFile?: string;
  readonly cpu: number | null;
  /** Hard limit: dnsperf is killed after this long. */
  readonly killAfterMs: number;
}

export interface Latency {
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly p999Ms: number;
  readonly maxMs: number;
  readonly meanMs: number;
}

export interface DnsperfResult {
  readonly sent: number;
  readonly completed: number;
  readonly lost: number;
  readonly lostShare: number;
  readonly runSeconds: number;
  readonly qps: number;
  readonly rcodes: Record<string, number>;
  readonly avgLatencyMs: number;
  readonly maxLatencyMs: number;
  readonly latency: Latency | null;
  readonly commandLine: string;
}

const num = (text: string, re: RegExp): number => {
  const m = re.exec(text);
  return m ? Number(m[1]) : NaN;
};

function parseSummary(text: string): Omit<DnsperfResult, 'latency' | 'commandLine'> {
  const rcodes: Record<string, number> = {};
  const rc = /Response codes:\s+(.*)/.exec(text);
  if (rc) for (const m of rc[1]!.matchAll(/([A-Z]+) (\d+)/g)) rcodes[m[1]!] = Number(m[2]);
  const sent = num(text, /Queries sent:\s+(\d+)/);
  const completed = num(text, /Queries completed:\s+(\d+)/);
  const lost = num(text, /Queries lost:\s+(\d+)/);
  return {
    sent,
    completed,
    lost,
    lostShare: sent > 0 ? lost / sent : 0,
    runSeconds: num(text, /Run time \(s\):\s+([\d.]+)/),
    qps: num(text, /Queries per second:\s+([\d.]+)/),
    rcodes,
    avgLatencyMs: num(text, /Average Latency \(s\):\s+([\d.]+)/) * 1000,
    maxLatencyMs: num(text, /Average Latency \(s\):.*max ([\d.]+)/) * 1000,
  };
}

/** Percentiles (nearest rank) of the latencies on `> RCODE name type seconds` lines. */
function latencyFromVerbose(text: string): Latency | null {
  const values: number[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (text.charCodeAt(start) === 62 /* > */) {
      const sp = text.lastIndexOf(' ', end);
      const v = Number(text.slice(sp + 1, end));
      if (sp > start && Number.isFinite(v)) values.push(v * 1000);
    }
    start = end + 1;
  }
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!;
  const r = (x: number) => Math.round(x * 1000) / 1000;
  return {
    samples: sorted.length,
    p50Ms: r(at(0.5)),
    p90Ms: r(at(0.9)),
    p99Ms: r(at(0.99)),
    p999Ms: r(at(0.999)),
    maxMs: r(sorted[sorted.length - 1]!),
    meanMs: r(values.reduce((a, b) => a + b, 0) / values.length),
  };
}

/** dnsperf processes running now, for `killDnsperfs` (signal handlers, exit). */
const live = new Set<ChildProcess>();

export function killDnsperfs(): void {
  for (const child of live) {
    try {
      if (child.pid !== undefined && child.exitCode === null) process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }
}

export async function runDnsperf(o: DnsperfRun): Promise<DnsperfResult> {
  const args = ['-s', '127.0.0.1', '-p', String(o.port), '-d', o.file, '-q', String(o.outstanding), '-t', '2', '-O', 'suppress=timeouts,congestion,sendfailed,sockready,unexpected'];
  if (o.seconds !== undefined) args.push('-l', String(o.seconds));
  if (o.passes !== undefined) args.push('-n', String(o.passes));
  if (o.qps !== undefined) args.push('-Q', String(o.qps));
  if (o.verboseFile) args.push('-v');
  const [cmd, argv] = o.cpu === null ? ['dnsperf', args] : ['taskset', ['-c', String(o.cpu), 'dnsperf', ...args]];
  // Verbose output goes straight to a file: this process should not compete for the cores.
  const outFd = o.verboseFile ? openSync(o.verboseFile, 'w') : 'pipe';
  const child = spawn(cmd, argv, { stdio: ['ignore', outFd, 'pipe'] });
  if (typeof outFd === 'number') closeSync(outFd);
  live.add(child);
  let text = '';
  child.stdout?.setEncoding('utf8').on('data', (s: string) => (text += s));
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    if (err.length < 65536) err += s;
  });
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    try {
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
    } catch {
      /* already gone */
    }
  }, o.killAfterMs);
  const code = await new Promise<number | null>((resolve) => {
    child.on('close', (c) => resolve(c));
    child.on('error', (e) => {
      err += e.message;
      resolve(-1);
    });
  });
  clearTimeout(timer);
  live.delete(child);
  let latency: Latency | null = null;
  if (o.verboseFile) {
    text = readFileSync(o.verboseFile, 'utf8');
    latency = latencyFromVerbose(text);
    rmSync(o.verboseFile, { force: true });
  }
  if (killed) throw new Error(`dnsperf did not finish within ${o.killAfterMs / 1000} s (killed)`);
  const summary = parseSummary(text);
  if (code !== 0 || !Number.isFinite(summary.qps)) throw new Error(`dnsperf failed (exit ${code}): ${(err + text).trim().split('\n').slice(-5).join(' | ')}`);
  return { ...summary, latency, commandLine: `dnsperf ${args.join(' ')}` };
}
