// Turns the children's results into ratios, agreement figures and target checks, and prints them.
import type { PeerResult } from './peer-tsurlfilter.ts';
import type { RingfenceResult } from './ringfence.ts';
import { unpackBits } from './measure.ts';

export type PeerOutcome = ({ status: 'ok' } & PeerResult) | { status: 'skipped'; reason: string; wallMs: number };

export interface DatasetReport {
  readonly name: string;
  readonly description: string;
  readonly streamSize: number;
  readonly ringfence: RingfenceResult | { status: 'failed'; reason: string };
  readonly peer: PeerOutcome;
  readonly agreement: Agreement | null;
  readonly ratios: Ratios | null;
}

export interface Agreement {
  /** Stream entries both engines answered (hostname runs). */
  readonly sample: number;
  readonly ringfenceVsPeerPct: number | null;
  readonly ringfenceVsExpectedPct: { readonly host: number; readonly url: number; readonly parsed: number };
  readonly peerVsExpectedPct: { readonly host: number; readonly url: number } | null;
  readonly disagreements: readonly { host: string; expected: number; ringfence: number; peer: number }[];
}

/** Every ratio is "how many times better Ringfence is" (> 1 = Ringfence ahead). */
export interface Ratios {
  readonly hostDecisionsPerSec: number;
  readonly urlDecisionsPerSec: number;
  readonly parsedVsPeerHost: number;
  readonly memory: number;
  readonly bytesPerDomainFileVsPeerMemory: number;
  readonly loadTime: number;
  readonly buildTime: number;
}

export interface Target {
  readonly id: string;
  readonly description: string;
  readonly value: number | null;
  readonly threshold: string;
  readonly status: 'PASS' | 'MISS' | 'N/A';
  readonly note?: string;
}

function pct(a: Uint8Array, b: Uint8Array, n: number): number {
  let same = 0;
  for (let i = 0; i < n; i++) if (a[i] === b[i]) same++;
  return n === 0 ? NaN : (100 * same) / n;
}

export function analyse(hosts: readonly string[], expected: Uint8Array, rf: RingfenceResult, peer: PeerOutcome): { agreement: Agreement; ratios: Ratios | null } {
  const r = rf.runs;
  const rfHost = unpackBits(r.host.bits, r.host.rate.count);
  const vsExpected = {
    host: pct(rfHost, expected, r.host.rate.count),
    url: pct(unpackBits(r.url.bits, r.url.rate.count), expected, r.url.rate.count),
    parsed: pct(unpackBits(r.parsed.bits, r.parsed.rate.count), expected, r.parsed.rate.count),
  };
  if (peer.status !== 'ok') {
    return { agreement: { sample: r.host.rate.count, ringfenceVsPeerPct: null, ringfenceVsExpectedPct: vsExpected, peerVsExpectedPct: null, disagreements: [] }, ratios: null };
  }
  const p = peer.runs;
  const peerHost = unpackBits(p.host.bits, p.host.rate.count);
  const sample = Math.min(r.host.rate.count, p.host.rate.count);
  const disagreements: Agreement['disagreements'][number][] = [];
  for (let i = 0; i < sample && disagreements.length < 5; i++) {
    if (rfHost[i] !== peerHost[i]) disagreements.push({ host: hosts[i]!, expected: expected[i]!, ringfence: rfHost[i]!, peer: peerHost[i]! });
  }
  const agreement: Agreement = {
    sample,
    ringfenceVsPeerPct: pct(rfHost, peerHost, sample),
    ringfenceVsExpectedPct: vsExpected,
    peerVsExpectedPct: {
      host: pct(peerHost, expected, p.host.rate.count),
      url: pct(unpackBits(p.url.bits, p.url.rate.count), expected, p.url.rate.count),
    },
    disagreements,
  };
  const ratios: Ratios = {
    hostDecisionsPerSec: r.host.rate.perSecond / p.host.rate.perSecond,
    urlDecisionsPerSec: r.url.rate.perSecond / p.url.rate.perSecond,
    parsedVsPeerHost: r.parsed.rate.perSecond / p.host.rate.perSecond,
    memory: peer.memory.totalBytes / rf.memory.totalBytes,
    bytesPerDomainFileVsPeerMemory: peer.memory.bytesPerDomain / rf.bytesPerDomain,
    loadTime: peer.build.ms / rf.load.ms,
    buildTime: peer.build.ms / rf.build.ms,
  };
  return { agreement, ratios };
}

const isRf = (x: DatasetReport['ringfence']): x is RingfenceResult => 'engine' in x;

export function targets(datasets: readonly DatasetReport[], generatedSize: number): Target[] {
  const out: Target[] = [];
  const check = (ok: boolean | null): Target['status'] => (ok === null ? 'N/A' : ok ? 'PASS' : 'MISS');
  const gen = datasets.find((d) => d.name === 'generated');
  const genRf = gen && isRf(gen.ringfence) ? gen.ringfence : null;
  out.push({
    id: 'load-5m-under-1s',
    description: `${(generatedSize / 1e6).toFixed(generatedSize % 1e6 ? 1 : 0)}M domains load (read + decode + engine) in < 1 s`,
    value: genRf ? genRf.load.ms : null,
    threshold: '< 1000 ms',
    status: check(genRf ? genRf.load.ms < 1000 : null),
    ...(generatedSize !== 5_000_000 ? { note: 'generated list is not 5M names in this run' } : {}),
  });
  for (const d of datasets) {
    const rf = isRf(d.ringfence) ? d.ringfence : null;
    out.push({ id: `bytes-per-domain/${d.name}`, description: `${d.name}: snapshot file ≤ 40 bytes per domain`, value: rf?.bytesPerDomain ?? null, threshold: '≤ 40', status: check(rf ? rf.bytesPerDomain <= 40 : null) });
    out.push({
      id: `host-decisions-per-core/${d.name}`,
      description: `${d.name}: ≥ 1M hostname decisions/s on one core (decide())`,
      value: rf?.runs.host.rate.perSecond ?? null,
      threshold: '≥ 1,000,000/s',
      status: check(rf ? rf.runs.host.rate.perSecond >= 1e6 : null),
    });
    const peerOk = d.peer.status === 'ok' && rf !== null;
    out.push({
      id: `faster-than-peer/${d.name}`,
      description: `${d.name}: more hostname decisions/s than tsurlfilter DnsEngine`,
      value: d.ratios?.hostDecisionsPerSec ?? null,
      threshold: 'ratio > 1',
      status: check(peerOk && d.ratios ? d.ratios.hostDecisionsPerSec > 1 : null),
      ...(d.peer.status === 'skipped' ? { note: `peer skipped: ${d.peer.reason}` } : {}),
    });
    out.push({
      id: `smaller-than-peer/${d.name}`,
      description: `${d.name}: less memory after load than tsurlfilter DnsEngine`,
      value: d.ratios?.memory ?? null,
      threshold: 'ratio > 1',
      status: check(peerOk && d.ratios ? d.ratios.memory > 1 : null),
      ...(d.peer.status === 'skipped' ? { note: `peer skipped: ${d.peer.reason}` } : {}),
    });
  }
  return out;
}

// ---- text form ----

const mib = (b: number): string => `${(b / 1048576).toFixed(1)} MiB`;
const ms = (v: number): string => (v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${v.toFixed(v < 10 ? 2 : 0)} ms`);
const rate = (v: number): string => (v >= 1e6 ? `${(v / 1e6).toFixed(2)} M/s` : `${(v / 1e3).toFixed(1)} k/s`);
const x = (v: number): string => `×${v >= 10 ? v.toFixed(0) : v.toFixed(2)}`;
const n0 = (v: number): string => Math.round(v).toLocaleString('en-GB');

function row(label: string, a: string, b: string): string {
  return `  ${label.padEnd(34)} ${a.padEnd(58)} ${b}`;
}

export function formatDataset(d: DatasetReport): string {
  const lines: string[] = [`== ${d.name}: ${d.description}`];
  if (!isRf(d.ringfence)) return [...lines, `  Ringfence FAILED: ${d.ringfence.reason}`].join('\n');
  const rf = d.ringfence;
  const peer = d.peer.status === 'ok' ? d.peer : null;
  lines.push(`  ${n0(rf.listEntries)} list entries in ${rf.lists} list(s), ${n0(rf.distinct)} distinct names; query stream ${n0(d.streamSize)} names (half listed)`);
  lines.push(row('', 'Ringfence', peer ? `tsurlfilter ${peer.version} DnsEngine` : `tsurlfilter: SKIPPED (${d.peer.status === 'skipped' ? d.peer.reason : ''})`));
  lines.push(row('build', `${ms(rf.build.ms)} (build ${ms(rf.build.buildMs)} + encode ${ms(rf.build.encodeMs)})`, peer ? `${ms(peer.build.ms)} (engine construction)` : '-'));
  lines.push(row('snapshot file', `${mib(rf.snapshotBytes)} = ${rf.bytesPerDomain.toFixed(1)} B/domain`, peer ? `no file (rule text ${mib(peer.ruleTextBytes)})` : '-'));
  lines.push(row('load (first in process)*', `${ms(rf.load.ms)} (read ${ms(rf.load.readMs)}, decode ${ms(rf.load.decodeMs)}, engine ${ms(rf.load.engineMs)})`, peer ? `${ms(peer.build.ms)} (= construction)` : '-'));
  lines.push(row('load (warm, best of 3)', ms(rf.load.warmMs), '-'));
  const memText = (m: RingfenceResult['memory']): string => `${mib(m.totalBytes)} (heap ${mib(m.heapBytes)}, ext ${mib(m.externalBytes)}) = ${m.bytesPerDomain.toFixed(1)} B/domain`;
  lines.push(row('memory after load (after GC)', memText(rf.memory), peer ? memText(peer.memory) : '-'));
  lines.push(row('hostnames, decide() / match()', `${rate(rf.runs.host.rate.perSecond)} (${n0(rf.runs.host.rate.decisions)})`, peer ? `${rate(peer.runs.host.rate.perSecond)} (${n0(peer.runs.host.rate.decisions)})` : '-'));
  lines.push(row('URLs, decide() / match(hostname)', `${rate(rf.runs.url.rate.perSecond)} (${n0(rf.runs.url.rate.decisions)})`, peer ? `${rate(peer.runs.url.rate.perSecond)} (${n0(peer.runs.url.rate.decisions)}) **` : '-'));
  lines.push(row('canonical host, decideParsed()', `${rate(rf.runs.parsed.rate.perSecond)} (${n0(rf.runs.parsed.rate.decisions)})`, 'n/a (match() is its hot path)'));
  lines.push(`  pinned to CPU ${rf.pinnedCpu ?? 'none'} for decisions; (n) = decisions timed, median of 3 passes`);
  const outcomes = Object.entries(rf.outcomes).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${((100 * v) / Object.values(rf.outcomes).reduce((s, c) => s + c, 0)).toFixed(1)}%`);
  lines.push(`  Ringfence outcomes (group pupils-ks2, first 200k hostnames): ${outcomes.join(', ')}`);
  lines.push('  * load = readFileSync + decodeSnapshot (CRC-32 check, typed-array views) + new PolicyEngine; the file was just written, so it is read from the page cache.');
  if (peer) lines.push('  tsurlfilter has no compiled form: constructing StringRuleList + RuleStorage + DnsEngine from `||name^` text is its build and its load.');
  if (peer) lines.push('  ** tsurlfilter\'s DNS engine only takes hostnames: each URL is reduced with new URL(url).hostname inside the timed loop.');
  const a = d.agreement;
  if (a) {
    const e = a.ringfenceVsExpectedPct;
    lines.push(`  listed/unlisted vs ground truth: Ringfence host ${e.host.toFixed(3)}%, url ${e.url.toFixed(3)}%, parsed ${e.parsed.toFixed(3)}%` + (a.peerVsExpectedPct ? `; tsurlfilter host ${a.peerVsExpectedPct.host.toFixed(3)}%, url ${a.peerVsExpectedPct.url.toFixed(3)}%` : ''));
    if (a.ringfenceVsPeerPct !== null) lines.push(`  Ringfence vs tsurlfilter agreement on ${n0(a.sample)} hostnames: ${a.ringfenceVsPeerPct.toFixed(3)}%`);
    for (const dis of a.disagreements) lines.push(`    differs: ${dis.host} expected ${dis.expected} ringfence ${dis.ringfence} tsurlfilter ${dis.peer}`);
  }
  const r = d.ratios;
  if (r) {
    lines.push('  Ringfence / tsurlfilter (× = times better for Ringfence):');
    lines.push(`    hostname decisions/s ${x(r.hostDecisionsPerSec)}, URL decisions/s ${x(r.urlDecisionsPerSec)}, decideParsed vs match ${x(r.parsedVsPeerHost)}`);
    lines.push(`    memory ${x(r.memory)} smaller; file B/domain vs peer memory B/domain ${x(r.bytesPerDomainFileVsPeerMemory)}; load ${x(r.loadTime)} faster; build ${x(r.buildTime)} faster`);
  }
  return lines.join('\n');
}

export function formatTargets(ts: readonly Target[]): string {
  const fmt = (t: Target): string => {
    if (t.value === null) return '-';
    if (t.id.startsWith('load')) return ms(t.value);
    if (t.id.startsWith('bytes')) return `${t.value.toFixed(1)} B`;
    if (t.id.startsWith('host-')) return rate(t.value);
    return x(t.value);
  };
  return ['== targets', ...ts.map((t) => `  ${t.status.padEnd(4)} ${t.description.padEnd(68)} ${fmt(t).padEnd(12)} (${t.threshold})${t.note ? ` — ${t.note}` : ''}`)].join('\n');
}
