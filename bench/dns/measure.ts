// One server under test: timed start until a blocked name answers, correctness checks, memory,
// then the dnsperf runs (warm-up, cached mix, fixed-rate latency, cache-miss mix). A server that
// failed is stopped at once; one that passed is left running (idle) for the alternated runs and
// stopped by the `stop` it returns.
import { runDnsperf, type DnsperfResult } from './dnsperf.ts';
import type { Check, LoadRun, ServerName, ServerResult } from './report.ts';
import { cpuMeter, memoryOf, waitForQuiet, type Memory } from './procfs.ts';
import { Prober, Proc, say, timeToBlockedAnswer } from './servers.ts';

export interface ServerSpec {
  readonly name: ServerName;
  readonly version: string;
  readonly setup: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly env?: Record<string, string>;
  readonly port: number;
}

export interface Plan {
  readonly serverCpu: number | null;
  readonly loadCpu: number | null;
  readonly upstream: Proc;
  readonly mixedFile: string;
  readonly missFile: string;
  readonly verboseFile: string;
  readonly outstanding: number;
  readonly cachedSeconds: number;
  readonly missSeconds: number;
  readonly latencySeconds: number;
  readonly latencyQps: number;
  readonly loadLimitMs: number;
  /** How long to wait for other programs' load to settle before starting a server. */
  readonly quietWaitMs: number;
  readonly sanity: { readonly blocked: string[]; readonly allowed: string[] };
  readonly sample: { readonly name: string; readonly blocked: boolean }[];
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function checks(port: number, sanity: Plan['sanity']): Promise<Check[]> {
  const prober = new Prober(port);
  const out: Check[] = [];
  try {
    const cases = [...sanity.blocked.map((n) => [n, 'blocked'] as const), ...sanity.allowed.map((n) => [n, 'allowed'] as const)];
    for (const [name, expect] of cases) {
      for (const type of ['A', 'AAAA'] as const) {
        let a = null;
        for (let attempt = 0; attempt < 3 && a === null; attempt++) a = await prober.ask(name, type, 2000);
        const got = a === null ? 'no answer' : `${a.verdict} (${a.rcode}${a.data.length ? ` ${a.data.join(',')}` : ''})`;
        out.push({ name, type, expect, got, ok: a?.verdict === expect });
      }
    }
  } finally {
    prober.close();
  }
  return out;
}

async function agreement(port: number, sample: Plan['sample']): Promise<ServerResult['agreement']> {
  const prober = new Prober(port);
  const disagreements: string[] = [];
  let agree = 0;
  try {
    for (let i = 0; i < sample.length; i += 25) {
      const batch = sample.slice(i, i + 25);
      const answers = await Promise.all(batch.map(async (s) => (await prober.ask(s.name, 'A', 2000)) ?? (await prober.ask(s.name, 'A', 2000))));
      batch.forEach((s, k) => {
        const v = answers[k]?.verdict ?? 'no answer';
        if (v === (s.blocked ? 'blocked' : 'allowed')) agree++;
        else if (disagreements.length < 5) disagreements.push(`${s.name} (list: ${s.blocked ? 'blocked' : 'allowed'}, got ${v})`);
      });
    }
  } finally {
    prober.close();
  }
  return { sample: sample.length, agree, disagreements };
}

export interface MeasuredServer {
  readonly result: ServerResult;
  readonly stop: () => Promise<void>;
}

export async function measureServer(spec: ServerSpec, plan: Plan, onProc: (p: Proc) => void = () => undefined): Promise<MeasuredServer> {
  const background = await waitForQuiet(plan.quietWaitMs);
  say(`-- ${spec.name}: starting (${spec.version}); other load before the start ${background.busyCores} core(s)${background.waitedMs > 1500 ? ` after waiting ${Math.round(background.waitedMs / 1000)} s for quiet` : ''}`);
  const proc = new Proc(spec.name, plan.serverCpu, spec.command, spec.args, spec.cwd, spec.env);
  onProc(proc);
  let startToBlockedAnswerMs = NaN;
  let memoryAfterLoad: Memory = { rssKiB: NaN, hwmKiB: NaN, anonKiB: NaN, fileKiB: NaN };
  let memoryAfterTests: Memory | null = null;
  let checkResults: Check[] = [];
  let agreed: ServerResult['agreement'] = { sample: 0, agree: 0, disagreements: [] };
  let warmup: DnsperfResult | null = null;
  let cached: LoadRun | null = null;
  let latency: LoadRun | null = null;
  let miss: LoadRun | null = null;
  let error: string | null = null;
  const perf = (file: string, extra: { seconds?: number; passes?: number; qps?: number; verbose?: boolean }) =>
    runDnsperf({
      port: spec.port,
      file,
      outstanding: plan.outstanding,
      seconds: extra.seconds,
      passes: extra.passes,
      qps: extra.qps,
      verboseFile: extra.verbose ? plan.verboseFile : undefined,
      cpu: plan.loadCpu,
      killAfterMs: ((extra.seconds ?? 60) + 20) * 1000,
    });
  const metered = async (file: string, extra: Parameters<typeof perf>[1]): Promise<LoadRun> => {
    const stop = cpuMeter(proc.pid, plan.upstream.pid);
    const r = await perf(file, extra);
    const cpu = stop();
    return { ...r, cpu, rssAfterKiB: proc.exited ? NaN : memoryOf(proc.pid).rssKiB };
  };
  try {
    startToBlockedAnswerMs = await timeToBlockedAnswer(proc, spec.port, plan.sanity.blocked[0]!, plan.loadLimitMs);
    say(`   first blocked answer after ${Math.round(startToBlockedAnswerMs)} ms`);
    await sleep(1000); // let start-up work settle before reading memory
    memoryAfterLoad = memoryOf(proc.pid);
    checkResults = await checks(spec.port, plan.sanity);
    agreed = await agreement(spec.port, plan.sample);
    say(`   checks ${checkResults.filter((c) => c.ok).length}/${checkResults.length} ok; list agreement ${agreed.agree}/${agreed.sample}; VmRSS ${(memoryAfterLoad.rssKiB / 1024).toFixed(1)} MiB`);
    if (checkResults.some((c) => !c.ok)) throw new Error(`correctness checks failed: ${checkResults.filter((c) => !c.ok).map((c) => `${c.name} ${c.type}: ${c.got}`).join('; ')}`);
    say('   warm-up: one pass of the mixed file');
    warmup = await perf(plan.mixedFile, { passes: 1, seconds: 60 });
    say(`   cached mix for ${plan.cachedSeconds} s`);
    cached = await metered(plan.mixedFile, { seconds: plan.cachedSeconds });
    say(`     ${Math.round(cached.qps)} qps, lost ${cached.lost}`);
    say(`   latency at ${plan.latencyQps} qps for ${plan.latencySeconds} s`);
    latency = await metered(plan.mixedFile, { seconds: plan.latencySeconds, qps: plan.latencyQps, verbose: true });
    say(`     ${Math.round(latency.qps)} qps, p50 ${latency.latency?.p50Ms} ms, p99 ${latency.latency?.p99Ms} ms, lost ${latency.lost}`);
    say(`   cache-miss mix for ${plan.missSeconds} s`);
    miss = await metered(plan.missFile, { seconds: plan.missSeconds, passes: 1 });
    say(`     ${Math.round(miss.qps)} qps, lost ${miss.lost}`);
    if (proc.exited) throw new Error(`exited during the load tests: ${proc.tail()}`);
    memoryAfterTests = memoryOf(proc.pid);
  } catch (e) {
    error = (e as Error).message;
    say(`   ${spec.name} FAILED: ${error}`);
  }
  const stop = () => proc.stop();
  if (error !== null) await stop();
  // Ringfence prints "lists loaded in X ms, policy in Y ms, engine in Z ms (T ms in all)".
  const loadLines = proc.output.split('\n').filter((l) => /lists loaded in [\d.]+ ms/.test(l));
  const first = loadLines[0] ? /lists loaded in ([\d.]+) ms/.exec(loadLines[0]) : null;
  const result: ServerResult = {
    name: spec.name,
    version: spec.version,
    setup: spec.setup,
    pid: proc.pid,
    background,
    startToBlockedAnswerMs: Math.round(startToBlockedAnswerMs * 10) / 10,
    selfReportedLoadMs: first ? Number(first[1]) : null,
    loadLines,
    checks: checkResults,
    agreement: agreed,
    memoryAfterLoad,
    memoryAfterTests,
    warmup,
    cached,
    latency,
    miss,
    error,
  };
  return { result, stop };
}
