// npm run bench:proxy [-- --json] [--seconds S] [--connections N] [--proxies ringfence,squid] [--no-pin]
//                     [--bulk-mib N] [--bulk-runs N] [--bulk-parallel N] [--bulk-rounds N] [--plain-mib N] [--plain-rounds N]
//                     [--squid-helpers N] [--quiet-wait S]
// The proxy benchmark: Ringfence's proxy against squid + squidGuard, both loaded with the same
// ~1M-name block list (every domain list under ../shared/data/domains) and fetching from the same
// loopback origin (nginx): plain-HTTP requests/s for a small response (wrk, absolute-form requests)
// and bulk throughput through CONNECT (curl over HTTPS). The proxy under test runs on core 1; wrk,
// curl, the origin and the upstream DNS on core 0; one proxy at a time, then single bulk transfers
// alternated between the origin alone and each proxy, all running: over HTTPS, where curl's and
// nginx's TLS on the load core bound the rate whatever the proxy, and as plain bytes through the
// tunnel (curl --proxytunnel to http://), where the proxy is the bottleneck (the throughput target's
// figure; docs/PROXY.md says why). Text report on stdout, or one JSON object with --json; progress
// on stderr. Needs the Debian packages below. Loopback only.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listedIn } from '../policy/data.ts';
import { readBlockList } from '../dns/lists.ts';
import { freePort, say, stopAll, which, type Proc } from '../dns/servers.ts';
import { argOptions, runMain, tool, versionLine } from '../common/run-main.ts';
import { alternateBulk, measureBulk, type AlternatedBulk } from './bulk.ts';
import { killLoad } from './load-process.ts';
import { killProxyTrees, measureProxy, type MeasuredProxy, type Plan, type ProxySpec } from './measure.ts';
import { originReady, startOrigin, writeOriginFiles, ORIGIN_NAME } from './origin.ts';
import { formatAlternated, formatProxy, formatRatios, formatReference, formatTargets, bulkPerCore, perCore, ratios, targets, type ProxyName, type ProxyResult, type Reference } from './report.ts';
import { isRingfenceBlock, prepareRingfenceData, ringfenceArgs, startUpstreamDns, upstreamDnsReady } from './ringfence.ts';
import { isSquidGuardBlock, prepareSquid, squidArgs, SQUIDGUARD_REDIRECT } from './squid.ts';
import { runWrk, writeWrkScript } from './wrk.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DOMAINS_DIR = join(REPO, '../shared/data/domains');
const APT_PACKAGES = 'wrk curl nginx-light squid squidguard openssl dnsmasq-base';

const argv = process.argv.slice(2);
const { flag, option, subset } = argOptions(argv);
const JSON_OUT = flag('--json');
const SECONDS = option('--seconds', 10);
const WARMUP_SECONDS = 2;
const CONNECTIONS = option('--connections', 64);
const BULK_MIB = option('--bulk-mib', 256);
const BULK_RUNS = option('--bulk-runs', 3);
const BULK_PARALLEL = option('--bulk-parallel', 4);
const BULK_ROUNDS = option('--bulk-rounds', 7);
const PLAIN_MIB = option('--plain-mib', 1024);
// More rounds than over HTTPS: a round takes a few seconds, and the machine's drift shows more here.
const PLAIN_ROUNDS = option('--plain-rounds', 11);
const SQUID_HELPERS = option('--squid-helpers', 16);
const QUIET_WAIT_MS = option('--quiet-wait', 30, 0) * 1000;
const PROXIES = subset<ProxyName>('--proxies', ['ringfence', 'squid']);
const PIN = !flag('--no-pin') && cpus().length >= 2 && which('taskset') !== null;
const PROXY_CPU = PIN ? 1 : null;
const LOAD_CPU = PIN ? 0 : null;

/** A listed name to check blocking with (and a subdomain of it): a well-known one when listed. */
function blockedName(set: ReadonlySet<string>, names: readonly string[]): string {
  return ['pornhub.com', 'xvideos.com'].find((n) => listedIn(set, n)) ?? names[0]!;
}

const sayMedians = (a: AlternatedBulk) => say(`  medians: ${Object.entries(a.medianMiBps).map(([n, v]) => `${n} ${v} MiB/s`).join(', ')}`);

/** The run's temp folder while it exists (removed by `main`'s finally, or by the signal handler). */
let tempDir: string | null = null;

async function main(): Promise<void> {
  const started = Date.now();
  const bin = { wrk: tool('wrk', APT_PACKAGES), curl: tool('curl', APT_PACKAGES), nginx: tool('nginx', APT_PACKAGES), openssl: tool('openssl', APT_PACKAGES), squid: PROXIES.includes('squid') ? tool('squid', APT_PACKAGES) : '', squidGuard: PROXIES.includes('squid') ? tool('squidGuard', APT_PACKAGES) : '', dnsmasq: PROXIES.includes('ringfence') ? tool('dnsmasq', APT_PACKAGES) : '' };
  // This process only orchestrates: keep it (all its threads) off the proxy's core.
  if (PIN) spawnSync('taskset', ['-a', '-p', '-c', String(LOAD_CPU), String(process.pid)], { stdio: 'ignore' });
  const dir = mkdtempSync(join(tmpdir(), 'ringfence-bench-proxy-'));
  tempDir = dir;
  const results: ProxyResult[] = [];
  const running: MeasuredProxy[] = [];
  let alternated: AlternatedBulk | null = null;
  let alternatedPlain: AlternatedBulk | null = null;
  const reference: { http: Reference['http']; bulk: Reference['bulk'] } = { http: null, bulk: null };
  let list: ReturnType<typeof readBlockList> | null = null;
  let settingsNote = '';
  try {
    say(`reading the block list from ${DOMAINS_DIR}`);
    list = readBlockList(DOMAINS_DIR);
    say(`  ${list.files} list files, ${list.entries} entries, ${list.names.length} distinct names (${list.readMs} ms)`);
    const ports = new Set<number>();
    while (ports.size < 5) ports.add(await freePort());
    const [upPort, httpPort, tlsPort, rfPort, sqPort] = [...ports] as [number, number, number, number, number];
    const originPorts = [httpPort, tlsPort];

    const files = writeOriginFiles(dir, httpPort, tlsPort, BULK_MIB, PLAIN_MIB);
    const origin = startOrigin(bin.nginx, files, LOAD_CPU);
    await originReady(origin, httpPort);
    const smallUrl = `http://${ORIGIN_NAME}:${httpPort}/small`;
    const wrkScript = join(dir, 'small.lua');
    writeWrkScript(wrkScript, smallUrl);
    say(`origin nginx on 127.0.0.1:${httpPort} (HTTP) and :${tlsPort} (HTTPS); alone for ${SECONDS} s:`);
    await runWrk({ wrk: bin.wrk, script: wrkScript, port: httpPort, seconds: 1, connections: CONNECTIONS, cpu: LOAD_CPU });
    reference.http = await runWrk({ wrk: bin.wrk, script: wrkScript, port: httpPort, seconds: SECONDS, connections: CONNECTIONS, cpu: LOAD_CPU });
    const bulkUrl = `https://${ORIGIN_NAME}:${tlsPort}/bulk`;
    reference.bulk = await measureBulk({ curl: bin.curl, url: bulkUrl, proxyPort: null, bytes: files.bulkBytes, runs: BULK_RUNS, parallel: BULK_PARALLEL, cpu: LOAD_CPU });
    say(`  ${formatReference(reference)[0]}`);

    const blocked = blockedName(list.set, list.names);
    const specs: ProxySpec[] = [];
    let upstream: Proc | null = null;
    if (PROXIES.includes('ringfence')) {
      say('importing the list into a Ringfence data folder (ringfence lists import)');
      const data = await prepareRingfenceData(REPO, dir, list.names);
      say(`  ${data.summary} (${data.importMs} ms)`);
      upstream = startUpstreamDns(bin.dnsmasq, upPort, LOAD_CPU);
      await upstreamDnsReady(upPort, upstream);
      const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string };
      const args = ringfenceArgs({ port: rfPort, upstreamPort: upPort, dataDir: data.dataDir, originPorts });
      specs.push({
        name: 'ringfence',
        version: `ringfence ${pkg.version} on node ${process.version}`,
        setup: `ringfence ${args.slice(1).join(' ').replace(data.dataDir, 'DATA')}; list imported as one domains list in category pornography (default policy pack: blocked for everyone); upstream DNS dnsmasq answering every name with 127.0.0.1`,
        command: process.execPath,
        args,
        cwd: REPO,
        port: rfPort,
        readyLine: /listening on/,
        blockedLooks: '403',
        isBlocked: isRingfenceBlock,
        listPrep: { what: 'lists import + snapshot compile', ms: data.importMs },
      });
    }
    if (PROXIES.includes('squid')) {
      say(`writing the list for squidGuard and compiling it (squidGuard -C all)`);
      const sq = await prepareSquid({ dir, squidGuard: bin.squidGuard, names: list.names, port: sqPort, originPorts, children: SQUID_HELPERS, connections: CONNECTIONS });
      say(`  ${(sq.dbBytes / 2 ** 20).toFixed(1)} MiB database in ${sq.compileMs} ms`);
      settingsNote = `squid: url_rewrite_children ${sq.children} startup=${sq.children} concurrency=0 queue-size=${sq.queueSize}`;
      specs.push({
        name: 'squid',
        version: `${versionLine(bin.squid, ['-v'], /Version/)}; ${versionLine(bin.squidGuard, ['-v'], /SquidGuard/i)}`,
        setup:
          `squid -N (one process; runs as root, drops to proxy), cache deny all, cache_mem 0, no cache_dir, access_log stdio, hosts_file naming ${ORIGIN_NAME}; ` +
          `url_rewrite_program squidGuard (one dest domainlist of the whole list, redirect 302), url_rewrite_children ${sq.children} startup=${sq.children} concurrency=0 queue-size=${sq.queueSize} (squidGuard answers one request at a time; ${sq.children} helpers all started up front)`,
        command: bin.squid,
        args: squidArgs(sq.conf),
        port: sqPort,
        readyLine: null,
        blockedLooks: `302 → ${SQUIDGUARD_REDIRECT}`,
        isBlocked: isSquidGuardBlock,
        listPrep: { what: 'squidGuard -C all', ms: sq.compileMs },
      });
    }
    const plan: Plan = {
      proxyCpu: PROXY_CPU,
      loadCpu: LOAD_CPU,
      ours: [origin.pid, ...(upstream ? [upstream.pid] : [])],
      wrk: bin.wrk,
      curl: bin.curl,
      wrkScript,
      smallUrl,
      tlsSmallUrl: `https://${ORIGIN_NAME}:${tlsPort}/small`,
      bulkUrl,
      bulkBytes: files.bulkBytes,
      bulkRuns: BULK_RUNS,
      bulkParallel: BULK_PARALLEL,
      seconds: SECONDS,
      warmupSeconds: WARMUP_SECONDS,
      connections: CONNECTIONS,
      blockedUrls: [`http://${blocked}:${httpPort}/small`, `http://www.${blocked}:${httpPort}/small`],
      quietWaitMs: QUIET_WAIT_MS,
      startLimitMs: 120_000,
    };
    for (const spec of specs) {
      const measured = await measureProxy(spec, plan);
      results.push(measured.result);
      running.push(measured);
    }
    const routes = [{ name: 'origin', proxyPort: null }, ...results.filter((r) => r.error === null).map((r) => ({ name: r.name, proxyPort: specs.find((s) => s.name === r.name)!.port }))];
    if (routes.length > 1) {
      say(`CONNECT bulk, alternated: ${BULK_ROUNDS} rounds of one transfer each through ${routes.map((r) => r.name).join(', ')} (all running, order rotated)`);
      alternated = await alternateBulk({ curl: bin.curl, url: bulkUrl, bytes: files.bulkBytes, cpu: LOAD_CPU }, routes, BULK_ROUNDS);
      sayMedians(alternated);
      const plainUrl = `http://${ORIGIN_NAME}:${httpPort}/bulk`;
      say(`CONNECT bulk, plain bytes (${PLAIN_MIB} MiB), alternated: ${PLAIN_ROUNDS} rounds through ${routes.map((r) => r.name).join(', ')}`);
      alternatedPlain = await alternateBulk({ curl: bin.curl, url: plainUrl, bytes: files.plainBulkBytes, cpu: LOAD_CPU }, routes, PLAIN_ROUNDS);
      sayMedians(alternatedPlain);
    }
  } finally {
    for (const m of running) await m.stop();
    killLoad();
    killProxyTrees();
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    tempDir = null;
  }

  // A proxy that failed (or answered wrongly) fails the run; a missed target does not.
  if (results.some((r) => r.error !== null)) process.exitCode = 1;
  const rf = results.find((r) => r.name === 'ringfence');
  const sq = results.find((r) => r.name === 'squid');
  const rs = rf && sq ? ratios(rf, sq, alternated, alternatedPlain) : null;
  const ts = targets(results, alternated, alternatedPlain);
  const durationMs = Date.now() - started;
  const machine = { node: process.version, cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', totalMemGiB: +(totalmem() / 2 ** 30).toFixed(1), proxyCpu: PROXY_CPU, loadCpu: LOAD_CPU, wrk: versionLine(bin.wrk, ['-v'], /wrk/) };
  const settings = { seconds: SECONDS, warmupSeconds: WARMUP_SECONDS, connections: CONNECTIONS, wrkThreads: 1, smallBodyBytes: 100, bulkMiB: BULK_MIB, bulkRuns: BULK_RUNS, bulkParallel: BULK_PARALLEL, bulkRounds: BULK_ROUNDS, plainMiB: PLAIN_MIB, plainRounds: PLAIN_ROUNDS, squidHelpers: SQUID_HELPERS, aptPackages: APT_PACKAGES };
  const listInfo = list && { files: list.files, entries: list.entries, distinctNames: list.names.length, readMs: list.readMs };
  if (JSON_OUT) {
    const report = { benchmark: 'proxy', startedAt: new Date(started).toISOString(), durationMs, machine, settings, list: listInfo, origin: reference, alternatedBulk: alternated, alternatedPlainBulk: alternatedPlain, proxies: results.map((r) => ({ ...r, rpsPerProxyCore: perCore(r.http), bulkMiBPerProxyCpuSecond: bulkPerCore(r.bulk) })), ratios: rs, targets: ts };
    process.stdout.write(JSON.stringify(report) + '\n');
    return;
  }
  const out = [
    `Ringfence proxy benchmark — node ${machine.node}, ${machine.cpus} CPU(s) (${machine.cpuModel}), ${machine.totalMemGiB} GiB, ${machine.wrk}`,
    `block list: ${listInfo?.distinctNames.toLocaleString('en-GB')} distinct names from ${listInfo?.files} list files (${listInfo?.entries.toLocaleString('en-GB')} entries)`,
    `pinning: proxy under test on core ${PROXY_CPU ?? '-'}; wrk/curl, origin nginx and upstream DNS on core ${LOAD_CPU ?? '-'}`,
    `plain HTTP: wrk -t1 -c${CONNECTIONS}, ${WARMUP_SECONDS} s warm-up then ${SECONDS} s, GET http://${ORIGIN_NAME}:PORT/small (100-byte body, keep-alive) in absolute form; every response must be 200`,
    `CONNECT bulk: curl -k --http1.1 through the proxy, https://${ORIGIN_NAME}:PORT/bulk (${BULK_MIB} MiB), ${BULK_RUNS} transfers one at a time (median), then ${BULK_PARALLEL} at once (all bytes ÷ longest time)`,
    `CONNECT bulk, alternated: with every proxy running, ${BULK_ROUNDS} rounds of one transfer through each route (origin alone, then the proxies), the order rotated each round; medians`,
    `  over HTTPS (${BULK_MIB} MiB): curl's and nginx's TLS on the load core bound every route; as plain bytes (${PLAIN_MIB} MiB, curl --proxytunnel http://): the proxy is the bottleneck (the throughput target's figure)`,
    ...(settingsNote ? [settingsNote] : []),
    ...formatReference(reference),
    '',
    ...results.flatMap((r) => [...formatProxy(r), '']),
    ...(alternated ? [...formatAlternated(alternated, `CONNECT bulk over HTTPS (${BULK_MIB} MiB), alternated`), ''] : []),
    ...(alternatedPlain ? [...formatAlternated(alternatedPlain, `CONNECT bulk, plain bytes through the tunnel (${PLAIN_MIB} MiB), alternated`), ''] : []),
    ...(rs ? [...formatRatios(rs), ''] : []),
    ...formatTargets(ts),
    '',
    `total ${(durationMs / 1000).toFixed(0)} s`,
  ];
  process.stdout.write(out.join('\n') + '\n');
}

await runMain(main, {
  name: 'bench:proxy',
  stopping: 'the proxies and the origin',
  killLoad: () => {
    killLoad();
    killProxyTrees();
  },
  tempDir: () => tempDir,
});
