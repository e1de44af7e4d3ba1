// Child-side Ringfence measurements: build + encode a snapshot, load it from disk into a
// PolicyEngine, memory after load, and decision rates for hostnames, URLs and canonical hosts.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalHost, type CanonicalHost } from '../../src/core/host/canonical.ts';
import type { BuilderList } from '../../src/core/lists/snapshot-builder.ts';
import { buildSnapshotContents } from '../../src/core/lists/snapshot-builder.ts';
import { decodeSnapshot, encodeSnapshot } from '../../src/core/lists/snapshot-format.ts';
import { PolicyEngine, type Subject } from '../../src/core/policy/engine.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { nativeCrc32 } from '../../src/storage/files/snapshot-store.ts';
import { readListsFile, readStreamFile, urlFor } from './files.ts';
import { flat, log, measureRate, memory, memoryDelta, now, packBits, phase, pinToOneCore, type MemoryDelta, type Rate } from './measure.ts';

export interface ChildArgs {
  readonly listsFile: string;
  /** Names file for the peer (distinct names, one a line). */
  readonly namesFile: string;
  readonly streamFile: string;
  readonly dir: string;
  readonly label: string;
  readonly time: number;
  readonly group: string;
  readonly budgetMs: number;
}

export interface EngineRun {
  readonly rate: Rate;
  /** 1 where the engine said the name is listed (packed, first `rate.count` entries). */
  readonly bits: string;
}

export interface RingfenceResult {
  readonly engine: 'ringfence';
  readonly lists: number;
  readonly listEntries: number;
  readonly distinct: number;
  readonly build: { readonly ms: number; readonly buildMs: number; readonly encodeMs: number };
  readonly snapshotBytes: number;
  readonly bytesPerDomain: number;
  readonly load: { readonly ms: number; readonly readMs: number; readonly decodeMs: number; readonly engineMs: number; readonly warmMs: number };
  readonly memory: MemoryDelta;
  readonly pinnedCpu: number | null;
  readonly runs: { readonly host: EngineRun; readonly url: EngineRun; readonly parsed: EngineRun };
  /** Outcomes of the hostname stream (first 200k): "tier/action" → count. */
  readonly outcomes: Record<string, number>;
  readonly warnings: number;
}

function buildFile(args: ChildArgs, path: string): { lists: number; listEntries: number; distinct: number; buildMs: number; encodeMs: number; bytes: number } {
  const raw = readListsFile(args.listsFile);
  const importedAt = new Date(0).toISOString();
  const lists: BuilderList[] = raw.map((l) => ({
    meta: {
      id: l.id,
      category: l.category,
      usage: 'block',
      illegal: false,
      source: l.source,
      format: 'domains',
      importedAt,
      counts: { domains: l.names.length, urls: 0, ips: 0 },
    },
    domains: l.names,
    urls: [],
    ips: [],
  }));
  const listEntries = raw.reduce((a, l) => a + l.names.length, 0);
  log(`building a snapshot of ${raw.length} list(s), ${listEntries} entries`);
  const t0 = now();
  const contents = buildSnapshotContents(lists, { version: 1, createdAt: new Date().toISOString(), expectedDomains: listEntries });
  const t1 = now();
  const bytes = encodeSnapshot(contents, nativeCrc32);
  const t2 = now();
  writeFileSync(path, bytes);
  return { lists: raw.length, listEntries, distinct: contents.domains.size, buildMs: t1 - t0, encodeMs: t2 - t1, bytes: bytes.length };
}

function load(path: string, policy: ReturnType<typeof loadDefaultPack>): { engine: PolicyEngine; readMs: number; decodeMs: number; engineMs: number } {
  const t0 = now();
  const bytes = readFileSync(path);
  const t1 = now();
  const snapshot = decodeSnapshot(bytes, nativeCrc32, path);
  const t2 = now();
  const engine = new PolicyEngine(policy, snapshot);
  const t3 = now();
  return { engine, readMs: t1 - t0, decodeMs: t2 - t1, engineMs: t3 - t2 };
}

export function runRingfence(args: ChildArgs): RingfenceResult {
  const stream = readStreamFile(args.streamFile);
  const n = stream.hosts.length;
  const policy = loadDefaultPack();
  const path = join(args.dir, `${args.label}.rfsnap`);
  phase('build');
  const built = buildFile(args, path);
  log(`built in ${(built.buildMs + built.encodeMs).toFixed(0)} ms: ${built.distinct} distinct names, ${built.bytes} bytes`);
  phase('load');
  const before = memory();
  const first = load(path, policy);
  const engine = first.engine;
  const mem = memoryDelta(before, memory(), built.distinct);
  let warmMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const again = load(path, policy);
    warmMs = Math.min(warmMs, again.readMs + again.decodeMs + again.engineMs);
  }
  memory();
  const loadMs = first.readMs + first.decodeMs + first.engineMs;
  log(`loaded in ${loadMs.toFixed(0)} ms (warm ${warmMs.toFixed(0)} ms); memory +${(mem.totalBytes / 1048576).toFixed(1)} MiB`);

  const urls = stream.hosts.map((h, i) => flat(urlFor(h, i)));
  const canon: CanonicalHost[] = stream.hosts.map((h) => canonicalHost(h, 'dns'));
  const groups = [args.group];
  const subject: Subject = { user: null, groups };
  const time = args.time;
  const out = new Uint8Array(n);
  const hosts = stream.hosts;

  const outcomes: Record<string, number> = {};
  for (let i = 0; i < Math.min(n, 200_000); i++) {
    const d = engine.decide({ groups, target: hosts[i]!, time });
    const key = `${d.tier}/${d.action}`;
    outcomes[key] = (outcomes[key] ?? 0) + 1;
  }

  phase('decide');
  const pinnedCpu = pinToOneCore();
  log('decisions: hostnames via decide()');
  const host = measureRate((from, to) => {
    for (let i = from; i < to; i++) out[i] = engine.decide({ groups, target: hosts[i]!, time }).list !== null ? 1 : 0;
  }, n, args.budgetMs);
  const hostBits = packBits(out, host.count);
  log(`  ${(host.perSecond / 1e6).toFixed(2)} M/s; URLs via decide()`);
  const url = measureRate((from, to) => {
    for (let i = from; i < to; i++) out[i] = engine.decide({ groups, target: urls[i]!, time }).list !== null ? 1 : 0;
  }, n, args.budgetMs);
  const urlBits = packBits(out, url.count);
  log(`  ${(url.perSecond / 1e6).toFixed(2)} M/s; canonical hosts via decideParsed()`);
  const parsed = measureRate((from, to) => {
    for (let i = from; i < to; i++) out[i] = engine.decideParsed(canon[i]!, null, subject, null, time).list !== null ? 1 : 0;
  }, n, args.budgetMs);
  const parsedBits = packBits(out, parsed.count);
  log(`  ${(parsed.perSecond / 1e6).toFixed(2)} M/s`);
  phase('done');

  return {
    engine: 'ringfence',
    lists: built.lists,
    listEntries: built.listEntries,
    distinct: built.distinct,
    build: { ms: built.buildMs + built.encodeMs, buildMs: built.buildMs, encodeMs: built.encodeMs },
    snapshotBytes: built.bytes,
    bytesPerDomain: built.bytes / built.distinct,
    load: { ms: loadMs, readMs: first.readMs, decodeMs: first.decodeMs, engineMs: first.engineMs, warmMs },
    memory: mem,
    pinnedCpu,
    runs: { host: { rate: host, bits: hostBits }, url: { rate: url, bits: urlBits }, parsed: { rate: parsed, bits: parsedBits } },
    outcomes,
    warnings: engine.warnings.length,
  };
}
