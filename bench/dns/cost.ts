// node --import tsx bench/dns/cost.ts [--tsx | --entry FILE] [--seconds S] [--qps N] [--runs N] [--only cached,rate,miss]
//                                      [--node-flag FLAG]… [--fresh]
// What one query costs Ringfence's DNS server, in server CPU time rather than wall-clock qps, so that
// a change can be judged while other programs share the machine: the server (pinned to core 1) is
// loaded by dnsperf (core 0) and its utime + stime from /proc is divided by the queries answered.
// Runs: `cached` (the mixed file, saturating), `rate` (the mixed file at --qps), `miss` (every
// allowed name new, saturating). The data folder with the ~1M-name list is kept in
// .bench-cache/dns-cost (--fresh rebuilds it). Runs the compiled build (dist/, built first) unless --tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildForBench, compiledEntry } from './build.ts';
import { runDnsperf } from './dnsperf.ts';
import { readBlockList, readQueryFile, writeDomainsFile, writeMissFile } from './lists.ts';
import { memoryOf } from './procfs.ts';
import { freePort, Proc, say, stopAll, timeToBlockedAnswer } from './servers.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CACHE = join(REPO, '.bench-cache/dns-cost');
const MIXED = join(REPO, '../shared/data/dns/DERIVED_mixed_school_queries_50k.dnsperf');
const argv = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = argv.indexOf(name);
  return i >= 0 && Number.isFinite(Number(argv[i + 1])) ? Number(argv[i + 1]) : fallback;
};
const SECONDS = opt('--seconds', 8);
const QPS = opt('--qps', 20_000);
const RUNS = opt('--runs', 2);
const ONLY = ((): string[] => {
  const i = argv.indexOf('--only');
  return i >= 0 ? argv[i + 1]!.split(',') : ['cached', 'rate', 'miss'];
})();
const NODE_FLAGS = argv.flatMap((a, i) => (argv[i - 1] === '--node-flag' ? [a] : []));
/** --entry FILE: a script that runs another build's CLI (to compare with); no build then. */
const ENTRY = argv.includes('--entry') ? argv[argv.indexOf('--entry') + 1]! : null;

/** utime + stime of a process, in ticks of 10 ms. */
function ticks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]);
}

/** Miss files, one per run: names below fresh labels, so no run answers another's from the cache. */
const missFile = (run: number) => join(CACHE, `miss-${run}.dnsperf`);

function prepare(): string {
  const dataDir = join(CACHE, 'data');
  if (argv.includes('--fresh')) rmSync(CACHE, { recursive: true, force: true });
  mkdirSync(CACHE, { recursive: true });
  const mixed = readQueryFile(MIXED);
  for (let i = 0; i < RUNS; i++) if (!existsSync(missFile(i))) writeMissFile(missFile(i), mixed, 700_000, 4242 + i);
  rmSync(join(dataDir, 'logs'), { recursive: true, force: true }); // a run logs hundreds of MB
  if (existsSync(join(dataDir, 'lists/snapshots/current.json'))) return dataDir;
  mkdirSync(CACHE, { recursive: true });
  say('preparing the data folder (once)');
  const list = readBlockList(join(REPO, '../shared/data/domains'));
  const domains = join(CACHE, 'blocklist.txt');
  writeDomainsFile(domains, list.names);
  const r = spawnSync(process.execPath, ['bin/ringfence.mjs', 'lists', 'import', '--format', 'domains', '--path', domains, '--name', 'bench/blocklist', '--category', 'pornography', '--data', dataDir], { cwd: REPO, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`import failed: ${r.stderr}`);
  return dataDir;
}

async function main(): Promise<void> {
  const dataDir = prepare();
  const useTsx = argv.includes('--tsx');
  if (!useTsx && ENTRY === null) buildForBench(REPO);
  const [upPort, port] = [await freePort(), await freePort()];
  const upstream = new Proc('upstream', 0, '/usr/sbin/dnsmasq', ['--no-daemon', '--no-resolv', '--no-hosts', '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${upPort}`, '--address=/#/192.0.2.1', '--address=/#/2001:db8::1', '--cache-size=0', '--local-ttl=3600', '--log-facility=/dev/null']);
  const entry = ENTRY !== null ? [ENTRY] : useTsx ? ['bin/ringfence.mjs'] : compiledEntry(REPO);
  const server = new Proc('ringfence', 1, process.execPath, [...NODE_FLAGS, ...entry, 'dns', '--listen', `127.0.0.1:${port}`, '--upstream', `127.0.0.1:${upPort}`, '--data', dataDir, '--rate-limit', '0'], REPO);
  try {
    const ms = await timeToBlockedAnswer(server, port, 'pornhub.com', 60_000);
    await new Promise((r) => setTimeout(r, 1000));
    say(`${ENTRY ?? (useTsx ? 'tsx' : 'compiled')}${NODE_FLAGS.length ? ` ${NODE_FLAGS.join(' ')}` : ''}: first blocked answer after ${Math.round(ms)} ms, VmRSS ${(memoryOf(server.pid).rssKiB / 1024).toFixed(1)} MiB`);
    await runDnsperf({ port, file: MIXED, outstanding: 500, passes: 1, seconds: 60, cpu: 0, killAfterMs: 90_000 });
    const measure = async (label: string, file: string, qps?: number, passes?: number) => {
      const t0 = ticks(server.pid);
      const r = await runDnsperf({ port, file, outstanding: 500, seconds: SECONDS, qps, passes, cpu: 0, killAfterMs: (SECONDS + 30) * 1000 });
      const cpu = (ticks(server.pid) - t0) * 10_000; // µs
      const m = memoryOf(server.pid);
      process.stdout.write(`${label.padEnd(7)} ${Math.round(r.qps).toString().padStart(6)} qps  ${(cpu / r.completed).toFixed(2).padStart(6)} µs CPU/query  lost ${r.lost}  VmRSS ${(m.rssKiB / 1024).toFixed(1)} MiB (peak ${(m.hwmKiB / 1024).toFixed(1)})\n`);
    };
    for (let i = 0; i < RUNS; i++) {
      if (ONLY.includes('cached')) await measure('cached', MIXED);
      if (ONLY.includes('rate')) await measure('rate', MIXED, QPS);
    }
    if (ONLY.includes('miss')) for (let i = 0; i < RUNS; i++) await measure('miss', missFile(i), undefined, 1);
  } finally {
    await stopAll();
  }
  process.stdout.write(`${server.tail(3)}\n`);
}

await main();
