// Bulk throughput through CONNECT: curl fetches the origin's large file over HTTPS through the
// proxy (curl tunnels https:// URLs through an HTTP proxy with CONNECT; TLS is end to end, the
// proxy only copies bytes): one unmeasured transfer, then one at a time, then several at once.
import { runLoad } from './load-process.ts';
import { median } from '../common/stats.ts';

export interface BulkPlan {
  readonly curl: string;
  readonly url: string;
  /** The proxy's port, or null to fetch the origin directly (the reference). */
  readonly proxyPort: number | null;
  readonly bytes: number;
  readonly runs: number;
  readonly parallel: number;
  readonly cpu: number | null;
}

export interface BulkResult {
  /** Single transfers, MiB/s each (curl's size / total time), and their median. */
  readonly singleMiBps: number[];
  readonly medianMiBps: number;
  /** `parallel` transfers at once: all bytes ÷ the longest transfer's time. */
  readonly parallel: number;
  readonly parallelMiBps: number;
  /** Everything transferred, the unmeasured first transfer included (for CPU per MiB). */
  readonly transferredMiB: number;
}

const MIB = 1024 * 1024;

export async function fetchOnce(plan: Omit<BulkPlan, 'runs' | 'parallel'>): Promise<{ bytes: number; seconds: number }> {
  const u = new URL(plan.url);
  // A plain http:// URL goes through the proxy's CONNECT too (--proxytunnel), as https:// always does.
  const route = plan.proxyPort === null ? ['--noproxy', '*', '--resolve', `${u.hostname}:${u.port}:127.0.0.1`] : ['--proxy', `http://127.0.0.1:${plan.proxyPort}`, ...(u.protocol === 'http:' ? ['--proxytunnel'] : [])];
  const args = ['-s', '-S', '-k', '--http1.1', '--max-time', '120', ...route, '-o', '/dev/null', '-w', '%{http_code} %{size_download} %{time_total}', plan.url];
  const r = await runLoad(plan.curl, args, plan.cpu, 130_000);
  const [code, size, total] = r.stdout.trim().split(' ');
  if (r.code !== 0 || code !== '200' || Number(size) !== plan.bytes) {
    throw new Error(`bulk transfer failed: curl exit ${r.code ?? 'killed'}, HTTP ${code ?? '?'}, ${size ?? '?'} of ${plan.bytes} bytes ${r.stderr.trim().slice(0, 200)}`);
  }
  return { bytes: Number(size), seconds: Number(total) };
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function measureBulk(plan: BulkPlan): Promise<BulkResult> {
  await fetchOnce(plan); // unmeasured: the first read of the file fills the page cache, buffers grow
  const single: number[] = [];
  for (let i = 0; i < plan.runs; i++) {
    const t = await fetchOnce(plan);
    single.push(round1(t.bytes / MIB / t.seconds));
  }
  const together = await Promise.all(Array.from({ length: plan.parallel }, () => fetchOnce(plan)));
  const longest = Math.max(...together.map((t) => t.seconds));
  const total = together.reduce((a, t) => a + t.bytes, 0);
  return { singleMiBps: single, medianMiBps: round1(median(single)), parallel: plan.parallel, parallelMiBps: round1(total / MIB / longest), transferredMiB: ((1 + plan.runs + plan.parallel) * plan.bytes) / MIB };
}

export interface BulkRoute {
  readonly name: string;
  /** The proxy's port, or null to fetch the origin directly. */
  readonly proxyPort: number | null;
}

export interface AlternatedBulk {
  readonly rounds: number;
  /** The routes in the order each round took them. */
  readonly orders: string[][];
  /** MiB/s of each single transfer, per route, in round order. */
  readonly runs: Record<string, number[]>;
  readonly medianMiBps: Record<string, number>;
}

/**
 * Single transfers through every route in turn, `rounds` times, the order rotated each round: this
 * machine's speed drifts by a quarter within minutes (other tenants), so routes measured in turn
 * see the same machine, where routes measured one after the other do not.
 */
export async function alternateBulk(base: Omit<BulkPlan, 'runs' | 'parallel' | 'proxyPort'>, routes: readonly BulkRoute[], rounds: number): Promise<AlternatedBulk> {
  for (const r of routes) await fetchOnce({ ...base, proxyPort: r.proxyPort }); // unmeasured warm-up
  const runs: Record<string, number[]> = Object.fromEntries(routes.map((r) => [r.name, []]));
  const orders: string[][] = [];
  for (let i = 0; i < rounds; i++) {
    const order = routes.map((_, k) => routes[(k + i) % routes.length]!);
    orders.push(order.map((r) => r.name));
    for (const r of order) {
      const t = await fetchOnce({ ...base, proxyPort: r.proxyPort });
      runs[r.name]!.push(round1(t.bytes / MIB / t.seconds));
    }
  }
  const medianMiBps = Object.fromEntries(routes.map((r) => [r.name, round1(median(runs[r.name]!))]));
  return { rounds, orders, runs, medianMiBps };
}
