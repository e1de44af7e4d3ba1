// npm run bench:dns [-- --json] [--cached-seconds S] [--miss-seconds S] [--latency-seconds S]
//                   [--latency-qps N] [--outstanding N] [--servers ringfence,dnsmasq,unbound] [--no-pin]
//                   [--miss-count N] [--quiet-wait S] [--cpu-prof DIR] [--tsx] [--node-flags "FLAGS"]
//                   [--cache-mb N] [--rounds N] [--round-seconds S]
// Ringfence runs as compiled JavaScript (built into dist/ first, as `npm run build` does) with
// node --max-semi-space-size=1 (see docs/DNS.md); --tsx runs the sources through tsx instead, and
// --node-flags replaces the V8 flags ("" for none). --cache-mb sets Ringfence's answer cache
// (default: the product's 64 MiB; 16 MiB holds about as many answers as dnsmasq's 50,000 here).
// --cpu-prof DIR profiles Ringfence's server for its whole life; `node --import tsx
// bench/dns/profile-top.ts FILE.cpuprofile` lists its hottest functions. bench/dns/cost.ts and
// bench/dns/pipeline-cost.ts measure CPU per query, for judging a change on a busy machine.
// After every server's own runs, all of them still running: --rounds (5) rounds of a cached-mix
// run and a cache-miss run of --round-seconds (4) each, the servers taking turns in a rotated
// order; the qps targets compare servers round by round (bench/dns/alternated.ts says why).
// The DNS benchmark: Ringfence's DNS server against dnsmasq and unbound, each loaded with the same
// ~1M-name block list (every domain list under ../shared/data/domains) and forwarding to the same
// loopback upstream (a dnsmasq answering every name with 192.0.2.1 / 2001:db8::1). dnsperf and
// the upstream run on core 0, the server under test on core 1; one server at a time. Text report
// on stdout, or one JSON object with --json; progress on stderr. Needs the Debian packages
// dnsperf, dnsmasq-base and unbound (and taskset, from util-linux). Loopback only.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killDnsperfs, runDnsperf, type DnsperfResult } from './dnsperf.ts';
import { agreementSample, blockedShare, readBlockList, readQueryFile, sanityNames, writeDnsmasqConf, writeDomainsFile, writeMissFile, writeUnboundConf, DNSMASQ_CACHE_SIZE, DNSMASQ_FORWARD_MAX } from './lists.ts';
import { buildForBench, compiledEntry } from './build.ts';
import { measureServer, type MeasuredServer, type Plan, type ServerSpec } from './measure.ts';
import { alternate, type AlternatedRuns } from './alternated.ts';
import { formatAlternated, formatRatios, formatServer, formatTargets, ratios, targets, type ServerName, type ServerResult } from './report.ts';
import { freePort, Prober, Proc, say, stopAll, which } from './servers.ts';
import { argOptions, runMain, tool, versionLine } from '../common/run-main.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOMAINS_DIR = join(REPO, '../shared/data/domains');
const MIXED_FILE = join(REPO, '../shared/data/dns/DERIVED_mixed_school_queries_50k.dnsperf');
const APT_PACKAGES = 'dnsperf dnsmasq-base unbound';

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  const header = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('//'));
  process.stdout.write(header.map((l) => l.slice(3)).join('\n') + '\n');
  process.exit(0);
}
const { flag, option, subset } = argOptions(argv);
const JSON_OUT = flag('--json');
const CACHED_SECONDS = option('--cached-seconds', 12);
const MISS_SECONDS = option('--miss-seconds', 10);
const LATENCY_SECONDS = option('--latency-seconds', 10);
const LATENCY_QPS = option('--latency-qps', 20_000);
const OUTSTANDING = option('--outstanding', 500);
const MISS_COUNT = option('--miss-count', 1_200_000);
const MISS_SEED = 4242;
const ROUNDS = option('--rounds', 5, 0);
const ROUND_SECONDS = option('--round-seconds', 4);
const ROUND_MISS_COUNT = 300_000;
/** --cpu-prof DIR: run Ringfence's server with node --cpu-prof, profiles written to DIR on stop. */
const CPU_PROF_DIR = ((): string | null => {
  const i = argv.indexOf('--cpu-prof');
  return i >= 0 && argv[i + 1] ? resolve(argv[i + 1]!) : null;
})();
const QUIET_WAIT_MS = option('--quiet-wait', 60, 0) * 1000;
const SERVERS = subset<ServerName>('--servers', ['ringfence', 'dnsmasq', 'unbound']);
const TSX = flag('--tsx');
/** V8 flags for Ringfence's server: what docs/DNS.md recommends for production, unless --node-flags. */
const NODE_FLAGS = ((): string[] => {
  const i = argv.indexOf('--node-flags');
  return (i >= 0 ? (argv[i + 1] ?? '') : '--max-semi-space-size=1').split(/\s+/).filter(Boolean);
})();
const CACHE_MB = argv.includes('--cache-mb') ? option('--cache-mb', 64) : null;
const PIN = !flag('--no-pin') && cpus().length >= 2 && which('taskset') !== null;
const SERVER_CPU = PIN ? 1 : null;
const LOAD_CPU = PIN ? 0 : null;

/** The line of `cmd args`'s output that gives its version, without a trailing copyright notice. */
function firstLine(cmd: string, args: string[]): string {
  return versionLine(cmd, args, /version/i).replace(/\s+Copyright.*$/, '');
}

async function upstreamReady(port: number, proc: Proc): Promise<void> {
  const prober = new Prober(port);
  try {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (proc.exited) throw new Error(`upstream dnsmasq exited: ${proc.tail()}`);
      const a = await prober.ask('upstream-check.example.com', 'A', 100);
      const aaaa = a ? await prober.ask('upstream-check.example.com', 'AAAA', 500) : null;
      if (a && aaaa) {
        if (a.data[0] !== '192.0.2.1' || aaaa.data[0] !== '2001:db8::1') throw new Error(`upstream answers ${a.data} / ${aaaa.data}, not 192.0.2.1 / 2001:db8::1`);
        return;
      }
    }
    throw new Error(`upstream dnsmasq did not answer within 10 s: ${proc.tail()}`);
  } finally {
    prober.close();
  }
}

/** The run's temp folder while it exists (removed by `main`'s finally, or by the signal handler). */
let tempDir: string | null = null;

async function main(): Promise<void> {
  const started = Date.now();
  const bin = { dnsperf: tool('dnsperf', APT_PACKAGES), dnsmasq: tool('dnsmasq', APT_PACKAGES), unbound: tool('unbound', APT_PACKAGES) };
  if (!TSX && SERVERS.includes('ringfence')) buildForBench(REPO);
  const entry = TSX ? ['bin/ringfence.mjs'] : compiledEntry(REPO);
  // This process only orchestrates: keep it (all its threads) off the server's core.
  if (PIN) spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'ringfence-bench-dns-'));
  tempDir = dir;
  let upstream: Proc | null = null;
  const results: ServerResult[] = [];
  const running: MeasuredServer[] = [];
  let alternated: AlternatedRuns | null = null;
  let upstreamAlone: DnsperfResult | null = null;
  let list: ReturnType<typeof readBlockList> | null = null;
  let importMs = NaN;
  let mixedBlockedShare = NaN;
  let mixedCount = 0;
  try {
    say(`reading the block list from ${DOMAINS_DIR}`);
    list = readBlockList(DOMAINS_DIR);
    say(`  ${list.files} list files, ${list.entries} entries, ${list.names.length} distinct names (${list.readMs} ms)`);
    const mixed = readQueryFile(MIXED_FILE);
    mixedCount = mixed.length;
    mixedBlockedShare = blockedShare(mixed, list.set);
    say(`  mixed query file: ${mixed.length} queries, ${(mixedBlockedShare * 100).toFixed(1)}% under a listed name`);
    const missFile = join(dir, 'miss.dnsperf');
    writeMissFile(missFile, mixed, MISS_COUNT, MISS_SEED);
    const ports = new Set<number>();
    while (ports.size < 4) ports.add(await freePort());
    const [upPort, rfPort, dmPort, ubPort] = [...ports] as [number, number, number, number];
    const domainsFile = join(dir, 'blocklist.txt');
    writeDomainsFile(domainsFile, list.names);
    const dmConf = join(dir, 'dnsmasq.conf');
    writeDnsmasqConf(dmConf, list.names, upPort);
    const ubDir = join(dir, 'unbound');
    mkdirSync(ubDir);
    writeUnboundConf(join(ubDir, 'unbound.conf'), ubDir, list.names, ubPort, upPort);

    say('importing the list into a Ringfence data folder (ringfence lists import)');
    const dataDir = join(dir, 'ringfence-data');
    const t = Date.now();
    const imp = spawnSync(process.execPath, [...entry, 'lists', 'import', '--format', 'domains', '--path', domainsFile, '--name', 'bench/blocklist', '--category', 'pornography', '--data', dataDir], { cwd: REPO, encoding: 'utf8', timeout: 180_000 });
    importMs = Date.now() - t;
    if (imp.status !== 0) throw new Error(`ringfence lists import failed (${imp.status ?? imp.signal}): ${imp.stderr}`);
    say(`  ${imp.stdout.trim().split('\n').join(' / ')} (${importMs} ms)`);

    upstream = new Proc('upstream', LOAD_CPU, bin.dnsmasq, ['--no-daemon', '--no-resolv', '--no-hosts', '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${upPort}`, '--address=/#/192.0.2.1', '--address=/#/2001:db8::1', '--cache-size=0', '--local-ttl=3600', '--log-facility=/dev/null']);
    await upstreamReady(upPort, upstream);
    say(`upstream dnsmasq on 127.0.0.1:${upPort} answers A 192.0.2.1 and AAAA 2001:db8::1; its own rate for 5 s:`);
    upstreamAlone = await runDnsperf({ port: upPort, file: MIXED_FILE, outstanding: OUTSTANDING, seconds: 5, cpu: LOAD_CPU, killAfterMs: 30_000 });
    say(`  ${Math.round(upstreamAlone.qps)} qps (dnsperf and upstream sharing core ${LOAD_CPU ?? '-'})`);

    const plan: Plan = {
      serverCpu: SERVER_CPU,
      loadCpu: LOAD_CPU,
      upstream,
      mixedFile: MIXED_FILE,
      missFile,
      verboseFile: join(dir, 'dnsperf-verbose.txt'),
      outstanding: OUTSTANDING,
      cachedSeconds: CACHED_SECONDS,
      missSeconds: MISS_SECONDS,
      latencySeconds: LATENCY_SECONDS,
      latencyQps: LATENCY_QPS,
      loadLimitMs: 120_000,
      quietWaitMs: QUIET_WAIT_MS,
      sanity: sanityNames(list.set, list.names, mixed),
      sample: agreementSample(mixed, list.set, 500, 99),
    };
    const up = `127.0.0.1:${upPort}`;
    const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
    const specs: Record<ServerName, ServerSpec> = {
      ringfence: {
        name: 'ringfence',
        version: `ringfence ${pkg.version} on node ${process.version} (${TSX ? 'TypeScript through tsx' : 'compiled to JavaScript'}${NODE_FLAGS.length ? `, ${NODE_FLAGS.join(' ')}` : ''})`,
        setup: `ringfence dns --listen 127.0.0.1:${rfPort} --upstream ${up} --rate-limit 0 --block-answer null ${CACHE_MB === null ? '(cache 64 MiB default)' : `--cache-mb ${CACHE_MB}`}; list imported as one domains list in category pornography`,
        command: process.execPath,
        // --cpu-prof is not allowed in NODE_OPTIONS: it goes on node's own command line.
        args: [...NODE_FLAGS, ...(CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF_DIR}`] : []), ...entry, 'dns', '--listen', `127.0.0.1:${rfPort}`, '--upstream', up, '--data', dataDir, '--rate-limit', '0', '--block-answer', 'null', ...(CACHE_MB === null ? [] : ['--cache-mb', String(CACHE_MB)])],
        cwd: REPO,
        port: rfPort,
      },
      dnsmasq: {
        name: 'dnsmasq',
        version: firstLine(bin.dnsmasq, ['--version']),
        setup: `address=/name/ per name (NXDOMAIN), cache-size=${DNSMASQ_CACHE_SIZE}, dns-forward-max=${DNSMASQ_FORWARD_MAX}, server=${up.replace(':', '#')}, no-resolv, --keep-in-foreground; its UDP socket keeps the kernel's default buffer (dnsmasq has no option for it)`,
        command: bin.dnsmasq,
        args: ['--keep-in-foreground', `--conf-file=${dmConf}`, '--listen-address=127.0.0.1', '--bind-interfaces', `--port=${dmPort}`, '--pid-file', '--log-facility=-'],
        port: dmPort,
      },
      unbound: {
        name: 'unbound',
        version: firstLine(bin.unbound, ['-V']),
        setup: `local-zone "name." always_null per name (0.0.0.0 / ::), num-threads 1, module-config "iterator", forward-zone "." → ${up.replace(':', '@')}, so-rcvbuf/so-sndbuf 4m (as Ringfence's listener), default caches`,
        command: bin.unbound,
        args: ['-d', '-c', join(ubDir, 'unbound.conf')],
        port: ubPort,
      },
    };
    for (const name of SERVERS) {
      const measured = await measureServer(specs[name], plan);
      results.push(measured.result);
      running.push(measured);
    }
    const alive = results.filter((r) => r.error === null).map((r) => ({ name: r.name, port: specs[r.name].port }));
    if (alive.length > 1 && ROUNDS > 0) {
      say(`alternated: ${ROUNDS} rounds of ${ROUND_SECONDS} s cached mix and ${ROUND_SECONDS} s cache misses through ${alive.map((a) => a.name).join(', ')} (all running, order rotated)`);
      alternated = await alternate(alive, { rounds: ROUNDS, seconds: ROUND_SECONDS, mixedFile: MIXED_FILE, mixed, missPath: join(dir, 'miss-round-{round}.dnsperf'), missCount: ROUND_MISS_COUNT, seed: MISS_SEED + 1, outstanding: OUTSTANDING, loadCpu: LOAD_CPU });
    }
  } finally {
    for (const m of running) await m.stop();
    killDnsperfs();
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    tempDir = null;
  }

  // A server that failed (or answered wrongly) fails the run; a missed target does not.
  if (results.some((r) => r.error !== null)) process.exitCode = 1;
  const rf = results.find((r) => r.name === 'ringfence');
  const peers = results.filter((r) => r.name !== 'ringfence');
  const rs = rf ? ratios(rf, peers, alternated) : [];
  const ts = targets(results, alternated);
  const durationMs = Date.now() - started;
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemGiB: +(totalmem() / 2 ** 30).toFixed(1), serverCpu: SERVER_CPU, loadCpu: LOAD_CPU, dnsperf: firstLine(bin.dnsperf, ['-H']) };
  const settings = {
    cachedSeconds: CACHED_SECONDS,
    missSeconds: MISS_SECONDS,
    latencySeconds: LATENCY_SECONDS,
    latencyQps: LATENCY_QPS,
    outstanding: OUTSTANDING,
    mixedFile: '../shared/data/dns/DERIVED_mixed_school_queries_50k.dnsperf',
    mixedQueries: mixedCount,
    mixedBlockedShare: +mixedBlockedShare.toFixed(4),
    missQueries: MISS_COUNT,
    rounds: ROUNDS,
    roundSeconds: ROUND_SECONDS,
    missDescription: 'the mixed file repeated, every name below a fresh label m<i>x<r>.; blocked share as the mixed file, every allowed query goes upstream',
    upstream: 'dnsmasq --cache-size=0 --local-ttl=3600 --address=/#/192.0.2.1 --address=/#/2001:db8::1 (TTL 3600 so the servers can cache; dnsmasq defaults to TTL 0)',
    aptPackages: APT_PACKAGES,
  };
  const listInfo = list && { files: list.files, entries: list.entries, distinctNames: list.names.length, readMs: list.readMs, ringfenceImportMs: importMs };
  if (JSON_OUT) {
    const report = { benchmark: 'dns', startedAt: new Date(started).toISOString(), durationMs, machine, settings, list: listInfo, upstreamAlone, servers: results, alternated, ratios: rs, targets: ts };
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const out = [
    `Ringfence DNS benchmark — node ${machine.node}, ${machine.cpus} CPU(s) (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.dnsperf}`,
    `block list: ${listInfo?.distinctNames.toLocaleString('en-GB')} distinct names from ${listInfo?.files} list files (${listInfo?.entries.toLocaleString('en-GB')} entries); Ringfence import ${importMs} ms`,
    `upstream: ${settings.upstream}; alone ${upstreamAlone ? Math.round(upstreamAlone.qps).toLocaleString('en-GB') : 'n/a'} qps (sharing core ${LOAD_CPU ?? '-'} with dnsperf)`,
    `pinning: server under test on core ${SERVER_CPU ?? '-'}, dnsperf + upstream on core ${LOAD_CPU ?? '-'}; dnsperf -q ${OUTSTANDING}`,
    `cached mix: ${settings.mixedFile} (${mixedCount.toLocaleString('en-GB')} queries, ${(mixedBlockedShare * 100).toFixed(1)}% listed) after one warm-up pass, ${CACHED_SECONDS} s`,
    `latency: the cached mix at -Q ${LATENCY_QPS} for ${LATENCY_SECONDS} s; percentiles from dnsperf -v per-response latencies`,
    `cache-miss mix: ${settings.missDescription}; ${MISS_SECONDS} s`,
    '',
    ...results.flatMap((r) => [...formatServer(r), '']),
    ...(alternated ? [...formatAlternated(alternated), ''] : []),
    ...(rf && peers.length ? [...formatRatios(rs), ''] : []),
    ...formatTargets(ts),
    '',
    `total ${(durationMs / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

await runMain(main, { name: 'bench:dns', stopping: 'the servers', killLoad: killDnsperfs, tempDir: () => tempDir });
