// One proxy under test: timed start until a listed name is blocked, correctness checks, memory,
// the plain-HTTP load (wrk) and the CONNECT bulk transfers (curl). A proxy that failed is stopped
// at once with everything it forked; one that passed is left running (idle) for the alternated
// bulk transfers, and stopped by the `stop` it returns.
import { performance } from 'node:perf_hooks';
import { waitForQuiet } from '../dns/procfs.ts';
import { Proc, say } from '../dns/servers.ts';
import { measureBulk } from './bulk.ts';
import { proxiedGet, timeToBlockedResponse, type ProxiedResponse } from './http-probe.ts';
import { runLoad } from './load-process.ts';
import { SMALL_BODY } from './origin.ts';
import { cpuMeter, killSnapshot, snapshotTree, treeMemory, type Snapshot, type TreeMemory } from './proctree.ts';
import type { BulkRun, Check, HttpRun, ProxyName, ProxyResult } from './report.ts';
import { runWrk } from './wrk.ts';

export interface ProxySpec {
  readonly name: ProxyName;
  readonly version: string;
  readonly setup: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd?: string;
  readonly port: number;
  /** A line the proxy prints once it accepts connections (timed), or null. */
  readonly readyLine: RegExp | null;
  /** How a blocked request looks, for the report, and the test for it. */
  readonly blockedLooks: string;
  readonly isBlocked: (r: ProxiedResponse) => boolean;
  readonly listPrep: { readonly what: string; readonly ms: number };
}

export interface Plan {
  readonly proxyCpu: number | null;
  readonly loadCpu: number | null;
  /** Our other processes (origin, upstream DNS), for the CPU split. */
  readonly ours: readonly number[];
  readonly wrk: string;
  readonly curl: string;
  readonly wrkScript: string;
  readonly smallUrl: string;
  readonly tlsSmallUrl: string;
  readonly bulkUrl: string;
  readonly bulkBytes: number;
  readonly bulkRuns: number;
  readonly bulkParallel: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  readonly connections: number;
  /** Listed names as URLs on the origin's plain-HTTP port: every one must be blocked. */
  readonly blockedUrls: readonly string[];
  readonly quietWaitMs: number;
  readonly startLimitMs: number;
}

/** Trees of the proxies being measured, for the signal handler (squid's helpers are not Procs). */
const trees = new Set<Snapshot>();
export const killProxyTrees = (): void => trees.forEach(killSnapshot);

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function waitForLine(proc: Proc, line: RegExp, limitMs: number): Promise<number> {
  while (performance.now() - proc.startedAt < limitMs) {
    if (line.test(proc.output)) return performance.now() - proc.startedAt;
    if (proc.exited) throw new Error(`${proc.label} exited (${proc.exited.signal ?? proc.exited.code}) while starting: ${proc.tail()}`);
    await sleep(5);
  }
  throw new Error(`${proc.label} printed no ${line} within ${limitMs / 1000} s: ${proc.tail()}`);
}

async function checks(spec: ProxySpec, plan: Plan): Promise<Check[]> {
  const out: Check[] = [];
  const small = await proxiedGet(spec.port, plan.smallUrl);
  out.push({ what: `GET ${plan.smallUrl}`, expect: '200 with the 100-byte body', got: small ? `${small.status}${small.body === SMALL_BODY ? ' + body' : ` (${small.body.length}-byte body)`}` : 'no answer', ok: small?.status === 200 && small.body === SMALL_BODY });
  for (const url of plan.blockedUrls) {
    const r = await proxiedGet(spec.port, url);
    out.push({ what: `GET ${url}`, expect: spec.blockedLooks, got: r ? `${r.status}${r.location ? ` → ${r.location.slice(0, 60)}` : ''}` : 'no answer', ok: r !== null && spec.isBlocked(r) });
  }
  const tls = await runLoad(plan.curl, ['-s', '-k', '--http1.1', '--max-time', '10', '--proxy', `http://127.0.0.1:${spec.port}`, plan.tlsSmallUrl], plan.loadCpu, 15_000);
  out.push({ what: `CONNECT + GET ${plan.tlsSmallUrl}`, expect: 'the 100-byte body', got: tls.stdout === SMALL_BODY ? 'body' : `curl exit ${tls.code}: ${tls.stderr.trim().slice(0, 80) || `${tls.stdout.length} bytes`}`, ok: tls.stdout === SMALL_BODY });
  return out;
}

export interface MeasuredProxy {
  readonly result: ProxyResult;
  /** Stops the proxy and everything it forked (already done when it failed). */
  readonly stop: () => Promise<void>;
}

export async function measureProxy(spec: ProxySpec, plan: Plan): Promise<MeasuredProxy> {
  const background = await waitForQuiet(plan.quietWaitMs);
  say(`-- ${spec.name}: starting (${spec.version}); other load before the start ${background.busyCores} core(s)${background.waitedMs > 1500 ? ` after waiting ${Math.round(background.waitedMs / 1000)} s for quiet` : ''}`);
  const proc = new Proc(spec.name, plan.proxyCpu, spec.command, spec.args, spec.cwd);
  let tree: Snapshot = snapshotTree(proc.pid);
  trees.add(tree);
  // Adds processes forked since (helpers are respawned); keeps the ones seen before, which may outlive squid.
  const remember = () => {
    trees.delete(tree);
    const seen = new Set(tree.map(([pid, start]) => `${pid}/${start}`));
    tree = [...tree, ...snapshotTree(proc.pid).filter(([pid, start]) => !seen.has(`${pid}/${start}`))];
    trees.add(tree);
  };
  let startToListeningMs: number | null = null;
  let startToBlockedMs = NaN;
  let checked: Check[] = [];
  let memoryAfterStart: TreeMemory | null = null;
  let memoryAfterHttp: TreeMemory | null = null;
  let memoryAfterTests: TreeMemory | null = null;
  let http: HttpRun | null = null;
  let bulk: BulkRun | null = null;
  let error: string | null = null;
  const wrkRun = (seconds: number) => runWrk({ wrk: plan.wrk, script: plan.wrkScript, port: spec.port, seconds, connections: plan.connections, cpu: plan.loadCpu });
  try {
    if (spec.readyLine) startToListeningMs = await waitForLine(proc, spec.readyLine, plan.startLimitMs);
    startToBlockedMs = await timeToBlockedResponse(proc, spec.port, plan.blockedUrls[0]!, spec.isBlocked, plan.startLimitMs);
    say(`   first blocked response after ${Math.round(startToBlockedMs)} ms`);
    await sleep(1000); // let start-up work settle before reading memory
    remember();
    memoryAfterStart = treeMemory(proc.pid);
    checked = await checks(spec, plan);
    say(`   checks ${checked.filter((c) => c.ok).length}/${checked.length} ok; VmRSS ${(memoryAfterStart.rssKiB / 1024).toFixed(1)} MiB in ${memoryAfterStart.processes} process(es)`);
    if (checked.some((c) => !c.ok)) throw new Error(`correctness checks failed: ${checked.filter((c) => !c.ok).map((c) => `${c.what}: ${c.got}`).join('; ')}`);
    say(`   plain HTTP: ${plan.warmupSeconds} s warm-up, then ${plan.seconds} s with ${plan.connections} connections`);
    const warm = await wrkRun(plan.warmupSeconds);
    if (warm.notOk > 0) throw new Error(`warm-up: ${warm.notOk} responses were not 200 (first: ${warm.firstOtherStatus})`);
    const stopHttp = cpuMeter(proc.pid, plan.ours);
    const w = await wrkRun(plan.seconds);
    http = { ...w, cpu: stopHttp() };
    say(`     ${Math.round(http.rps)} req/s, p50 ${http.p50Ms} ms, p99 ${http.p99Ms} ms; ${http.notOk} not 200; proxy CPU ${http.cpu.proxy}, others ${http.cpu.otherPrograms}`);
    if (http.notOk > 0) throw new Error(`${http.notOk} of ${http.requests} responses under load were not 200 (first: ${http.firstOtherStatus})`);
    const errors = http.socketErrors.connect + http.socketErrors.read + http.socketErrors.write + http.socketErrors.timeout;
    if (errors > http.requests * 0.01) throw new Error(`${errors} socket errors under load (${JSON.stringify(http.socketErrors)}) for ${http.requests} requests`);
    remember();
    memoryAfterHttp = treeMemory(proc.pid);
    say(`   CONNECT bulk: ${plan.bulkRuns} transfers of ${plan.bulkBytes / 2 ** 20} MiB one at a time, then ${plan.bulkParallel} at once`);
    const stopBulk = cpuMeter(proc.pid, plan.ours);
    const bulkStarted = performance.now();
    const b = await measureBulk({ curl: plan.curl, url: plan.bulkUrl, proxyPort: spec.port, bytes: plan.bulkBytes, runs: plan.bulkRuns, parallel: plan.bulkParallel, cpu: plan.loadCpu });
    const cpuWindowSeconds = Math.round(performance.now() - bulkStarted) / 1000;
    bulk = { ...b, cpu: stopBulk(), cpuWindowSeconds };
    say(`     ${bulk.medianMiBps} MiB/s one transfer (${bulk.singleMiBps.join(', ')}), ${bulk.parallelMiBps} MiB/s with ${bulk.parallel} at once`);
    if (proc.exited) throw new Error(`exited during the load tests: ${proc.tail()}`);
    remember();
    memoryAfterTests = treeMemory(proc.pid);
  } catch (e) {
    error = (e as Error).message;
    say(`   ${spec.name} FAILED: ${error}`);
  }
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    remember();
    await proc.stop();
    await sleep(200); // helpers see their pipe close and exit; anything left is killed
    killSnapshot(tree);
    trees.delete(tree);
  };
  if (error !== null) await stop();
  const loaded = /lists loaded in ([\d.]+) ms/.exec(proc.output);
  const result: ProxyResult = {
    name: spec.name,
    version: spec.version,
    setup: spec.setup,
    pid: proc.pid,
    background,
    listPrep: spec.listPrep,
    startToListeningMs: startToListeningMs === null ? null : Math.round(startToListeningMs * 10) / 10,
    startToBlockedMs: Math.round(startToBlockedMs * 10) / 10,
    selfReportedLoadMs: loaded ? Number(loaded[1]) : null,
    checks: checked,
    memoryAfterStart,
    memoryAfterHttp,
    memoryAfterTests,
    http,
    bulk,
    error,
  };
  return { result, stop };
}
