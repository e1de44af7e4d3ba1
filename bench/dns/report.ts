// Results of one server, Ringfence's ratios against the peers, the issue's targets, and the text
// rendering of all of it.
import type { AlternatedRuns } from './alternated.ts';
import { median as medianOf, pairedRatio } from '../common/stats.ts';
import type { DnsperfResult } from './dnsperf.ts';
import type { CpuUse, Memory } from './procfs.ts';

const median = (xs: readonly number[] | undefined): number | null => (xs && xs.length > 0 ? medianOf(xs) : null);

export type ServerName = 'ringfence' | 'dnsmasq' | 'unbound';

export interface Check {
  readonly name: string;
  readonly type: string;
  readonly expect: 'blocked' | 'allowed';
  readonly got: string;
  readonly ok: boolean;
}

export type LoadRun = DnsperfResult & { readonly cpu: CpuUse; readonly rssAfterKiB: number };

export interface ServerResult {
  readonly name: ServerName;
  readonly version: string;
  readonly setup: string;
  readonly pid: number;
  /** CPU busy (in cores) over one second before the server started, from programs not ours. */
  readonly background: { readonly busyCores: number; readonly waitedMs: number };
  readonly startToBlockedAnswerMs: number;
  /** Ringfence only: "loaded in N ms" from its first `enforcing lists …` line, and all such lines. */
  readonly selfReportedLoadMs: number | null;
  readonly loadLines: string[];
  readonly checks: Check[];
  readonly agreement: { readonly sample: number; readonly agree: number; readonly disagreements: string[] };
  readonly memoryAfterLoad: Memory;
  readonly memoryAfterTests: Memory | null;
  readonly warmup: DnsperfResult | null;
  readonly cached: LoadRun | null;
  readonly latency: LoadRun | null;
  readonly miss: LoadRun | null;
  readonly error: string | null;
}

export interface Ratio {
  readonly peer: ServerName;
  /** Ringfence ÷ peer: above 1 is better for Ringfence. */
  readonly cachedQps: number | null;
  readonly missQps: number | null;
  /** The alternated runs: median over the rounds of Ringfence ÷ peer in the same round. */
  readonly cachedQpsAlternated: number | null;
  readonly missQpsAlternated: number | null;
  /** Ringfence ÷ peer: below 1 is better for Ringfence. */
  readonly rssAfterLoad: number | null;
  readonly rssAfterTests: number | null;
  readonly startToBlockedAnswer: number | null;
  readonly latencyP50: number | null;
  readonly latencyP99: number | null;
}

export interface Target {
  readonly target: string;
  readonly ringfence: string;
  readonly reference: string;
  /** The figures compared, as numbers (qps, KiB or ms). */
  readonly values: Record<string, number | null>;
  readonly pass: boolean | null;
}

const div = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) || b === 0 ? null : Math.round((a / b) * 1000) / 1000;

export function ratios(rf: ServerResult, peers: ServerResult[], alt: AlternatedRuns | null): Ratio[] {
  return peers.map((p) => ({
    peer: p.name,
    cachedQps: div(rf.cached?.qps, p.cached?.qps),
    missQps: div(rf.miss?.qps, p.miss?.qps),
    cachedQpsAlternated: pairedRatio(alt?.cached.ringfence, alt?.cached[p.name]),
    missQpsAlternated: pairedRatio(alt?.miss.ringfence, alt?.miss[p.name]),
    rssAfterLoad: div(rf.memoryAfterLoad.rssKiB, p.memoryAfterLoad.rssKiB),
    rssAfterTests: div(rf.memoryAfterTests?.rssKiB, p.memoryAfterTests?.rssKiB),
    startToBlockedAnswer: div(rf.startToBlockedAnswerMs, p.startToBlockedAnswerMs),
    latencyP50: div(rf.latency?.latency?.p50Ms, p.latency?.latency?.p50Ms),
    latencyP99: div(rf.latency?.latency?.p99Ms, p.latency?.latency?.p99Ms),
  }));
}

const qpsText = (r: DnsperfResult | null | undefined): string => (r ? `${Math.round(r.qps).toLocaleString('en-GB')} qps` : 'n/a');
const mib = (kib: number | undefined): string => (kib === undefined || !Number.isFinite(kib) ? 'n/a' : `${(kib / 1024).toFixed(1)} MiB`);

const num = (v: number | null | undefined): number | null => (v == null || !Number.isFinite(v) ? null : Math.round(v * 10) / 10);

/** A qps target: round by round when the alternated runs exist, else the servers' own runs. */
function qpsTarget(peer: ServerName, mix: 'cached' | 'miss', rf: ServerResult | undefined, p: ServerResult | undefined, alt: AlternatedRuns | null): Target {
  const label = mix === 'cached' ? 'cached' : 'cache-miss';
  const ratio = pairedRatio(alt?.[mix].ringfence, alt?.[mix][peer]);
  if (alt && ratio !== null) {
    const m = (n: string) => median(alt[mix][n]);
    return {
      target: `${label} qps ≥ ${peer}'s (alternated runs: median over ${alt.rounds} rounds of Ringfence ÷ ${peer} ≥ 1)`,
      ringfence: `${Math.round(m('ringfence') ?? NaN).toLocaleString('en-GB')} qps median, ${ratio}× round by round`,
      reference: `${peer} ${Math.round(m(peer) ?? NaN).toLocaleString('en-GB')} qps median; own runs ${qpsText(rf?.[mix])} vs ${qpsText(p?.[mix])}`,
      values: { ringfenceQps: num(m('ringfence')), [`${peer}Qps`]: num(m(peer)), pairedRatio: ratio },
      pass: ratio >= 1,
    };
  }
  const a = rf?.[mix]?.qps;
  const b = p?.[mix]?.qps;
  return {
    target: `${label} qps ≥ ${peer}'s ${label} qps`,
    ringfence: qpsText(rf?.[mix]),
    reference: `${peer} ${qpsText(p?.[mix])}`,
    values: { ringfenceQps: num(a), [`${peer}Qps`]: num(b) },
    pass: a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) ? null : a >= b,
  };
}

export function targets(results: ServerResult[], alt: AlternatedRuns | null): Target[] {
  const by = (n: ServerName) => results.find((r) => r.name === n);
  const rf = by('ringfence');
  const dm = by('dnsmasq');
  const ub = by('unbound');
  const cmp = (a: number | null | undefined, b: number | null | undefined, ok: (a: number, b: number) => boolean): boolean | null =>
    a == null || b == null || !Number.isFinite(a) || !Number.isFinite(b) ? null : ok(a, b);
  const rssA = rf?.memoryAfterLoad.rssKiB;
  const rssB = rf?.memoryAfterTests?.rssKiB;
  const dmA = dm?.memoryAfterLoad.rssKiB;
  const dmB = dm?.memoryAfterTests?.rssKiB;
  const memPass = [cmp(rssA, dmA, (a, b) => a < b), cmp(rssB, dmB, (a, b) => a < b)];
  return [
    qpsTarget('dnsmasq', 'cached', rf, dm, alt),
    qpsTarget('unbound', 'miss', rf, ub, alt),
    {
      target: 'less memory (VmRSS) than dnsmasq, after load and after the load tests',
      ringfence: `${mib(rssA)} / ${mib(rssB)}`,
      reference: `dnsmasq ${mib(dmA)} / ${mib(dmB)}`,
      values: { ringfenceRssAfterLoadKiB: num(rssA), ringfenceRssAfterTestsKiB: num(rssB), dnsmasqRssAfterLoadKiB: num(dmA), dnsmasqRssAfterTestsKiB: num(dmB) },
      pass: memPass.includes(null) ? null : memPass.every(Boolean),
    },
    {
      target: 'list load time < 0.1 s (its own "lists loaded in" figure: snapshot read, checksum, decode)',
      ringfence: rf?.selfReportedLoadMs == null ? 'n/a' : `${rf.selfReportedLoadMs} ms`,
      reference: `start → first blocked answer ${rf ? `${Math.round(rf.startToBlockedAnswerMs)} ms` : 'n/a'} (not the target)`,
      values: { ringfenceLoadMs: num(rf?.selfReportedLoadMs), ringfenceStartToBlockedAnswerMs: num(rf?.startToBlockedAnswerMs), limitMs: 100 },
      pass: cmp(rf?.selfReportedLoadMs, 100, (a, b) => a < b),
    },
  ];
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) => '  ' + r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd());
}

const pct = (x: number): string => `${(x * 100).toFixed(x < 0.01 && x > 0 ? 2 : 1)}%`;
const cpuText = (r: LoadRun): string =>
  `server ${pct(r.cpu.server)}, dnsperf ${pct(r.cpu.dnsperf)}, upstream ${pct(r.cpu.upstream)}, kernel (irq, softirq, kthreads) ${pct(r.cpu.kernel)}, ` +
  `other programs ${pct(r.cpu.otherPrograms)}, steal ${pct(r.cpu.steal)} (shares of one core); cores busy ${r.cpu.cores.map(pct).join(' / ')}`;

/** Other programs' CPU (or steal) above this share of a core during a run: the figures are disturbed. */
export const DISTURBED = 0.1;

function runRow(label: string, r: LoadRun | null): string[] {
  if (!r) return [label, 'not run', '', '', '', '', ''];
  const l = r.latency;
  return [
    label,
    Math.round(r.qps).toLocaleString('en-GB'),
    `${r.completed.toLocaleString('en-GB')}/${r.sent.toLocaleString('en-GB')}`,
    r.lost === 0 ? '0' : `${r.lost} (${pct(r.lostShare)})`,
    l ? `${l.p50Ms.toFixed(3)} / ${l.p99Ms.toFixed(3)} / ${l.maxMs.toFixed(1)}` : `avg ${r.avgLatencyMs.toFixed(3)}`,
    mib(r.rssAfterKiB),
    Object.entries(r.rcodes).map(([k, v]) => `${k} ${pct(v / Math.max(1, r.completed))}`).join(', '),
  ];
}

export function formatServer(r: ServerResult): string[] {
  const out = [`${r.name} — ${r.version}`, `  ${r.setup}`];
  if (r.error) out.push(`  ERROR: ${r.error}`);
  const failed = r.checks.filter((c) => !c.ok);
  out.push(
    `  correctness: ${r.checks.length - failed.length}/${r.checks.length} checks passed${failed.length ? ` (FAILED: ${failed.map((c) => `${c.name} ${c.type} expected ${c.expect}, got ${c.got}`).join('; ')})` : ''}; ` +
      `agrees with the list on ${r.agreement.agree}/${r.agreement.sample} sampled names of the mixed file` +
      (r.agreement.disagreements.length ? ` (differs on: ${r.agreement.disagreements.join(', ')})` : ''),
  );
  const load = [`  list load: process start → first blocked answer ${Math.round(r.startToBlockedAnswerMs)} ms`];
  if (r.selfReportedLoadMs !== null) load.push(`; own "lists loaded in" figure ${r.selfReportedLoadMs} ms (${/policy in [\d.]+ ms, engine in [\d.]+ ms \([\d.]+ ms in all\)/.exec(r.loadLines[0] ?? '')?.[0] ?? ''})`);
  out.push(load.join(''));
  if (r.loadLines.length > 1) out.push(`  note: ${r.loadLines.length} "enforcing lists" lines during the run: ${r.loadLines.map((l) => /lists loaded in [\d.]+ ms/.exec(l)?.[0] ?? l).join(', ')}`);
  const m = (x: Memory | null) => (x ? `${mib(x.rssKiB)} (anon ${mib(x.anonKiB)}, file ${mib(x.fileKiB)}; peak ${mib(x.hwmKiB)})` : 'n/a');
  out.push(`  memory (VmRSS): after load ${m(r.memoryAfterLoad)}; after the load tests ${m(r.memoryAfterTests)}`);
  out.push(
    ...table([
      ['test', 'qps', 'completed/sent', 'lost', 'latency ms p50 / p99 / max', 'VmRSS after', 'answers'],
      runRow('cached mix', r.cached),
      runRow('latency @ fixed rate', r.latency),
      runRow('cache-miss mix', r.miss),
    ]),
  );
  for (const [label, run] of [['cached', r.cached], ['latency', r.latency], ['cache-miss', r.miss]] as const) if (run) out.push(`  cpu during ${label}: ${cpuText(run)}`);
  const disturbed = [r.cached, r.latency, r.miss].some((run) => run && (run.cpu.otherPrograms > DISTURBED || run.cpu.steal > DISTURBED));
  if (r.background.busyCores >= 0.15 || disturbed) {
    out.push(`  WARNING: other programs were using the CPU (${r.background.busyCores} core(s) just before the start${disturbed ? '; "other programs" or steal above in the runs' : ''}): these figures are disturbed`);
  }
  return out;
}

const x = (v: number | null): string => (v === null ? 'n/a' : `${v.toFixed(2)}×`);

export function formatRatios(rs: Ratio[]): string[] {
  return [
    'Ringfence ÷ peer',
    ...table([
      ['', ...rs.map((r) => `vs ${r.peer}`), 'better when'],
      ['cached qps, own runs', ...rs.map((r) => x(r.cachedQps)), '> 1'],
      ['cached qps, alternated', ...rs.map((r) => x(r.cachedQpsAlternated)), '> 1'],
      ['cache-miss qps, own runs', ...rs.map((r) => x(r.missQps)), '> 1'],
      ['cache-miss qps, alternated', ...rs.map((r) => x(r.missQpsAlternated)), '> 1'],
      ['latency p50 @ fixed rate', ...rs.map((r) => x(r.latencyP50)), '< 1'],
      ['latency p99 @ fixed rate', ...rs.map((r) => x(r.latencyP99)), '< 1'],
      ['VmRSS after load', ...rs.map((r) => x(r.rssAfterLoad)), '< 1'],
      ['VmRSS after load tests', ...rs.map((r) => x(r.rssAfterTests)), '< 1'],
      ['start → first blocked answer', ...rs.map((r) => x(r.startToBlockedAnswer)), '< 1'],
    ]),
  ];
}

export function formatAlternated(a: AlternatedRuns): string[] {
  const names = Object.keys(a.cached);
  const line = (mix: 'cached' | 'miss', n: string) => `${median(a[mix][n])?.toLocaleString('en-GB')} median (${a[mix][n]!.map((v) => v.toLocaleString('en-GB')).join(', ')})`;
  return [
    `Alternated runs (${a.rounds} rounds of ${a.seconds} s per mix; orders ${a.orders.map((o) => o.join('→')).join(', ')})`,
    ...names.map((n) => `  ${n}: cached ${line('cached', n)}; misses ${line('miss', n)}`),
  ];
}

export function formatTargets(ts: Target[]): string[] {
  return [
    'Targets',
    ...ts.map((t) => `  ${t.pass === null ? 'N/A ' : t.pass ? 'PASS' : 'MISS'}  ${t.target}: Ringfence ${t.ringfence}; ${t.reference}`),
  ];
}
