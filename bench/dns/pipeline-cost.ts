// node --import tsx bench/dns/pipeline-cost.ts [--passes N] [--edns] [--log none|line|file] [--miss] [--compiled | --dist DIR] [--alloc]
// DnsPipeline.handle() alone, in this process, on the benchmark's ~1M-name list and query mix: CPU
// time (process.cpuUsage, not the wall clock) and JS heap bytes allocated per query, with no
// sockets. The upstream is a stub answering at once (A 192.0.2.1 / AAAA 2001:db8::1, TTL 3600).
// `--miss` puts a fresh label in front of every name, so every allowed query goes "upstream".
// Needs the data folder bench/dns/cost.ts prepares (.bench-cache/dns-cost/data). For a stable
// allocation figure give node --min-semi-space-size=16 --max-semi-space-size=16. Instruction counts:
// run it under `valgrind --tool=callgrind` with --passes 1 and --passes 3; the difference in
// "I refs" divided by 2 × 49,520 is per query (start-up and the list load cancel out).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getHeapSpaceStatistics } from 'node:v8';
import dnsPacket from 'dns-packet';
import type { ActivityRecord } from '../../src/core/activity/record.ts';
import type { Upstream } from '../../src/dns/pipeline.ts';
import type { ActivityLog } from '../../src/services/ports.ts';
import { buildForBench } from './build.ts';
import { readQueryFile } from './lists.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const DATA = join(REPO, '.bench-cache/dns-cost/data');
const MIXED = join(REPO, '../shared/data/dns/DERIVED_mixed_school_queries_50k.dnsperf');
const argv = process.argv.slice(2);
const opt = (name: string, fallback: string): string => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : fallback;
};
const PASSES = Number(opt('--passes', '10'));
const EDNS = argv.includes('--edns');
const MISS = argv.includes('--miss');
const LOG = opt('--log', 'line');
/** --dist DIR: a build of another tree (e.g. the last commit's) to compare with; implies --compiled. */
const DIST = argv.includes('--dist') ? opt('--dist', '') : null;
const COMPILED = argv.includes('--compiled') || DIST !== null;
const HEAP_SAMPLE = argv.includes('--alloc');

/** The sources through tsx, or with --compiled the build in dist/ (what the benchmark runs). */
async function load<T>(path: string): Promise<T> {
  if (!COMPILED) return (await import(`../../src/${path}.ts`)) as T;
  return (await import(DIST ? `${DIST}/${path}.js` : `../../dist/${path}.js`)) as T;
}
if (COMPILED && DIST === null) buildForBench(REPO);
const { activityLine } = await load<typeof import('../../src/core/activity/record.ts')>('core/activity/record');
const { ClientMap } = await load<typeof import('../../src/core/directory/client-map.ts')>('core/directory/client-map');
const { DnsPipeline } = await load<typeof import('../../src/dns/pipeline.ts')>('dns/pipeline');
const { ResponseCache } = await load<typeof import('../../src/dns/wire/cache.ts')>('dns/wire/cache');
const { LiveEnforcement } = await load<typeof import('../../src/services/live-enforcement.ts')>('services/live-enforcement');
const { loadEnforcement } = await load<typeof import('../../src/server/wiring.ts')>('server/wiring');
const { JsonlActivityLog } = await load<typeof import('../../src/storage/files/activity-log.ts')>('storage/files/activity-log');

/** The stub upstream's answer: one address record for A and AAAA, NODATA otherwise. */
function upstreamAnswer(name: string, type: number): Uint8Array {
  const t = type === 1 ? 'A' : type === 28 ? 'AAAA' : 'TXT';
  const answers = t === 'TXT' ? [] : [{ name, type: t, class: 'IN', ttl: 3600, data: t === 'A' ? '192.0.2.1' : '2001:db8::1' } as dnsPacket.Answer];
  return dnsPacket.encode({ type: 'response', id: 0, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE, questions: [{ name, type: t as 'A', class: 'IN' }], answers });
}

class StubUpstream implements Upstream {
  calls = 0;
  resolve(name: string, type: number): Promise<Uint8Array> {
    this.calls++;
    return Promise.resolve(upstreamAnswer(name, type));
  }
}

/** `--log line`: each record made into its JSON line, nothing written. `--log none`: dropped. */
class LineLog implements ActivityLog {
  chars = 0;
  constructor(private readonly format: boolean) {}
  append(r: ActivityRecord): void {
    if (this.format) this.chars += activityLine(r).length;
  }
  flush(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

function encodeQueries(): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  for (const q of readQueryFile(MIXED)) {
    const name = MISS ? `m${(i++).toString(36)}.${q.name}` : q.name;
    const packet: dnsPacket.Packet = { type: 'query', id: i & 0xffff, flags: dnsPacket.RECURSION_DESIRED, questions: [{ name, type: q.type as 'A', class: 'IN' }] };
    if (EDNS) packet.additionals = [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: 0, options: [] } as unknown as dnsPacket.Answer];
    out.push(dnsPacket.encode(packet));
  }
  return out;
}

async function main(): Promise<void> {
  if (!existsSync(DATA)) throw new Error(`no ${DATA}: run bench/dns/cost.ts once to prepare it`);
  const loaded = await loadEnforcement(DATA);
  const enforcement = new LiveEnforcement(async () => ({ engine: loaded.engine, clients: ClientMap.empty(), version: 'bench', loadedAt: new Date(), problems: [] }));
  await enforcement.start();
  const upstream = new StubUpstream();
  const logDir = mkdtempSync(join(tmpdir(), 'rf-pipeline-cost-'));
  const log: ActivityLog = LOG === 'file' ? new JsonlActivityLog(logDir) : new LineLog(LOG === 'line');
  const cache = new ResponseCache({ maxBytes: 64 << 20 });
  const pipeline = new DnsPipeline(enforcement, upstream, cache, log, { blockAnswer: { mode: 'null' }, answerTtl: 60 });
  const client = { address: '127.0.0.1', transport: 'udp' as const };
  const queries = encodeQueries();
  // Fills the cache (or, with --miss, is the first of the measured passes' kind anyway).
  const pass = async (): Promise<number> => {
    let bytes = 0;
    let pending: Promise<Uint8Array>[] = [];
    let i = 0;
    for (const q of queries) {
      // The server returns to the event loop between batches of datagrams: so do we, so that the
      // log's writes complete as they would there.
      if (++i % 1000 === 0) await new Promise<void>((r) => setImmediate(r));
      const a = pipeline.handle(q, client);
      if (a instanceof Uint8Array) bytes += a.length;
      else if (a !== null) pending.push(a);
      if (pending.length >= 500) {
        for (const b of await Promise.all(pending)) bytes += b.length;
        pending = [];
      }
    }
    for (const b of await Promise.all(pending)) bytes += b.length;
    return bytes;
  };
  if (!MISS) await pass();
  const sampling = HEAP_SAMPLE ? await startAllocationSampling() : null;
  const gcBefore = gcCount();
  const heap0 = process.memoryUsage().heapUsed;
  const cpu0 = process.cpuUsage();
  let bytes = 0;
  for (let p = 0; p < PASSES; p++) {
    if (MISS) cache.clear();
    bytes += await pass();
  }
  const cpu = process.cpuUsage(cpu0);
  await new Promise((r) => setTimeout(r, 50)); // GC entries reach the observer on a later task
  const mem = process.memoryUsage();
  const mib = (x: number) => (x / 2 ** 20).toFixed(1);
  process.stdout.write(`memory: rss ${mib(mem.rss)} MiB, heap ${mib(mem.heapUsed)}/${mib(mem.heapTotal)}, external ${mib(mem.external)} (array buffers ${mib(mem.arrayBuffers)}); cache ${cache.size} entries, ${mib(cache.bytes)} MiB counted\n`);
  if (sampling) process.stdout.write((await sampling()).join('\n') + '\n');
  const n = queries.length * PASSES;
  const us = (cpu.user + cpu.system) / n;
  process.stdout.write(
    `${COMPILED ? 'compiled' : 'tsx'}: ${n} queries${MISS ? ' (miss)' : ''}${EDNS ? ' with EDNS' : ''}, log ${LOG}: ${(us * 1000).toFixed(0)} ns CPU/query, ${(bytes / n).toFixed(1)} answer bytes/query, ` +
      `upstream calls ${upstream.calls}, stats ${JSON.stringify(pipeline.stats)}; scavenges ${gcCount() - gcBefore} (≈ ${(((gcCount() - gcBefore) * semiSpace()) / n).toFixed(0)} bytes allocated/query), heap ${((process.memoryUsage().heapUsed - heap0) / 2 ** 20).toFixed(1)} MiB since start\n`,
  );
  await log.close();
  rmSync(logDir, { recursive: true, force: true });
}

interface SamplingNode {
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  selfSize: number;
  children: SamplingNode[];
}

/**
 * `--alloc`: V8's sampling heap profiler counting objects already collected too, so the figures
 * are bytes allocated (not retained) per function, the place a young-generation GC cost starts.
 */
async function startAllocationSampling(): Promise<() => Promise<string[]>> {
  const { Session } = await import('node:inspector');
  const session = new Session();
  session.connect();
  const post = <T>(method: string, params?: object) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r as T))));
  await post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return async () => {
    const { profile } = await post<{ profile: { head: SamplingNode } }>('HeapProfiler.stopSampling');
    session.disconnect();
    const by = new Map<string, number>();
    let total = 0;
    const walk = (n: SamplingNode) => {
      const f = n.callFrame;
      const key = `${f.functionName || '(anonymous)'} ${f.url.replace(/^.*\/(src|dist|node_modules|bench)\//, '$1/')}:${f.lineNumber + 1}:${f.columnNumber + 1}`;
      by.set(key, (by.get(key) ?? 0) + n.selfSize);
      total += n.selfSize;
      n.children.forEach(walk);
    };
    walk(profile.head);
    return [`allocation samples: ${(total / 2 ** 20).toFixed(0)} MiB`, ...[...by].sort((a, b) => b[1] - a[1]).slice(0, 25).map(([k, v]) => `  ${((v / total) * 100).toFixed(1).padStart(5)}%  ${k}`)];
  };
}

/** The young generation's allocation area (run with --min-semi-space-size = --max-semi-space-size for a stable figure). */
function semiSpace(): number {
  return getHeapSpaceStatistics().find((s) => s.space_name === 'new_space')?.space_size ?? NaN;
}

/** Young-generation collections so far (a proxy for bytes allocated: one per semi-space filled). */
function gcCount(): number {
  return gcEvents;
}
let gcEvents = 0;
const { PerformanceObserver, constants } = await import('node:perf_hooks');
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) if ((e as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) gcEvents++;
}).observe({ entryTypes: ['gc'] });

await main();
