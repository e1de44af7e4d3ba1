// Measuring helpers shared by the child processes: clocks, memory, decision-rate loops, CPU pinning.
import { spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export const now = (): number => performance.now();

export function log(message: string): void {
  process.stderr.write(`  [${process.env.BENCH_LABEL ?? 'bench'}] ${message}\n`);
}

/** Tells the parent which phase we are in (it enforces time limits per phase). */
export function phase(name: string): void {
  process.stderr.write(`@@phase ${name}\n`);
}

export interface MemorySample {
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
  readonly rss: number;
}

/** Full collections first (needs --expose-gc), so the sample holds only live data. */
export function memory(): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc) for (let i = 0; i < 3; i++) gc();
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers, rss: m.rss };
}

export interface MemoryDelta {
  /** False without --expose-gc: the figures then include garbage. */
  readonly afterGc: boolean;
  readonly heapBytes: number;
  /** Off-heap (ArrayBuffers, Buffers), which is where a mapped snapshot lives. */
  readonly externalBytes: number;
  readonly totalBytes: number;
  readonly rssBytes: number;
  readonly bytesPerDomain: number;
}

export function memoryDelta(before: MemorySample, after: MemorySample, domains: number): MemoryDelta {
  const heapBytes = after.heapUsed - before.heapUsed;
  const externalBytes = after.external - before.external;
  const totalBytes = heapBytes + externalBytes;
  return {
    afterGc: typeof (globalThis as { gc?: unknown }).gc === 'function',
    heapBytes,
    externalBytes,
    totalBytes,
    rssBytes: after.rss - before.rss,
    bytesPerDomain: totalBytes / domains,
  };
}

export interface Rate {
  readonly perSecond: number;
  /** Rates of each timed pass; perSecond is their median. */
  readonly passes: readonly number[];
  /** Stream entries per pass (the same prefix of the shuffled stream each time). */
  readonly count: number;
  readonly decisions: number;
  readonly nsPerDecision: number;
}

/**
 * Decision rate of `run(from, to)` over a stream of `n` entries: a warm-up, then three timed passes
 * over the first `count` entries, where `count` is the whole stream unless the engine is too slow
 * to do that within `budgetMs` (then at least `minCount`).
 */
export function measureRate(run: (from: number, to: number) => void, n: number, budgetMs = 6000, minCount = 200_000): Rate {
  const warm = Math.min(n, 100_000);
  let t = now();
  run(0, warm);
  run(warm, Math.min(n, 2 * warm));
  run(0, warm);
  const estimate = warm / Math.max(now() - t, 0.001) * 3; // decisions per ms, roughly
  const count = Math.min(n, Math.max(Math.min(n, minCount), Math.round((estimate * budgetMs) / 3)));
  const passes: number[] = [];
  for (let p = 0; p < 3; p++) {
    t = now();
    run(0, count);
    passes.push((count / (now() - t)) * 1000);
  }
  const sorted = [...passes].sort((a, b) => a - b);
  const perSecond = sorted[1]!;
  return { perSecond, passes, count, decisions: count * 3, nsPerDecision: 1e9 / perSecond };
}

/** Pins every thread of this process to one CPU (taskset -a -p); returns the CPU or null. */
export function pinToOneCore(): number | null {
  const cpu = process.env.BENCH_PIN_CPU;
  if (cpu === undefined || cpu === '') return null;
  const r = spawnSync('taskset', ['-a', '-p', '-c', cpu, String(process.pid)], { encoding: 'utf8' });
  if (r.status !== 0) {
    log(`taskset failed (${r.error?.message ?? r.stderr.trim()}): not pinned`);
    return null;
  }
  return Number(cpu);
}

/** A flat copy of a string (a template literal may leave a rope that the first read would flatten). */
export function flat(s: string): string {
  return Buffer.from(s, 'latin1').toString('latin1');
}

/** Packs 0/1 bytes into a base64 bit string, for the parent to compare engines' answers. */
export function packBits(bits: Uint8Array, count: number): string {
  const out = new Uint8Array(Math.ceil(count / 8));
  for (let i = 0; i < count; i++) if (bits[i]) out[i >> 3]! |= 1 << (i & 7);
  return Buffer.from(out).toString('base64');
}

export function unpackBits(b64: string, count: number): Uint8Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Uint8Array(count);
  for (let i = 0; i < count; i++) out[i] = (bytes[i >> 3]! >> (i & 7)) & 1;
  return out;
}
