// npm run bench:policy [-- --json] [--gen-size N] [--stream N] [--no-peer] [--no-pin] [--peer-limit S]
// The policy-decision benchmark: Ringfence's snapshot + PolicyEngine against @adguard/tsurlfilter's
// DnsEngine on the real lists (../shared/data/domains, ~1M names) and on a generated 5M-name list.
// Every measurement runs in its own child process (node --expose-gc), one after another, with the
// decision loops pinned to one CPU (taskset). Text report on stdout, or one JSON object with --json;
// progress goes to stderr. npm prints its own "> ringfence@… bench:policy" banner on stdout: use
// `npm run -s bench:policy -- --json` (or node --import tsx bench/policy/main.ts --json) for JSON only.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildStream, generateNames, readBenign, readRealLists } from './data.ts';
import { writeListsFile, writeStreamFile } from './files.ts';
import type { PeerResult } from './peer-tsurlfilter.ts';
import { analyse, formatDataset, formatTargets, targets, type DatasetReport, type PeerOutcome } from './report.ts';
import type { ChildArgs, RingfenceResult } from './ringfence.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const DOMAINS_DIR = join(REPO, '../shared/data/domains');
const BENIGN = join(REPO, '../shared/data/benign/umbrella_top10k_2021-03-09.txt');
const GEN_SEED = 20240611;
const STREAM_SEED = 7;
/** Tuesday 6 October 2026, 10:00 in London: term time, during lessons. */
const DECISION_TIME = Date.parse('2026-10-06T09:00:00Z');
const GROUP = 'pupils-ks2';

const argv = process.argv.slice(2);
const flag = (name: string): boolean => argv.includes(name);
const option = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] !== undefined ? Number(argv[i + 1]) : fallback;
};
const JSON_OUT = flag('--json');
const GEN_SIZE = option('--gen-size', 5_000_000);
const STREAM_SIZE = option('--stream', 1_000_000);
const PEER_BUILD_LIMIT_MS = option('--peer-limit', 180) * 1000;
const BUDGET_MS = option('--budget-ms', 6000);
const HEAP_MIB = Math.min(12288, Math.floor((totalmem() / 1048576) * 0.6));

const say = (message: string): void => void process.stderr.write(`${message}\n`);

function pinCpu(): string {
  if (flag('--no-pin') || cpus().length < 2) return '';
  const which = spawnSync('which', ['taskset'], { encoding: 'utf8' });
  return which.status === 0 ? String(cpus().length - 1) : '';
}
const PIN = pinCpu();

type ChildOutcome<T> = { ok: true; result: T; wallMs: number } | { ok: false; reason: string; wallMs: number };

/** Runs one child; kills it when its build phase exceeds `buildLimitMs` or the whole run `totalLimitMs`. */
function runChild<T>(mode: string, label: string, args: ChildArgs, buildLimitMs: number, totalLimitMs: number): Promise<ChildOutcome<T>> {
  const started = Date.now();
  const nodeArgs = ['--expose-gc', `--max-old-space-size=${HEAP_MIB}`, '--import', 'tsx', CHILD, mode, JSON.stringify(args)];
  const child = spawn(process.execPath, nodeArgs, { cwd: REPO, env: { ...process.env, BENCH_LABEL: label, BENCH_PIN_CPU: PIN }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let pending = '';
  const tail: string[] = [];
  let phase = 'start';
  let phaseAt = Date.now();
  let killedFor: string | null = null;
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    pending += s;
    let nl: number;
    while ((nl = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.startsWith('@@phase ')) {
        phase = line.slice(8);
        phaseAt = Date.now();
        continue;
      }
      tail.push(line);
      if (tail.length > 30) tail.shift();
      process.stderr.write(line + '\n');
    }
  });
  const timer = setInterval(() => {
    const inPhase = Date.now() - phaseAt;
    if (phase === 'build' && inPhase > buildLimitMs) killedFor = `engine construction did not finish within ${buildLimitMs / 1000} s`;
    else if (Date.now() - started > totalLimitMs) killedFor = `did not finish within ${totalLimitMs / 1000} s (phase ${phase})`;
    if (killedFor !== null) {
      clearInterval(timer);
      child.kill('SIGKILL');
    }
  }, 500);
  return new Promise((resolve) => {
    child.on('close', (code, signal) => {
      clearInterval(timer);
      const wallMs = Date.now() - started;
      if (killedFor !== null) return resolve({ ok: false, reason: killedFor, wallMs });
      if (code === 0) {
        try {
          return resolve({ ok: true, result: JSON.parse(stdout.trim().split('\n').pop() ?? '') as T, wallMs });
        } catch (e) {
          return resolve({ ok: false, reason: `unreadable result: ${(e as Error).message}`, wallMs });
        }
      }
      const text = tail.join('\n');
      const oom = /heap out of memory|Allocation failed/i.test(text);
      const reason = oom ? `ran out of memory (JS heap limit ${HEAP_MIB} MiB) in phase ${phase}` : `exited with ${signal ?? `code ${code}`} in phase ${phase}: ${tail.slice(-3).join(' | ')}`;
      resolve({ ok: false, reason, wallMs });
    });
  });
}

interface Prepared {
  readonly name: string;
  readonly description: string;
  readonly args: ChildArgs;
  readonly hosts: string[];
  readonly expected: Uint8Array;
}

function prepare(dir: string, name: string, description: string, lists: Parameters<typeof writeListsFile>[1], set: Set<string>, benign: string[]): Prepared {
  const listsFile = join(dir, `${name}.lists`);
  const namesFile = join(dir, `${name}.names`);
  const streamFile = join(dir, `${name}.stream`);
  writeListsFile(listsFile, lists);
  const names = [...set];
  writeFileSync(namesFile, names.join('\n') + '\n');
  const stream = buildStream(names, set, benign, STREAM_SIZE, STREAM_SEED);
  writeStreamFile(streamFile, stream);
  const args: ChildArgs = { listsFile, namesFile, streamFile, dir, label: name, time: DECISION_TIME, group: GROUP, budgetMs: BUDGET_MS };
  return { name, description, args, hosts: stream.hosts, expected: stream.expected };
}

async function measure(p: Prepared): Promise<DatasetReport> {
  say(`-- ${p.name}: Ringfence`);
  const rf = await runChild<RingfenceResult>('ringfence', `${p.name}/ringfence`, p.args, 600_000, 600_000);
  let peer: PeerOutcome;
  if (flag('--no-peer')) peer = { status: 'skipped', reason: 'disabled with --no-peer', wallMs: 0 };
  else {
    say(`-- ${p.name}: tsurlfilter`);
    const r = await runChild<PeerResult>('tsurlfilter', `${p.name}/tsurlfilter`, p.args, PEER_BUILD_LIMIT_MS, PEER_BUILD_LIMIT_MS + 120_000);
    peer = r.ok ? { status: 'ok', ...r.result } : { status: 'skipped', reason: r.reason, wallMs: r.wallMs };
    if (!r.ok) say(`   tsurlfilter skipped: ${r.reason}`);
  }
  if (!rf.ok) return { name: p.name, description: p.description, streamSize: p.hosts.length, ringfence: { status: 'failed', reason: rf.reason }, peer, agreement: null, ratios: null };
  const { agreement, ratios } = analyse(p.hosts, p.expected, rf.result, peer);
  return { name: p.name, description: p.description, streamSize: p.hosts.length, ringfence: rf.result, peer, agreement, ratios };
}

async function main(): Promise<void> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'ringfence-bench-'));
  const datasets: DatasetReport[] = [];
  try {
    const benign = readBenign(BENIGN);
    say(`reading the real lists in ${DOMAINS_DIR}`);
    let t = Date.now();
    const real = readRealLists(DOMAINS_DIR);
    const realSet = new Set<string>();
    for (const l of real) for (const n of l.names) realSet.add(n);
    const realEntries = real.reduce((a, l) => a + l.names.length, 0);
    say(`  ${real.length} lists, ${realEntries} entries, ${realSet.size} distinct names (${Date.now() - t} ms)`);
    const realPrepared = prepare(dir, 'real', `${real.length} real lists from ../shared/data/domains (UT1, blocklistproject, hagezi, adult alternatives), categories from the default pack`, real, realSet, benign);
    datasets.push(await measure(realPrepared));

    say(`generating ${GEN_SIZE} names (seed ${GEN_SEED})`);
    t = Date.now();
    const genSet = generateNames(GEN_SIZE, GEN_SEED);
    say(`  done in ${Date.now() - t} ms`);
    const genList = [{ id: 'bench/generated', category: 'pornography', source: `generated seed ${GEN_SEED}`, names: [...genSet] }];
    const genPrepared = prepare(dir, 'generated', `${GEN_SIZE.toLocaleString('en-GB')} generated names (seed ${GEN_SEED}), one list in category pornography`, genList, genSet, benign);
    genList.length = 0;
    datasets.push(await measure(genPrepared));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ts = targets(datasets, GEN_SIZE);
  const durationMs = Date.now() - started;
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemGiB: +(totalmem() / 2 ** 30).toFixed(1), pinnedCpu: PIN === '' ? null : Number(PIN), childHeapMiB: HEAP_MIB };
  const settings = { generatedSize: GEN_SIZE, generatedSeed: GEN_SEED, streamSize: STREAM_SIZE, streamSeed: STREAM_SEED, decisionTime: new Date(DECISION_TIME).toISOString(), group: GROUP, peerBuildLimitMs: PEER_BUILD_LIMIT_MS, budgetMsPerMeasurement: BUDGET_MS };
  if (JSON_OUT) {
    // The answer bits (for agreement) stay out of the report.
    const report = { benchmark: 'policy', startedAt: new Date(started).toISOString(), durationMs, machine, settings, datasets, targets: ts };
    process.stdout.write(JSON.stringify(report, (key, value: unknown) => (key === 'bits' ? undefined : value)) + '\n');
    return;
  }
  const out = [
    `Ringfence policy-decision benchmark — node ${machine.node}, ${machine.cpus} CPU(s) (${machine.cpuModel}), ${machine.totalMemGiB} GiB`,
    `decisions: group ${GROUP} at ${settings.decisionTime}, one core${PIN ? ` (taskset CPU ${PIN})` : ' (not pinned)'}; memory = heap + external growth after GC, in a fresh process`,
    '',
    ...datasets.flatMap((d) => [formatDataset(d), '']),
    formatTargets(ts),
    '',
    `total ${(durationMs / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

await main();
