// Results of one proxy, Ringfence's ratios against squid, the targets, and the text rendering.
import type { AlternatedBulk, BulkResult } from './bulk.ts';
import { pairedRatio as pairedRatioOf } from '../common/stats.ts';
import type { CpuUse, TreeMemory } from './proctree.ts';
import type { WrkResult } from './wrk.ts';

export type ProxyName = 'ringfence' | 'squid';

export interface Check {
  readonly what: string;
  readonly expect: string;
  readonly got: string;
  readonly ok: boolean;
}

export type HttpRun = WrkResult & { readonly cpu: CpuUse };
/** `cpuWindowSeconds`: how long the CPU was metered (all of `transferredMiB` moved meanwhile). */
export type BulkRun = BulkResult & { readonly cpu: CpuUse; readonly cpuWindowSeconds: number };

export interface ProxyResult {
  readonly name: ProxyName;
  readonly version: string;
  readonly setup: string;
  readonly pid: number;
  /** CPU busy (in cores) over one second before the proxy started, from programs not ours. */
  readonly background: { readonly busyCores: number; readonly waitedMs: number };
  /** Preparing the list offline: Ringfence's import + snapshot compile, squidGuard -C all. */
  readonly listPrep: { readonly what: string; readonly ms: number };
  /** Process start → its "listening on" line (Ringfence), null when it prints none. */
  readonly startToListeningMs: number | null;
  /** Process start → the first blocked response to a listed name: start with the list loaded. */
  readonly startToBlockedMs: number;
  /** Ringfence's own "lists loaded in X ms" figure, when it prints one. */
  readonly selfReportedLoadMs: number | null;
  readonly checks: Check[];
  readonly memoryAfterStart: TreeMemory | null;
  readonly memoryAfterHttp: TreeMemory | null;
  readonly memoryAfterTests: TreeMemory | null;
  readonly http: HttpRun | null;
  readonly bulk: BulkRun | null;
  readonly error: string | null;
}

export interface Reference {
  readonly http: WrkResult | null;
  readonly bulk: BulkResult | null;
}

export interface Ratios {
  /** Ringfence ÷ squid: above 1 is better for Ringfence. */
  readonly rps: number | null;
  readonly bulkMiBps: number | null;
  /** Alternated single transfers (both proxies running, turns in rotation): the median over the
   *  rounds of Ringfence ÷ squid within the round, so drift between rounds cancels. */
  readonly bulkAlternatedMiBps: number | null;
  /** The same with plain bytes through the tunnel, where the proxy is the bottleneck. */
  readonly bulkPlainAlternatedMiBps: number | null;
  readonly bulkParallelMiBps: number | null;
  readonly bulkMiBPerProxyCpuSecond: number | null;
  /** Ringfence ÷ squid: below 1 is better for Ringfence. */
  /** Requests/s per core of CPU the proxy used: steadier than requests/s when others share its core. */
  readonly rpsPerProxyCore: number | null;
  readonly latencyP50: number | null;
  readonly latencyP99: number | null;
  readonly rssAfterTests: number | null;
  readonly pssAfterTests: number | null;
  readonly startToBlocked: number | null;
}

export interface Target {
  readonly target: string;
  readonly ringfence: string;
  readonly squid: string;
  readonly values: Record<string, number | null>;
  readonly pass: boolean | null;
  /** Reported beside the targets, not judged. */
  readonly informational?: boolean;
}

const ok = (v: number | null | undefined): v is number => v != null && Number.isFinite(v);
const div = (a: number | null | undefined, b: number | null | undefined): number | null => (ok(a) && ok(b) && b !== 0 ? Math.round((a / b) * 1000) / 1000 : null);
const num = (v: number | null | undefined): number | null => (ok(v) ? Math.round(v * 10) / 10 : null);

/** Requests/s ÷ the proxy's CPU (cores) during the run. */
export const perCore = (h: HttpRun | null | undefined): number | null => (h && h.cpu.proxy > 0 ? Math.round(h.rps / h.cpu.proxy) : null);
/** MiB moved per second of the proxy's CPU, over all the bulk transfers (one at a time and together). */
export const bulkPerCore = (b: BulkRun | null | undefined): number | null => (b && b.cpu.proxy > 0 ? Math.round(b.transferredMiB / (b.cpu.proxy * b.cpuWindowSeconds)) : null);

/** Median over the rounds of Ringfence's transfer rate ÷ squid's in the same round. */
export const pairedRatio = (alt: AlternatedBulk | null, of = 'ringfence'): number | null => pairedRatioOf(alt?.runs[of], alt?.runs.squid);

export function ratios(rf: ProxyResult, sq: ProxyResult, alt: AlternatedBulk | null, plain: AlternatedBulk | null): Ratios {
  return {
    rps: div(rf.http?.rps, sq.http?.rps),
    bulkMiBps: div(rf.bulk?.medianMiBps, sq.bulk?.medianMiBps),
    bulkAlternatedMiBps: pairedRatio(alt),
    bulkPlainAlternatedMiBps: pairedRatio(plain),
    bulkParallelMiBps: div(rf.bulk?.parallelMiBps, sq.bulk?.parallelMiBps),
    bulkMiBPerProxyCpuSecond: div(bulkPerCore(rf.bulk), bulkPerCore(sq.bulk)),
    rpsPerProxyCore: div(perCore(rf.http), perCore(sq.http)),
    latencyP50: div(rf.http?.p50Ms, sq.http?.p50Ms),
    latencyP99: div(rf.http?.p99Ms, sq.http?.p99Ms),
    rssAfterTests: div(rf.memoryAfterTests?.rssKiB, sq.memoryAfterTests?.rssKiB),
    pssAfterTests: div(rf.memoryAfterTests?.pssKiB, sq.memoryAfterTests?.pssKiB),
    startToBlocked: div(rf.startToBlockedMs, sq.startToBlockedMs),
  };
}

const rpsText = (v: number | null | undefined) => (ok(v) ? `${Math.round(v).toLocaleString('en-GB')} req/s` : 'n/a');
const mibps = (v: number | null | undefined) => (ok(v) ? `${v.toFixed(0)} MiB/s` : 'n/a');
const mib = (kib: number | null | undefined) => (ok(kib) ? `${(kib / 1024).toFixed(1)} MiB` : 'n/a');

/** An alternated bulk figure as a target line: both medians, and the round-by-round ratios of Ringfence and of the origin alone to squid. */
function bulkTarget(a: AlternatedBulk | null, target: string): Omit<Target, 'pass'> {
  return {
    target,
    ringfence: `${mibps(a?.medianMiBps.ringfence)} median, ${pairedRatio(a) ?? 'n/a'}× squid round by round (origin alone ${pairedRatio(a, 'origin') ?? 'n/a'}×)`,
    squid: mibps(a?.medianMiBps.squid),
    values: { ringfenceMiBps: num(a?.medianMiBps.ringfence), squidMiBps: num(a?.medianMiBps.squid), pairedRatio: pairedRatio(a), originPairedRatio: pairedRatio(a, 'origin') },
  };
}

export function targets(results: ProxyResult[], alt: AlternatedBulk | null, plain: AlternatedBulk | null): Target[] {
  const rf = results.find((r) => r.name === 'ringfence');
  const sq = results.find((r) => r.name === 'squid');
  const atLeast = (a: number | null | undefined, b: number | null | undefined) => (ok(a) && ok(b) ? a >= b : null);
  return [
    { target: "plain-HTTP requests/s ≥ squid's", ringfence: rpsText(rf?.http?.rps), squid: rpsText(sq?.http?.rps), values: { ringfenceRps: num(rf?.http?.rps), squidRps: num(sq?.http?.rps) }, pass: atLeast(rf?.http?.rps, sq?.http?.rps) },
    { ...bulkTarget(plain, "CONNECT bulk throughput ≥ squid's, the proxy the bottleneck (plain bytes through the tunnel, one transfer at a time, alternated: median over the rounds of Ringfence ÷ squid ≥ 1)"), pass: atLeast(pairedRatio(plain), 1) },
    { ...bulkTarget(alt, 'CONNECT bulk over HTTPS, the TLS endpoints the bottleneck (same method; origin alone ÷ squid shows how little room any proxy has)'), pass: null, informational: true },
  ];
}

const pct = (x: number) => `${Math.round(x * 100)}%`;
const cpuText = (c: CpuUse) => `proxy ${pct(c.proxy)}, load generator + origin ${pct(c.loadAndOrigin)}, other programs ${pct(c.otherPrograms)}, unattributed (softirq, kernel) ${pct(c.unattributed)} (of one core); cores busy ${c.cores.map(pct).join(' / ')}`;

/** Other programs' CPU above this share of a core during a run: the figures are disturbed. */
export const DISTURBED = 0.1;

export function formatReference(ref: Reference): string[] {
  const h = ref.http;
  const b = ref.bulk;
  return [
    `origin alone (no proxy; wrk/curl and nginx sharing the load core): ${h ? `${rpsText(h.rps)}, p50 ${h.p50Ms} ms, p99 ${h.p99Ms} ms` : 'n/a'}; ` +
      `bulk ${b ? `${mibps(b.medianMiBps)} one transfer (${b.singleMiBps.join(', ')}), ${mibps(b.parallelMiBps)} with ${b.parallel} at once` : 'n/a'}`,
  ];
}

export function formatProxy(r: ProxyResult): string[] {
  const out = [`${r.name} — ${r.version}`, `  ${r.setup}`];
  if (r.error) out.push(`  ERROR: ${r.error}`);
  const failed = r.checks.filter((c) => !c.ok);
  out.push(`  checks: ${r.checks.length - failed.length}/${r.checks.length} passed${failed.length ? ` (FAILED: ${failed.map((c) => `${c.what}: expected ${c.expect}, got ${c.got}`).join('; ')})` : ` (${r.checks.map((c) => `${c.what} → ${c.got}`).join('; ')})`}`);
  out.push(
    `  list: ${r.listPrep.what} ${(r.listPrep.ms / 1000).toFixed(1)} s offline; start → first blocked response ${Math.round(r.startToBlockedMs)} ms` +
      (r.startToListeningMs !== null ? ` ("listening on" after ${Math.round(r.startToListeningMs)} ms)` : '') +
      (r.selfReportedLoadMs !== null ? `; own "lists loaded in" ${r.selfReportedLoadMs} ms` : ''),
  );
  const m = (x: TreeMemory | null) => (x ? `${mib(x.rssKiB)}${x.processes > 1 ? ` (${x.processes} processes, PSS ${mib(x.pssKiB)}; main ${mib(x.mainKiB)})` : ''}` : 'n/a');
  out.push(`  memory (VmRSS summed over the process tree): after start ${m(r.memoryAfterStart)}; after the HTTP load ${m(r.memoryAfterHttp)}; after all tests ${m(r.memoryAfterTests)}`);
  const h = r.http;
  if (h) {
    const e = h.socketErrors;
    out.push(
      `  plain HTTP (${h.connections} connections, ${h.seconds} s): ${rpsText(h.rps)} (${rpsText(perCore(h))} per core of proxy CPU), latency p50 ${h.p50Ms} ms, p90 ${h.p90Ms} ms, p99 ${h.p99Ms} ms; ` +
        `${h.ok.toLocaleString('en-GB')} × 200, ${h.notOk} other; socket errors connect ${e.connect}, read ${e.read}, write ${e.write}, timeout ${e.timeout}`,
      `    cpu: ${cpuText(h.cpu)}`,
    );
  }
  const b = r.bulk;
  if (b) {
    out.push(
      `  CONNECT bulk: ${mibps(b.medianMiBps)} one transfer (runs ${b.singleMiBps.join(', ')}), ${mibps(b.parallelMiBps)} with ${b.parallel} at once; ${bulkPerCore(b) ?? 'n/a'} MiB per second of proxy CPU`,
      `    cpu: ${cpuText(b.cpu)}`,
    );
  }
  const disturbed = [h?.cpu, b?.cpu].some((c) => c && c.otherPrograms > DISTURBED);
  if (r.background.busyCores >= 0.15 || disturbed) {
    out.push(`  WARNING: other programs were using the CPU (${r.background.busyCores} core(s) just before the start${disturbed ? '; "other programs" above during the runs' : ''}): these figures are disturbed`);
  }
  return out;
}

export function formatAlternated(a: AlternatedBulk, title: string): string[] {
  return [
    `${title} (${a.rounds} rounds; orders ${a.orders.map((o) => o.join('→')).join(', ')})`,
    ...Object.entries(a.runs).map(([name, runs]) => `  ${name}: ${mibps(a.medianMiBps[name])} median (runs ${runs.join(', ')})`),
    ...(a.runs.ringfence && a.runs.squid ? [`  Ringfence ÷ squid round by round: ${a.runs.ringfence.map((v, i) => (v / a.runs.squid![i]!).toFixed(3)).join(', ')}; median ${pairedRatio(a)}`] : []),
  ];
}

const x = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(2)}×`);

export function formatRatios(r: Ratios): string[] {
  return [
    'Ringfence ÷ squid',
    `  requests/s ${x(r.rps)}, per core of proxy CPU ${x(r.rpsPerProxyCore)} (> 1 better); bulk one transfer alternated, plain bytes ${x(r.bulkPlainAlternatedMiBps)}, HTTPS ${x(r.bulkAlternatedMiBps)}; HTTPS one after the other ${x(r.bulkMiBps)}, several at once ${x(r.bulkParallelMiBps)}, per second of proxy CPU ${x(r.bulkMiBPerProxyCpuSecond)} (> 1 better)`,
    `  latency p50 ${x(r.latencyP50)}, p99 ${x(r.latencyP99)}; memory after tests VmRSS ${x(r.rssAfterTests)}, PSS ${x(r.pssAfterTests)}; start → first blocked ${x(r.startToBlocked)} (< 1 better)`,
  ];
}

export function formatTargets(ts: Target[]): string[] {
  return ['Targets', ...ts.map((t) => `  ${t.informational ? 'INFO' : t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target}: Ringfence ${t.ringfence}; squid ${t.squid}`)];
}
