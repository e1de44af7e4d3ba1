// Child-side measurements of the peer: @adguard/tsurlfilter's DnsEngine over `||name^` rules.
// It has no compiled file to load: building the engine from rule text is its load.
import { DnsEngine, RuleStorage, StringRuleList } from '@adguard/tsurlfilter';
import { readNamesFile, readStreamFile, urlFor } from './files.ts';
import { flat, log, measureRate, memory, memoryDelta, now, packBits, phase, pinToOneCore, type MemoryDelta } from './measure.ts';
import type { ChildArgs, EngineRun } from './ringfence.ts';

export interface PeerResult {
  readonly engine: 'tsurlfilter';
  readonly version: string;
  readonly rules: number;
  readonly ruleTextBytes: number;
  /** Construction of StringRuleList + RuleStorage + DnsEngine from the rule text. */
  readonly build: { readonly ms: number };
  readonly memory: MemoryDelta;
  readonly pinnedCpu: number | null;
  readonly runs: { readonly host: EngineRun; readonly url: EngineRun };
}

function isListed(r: { basicRule: unknown; hostRules: readonly unknown[] }): number {
  return r.basicRule !== null || r.hostRules.length > 0 ? 1 : 0;
}

/** Builds the engine; the rule text is created after the memory baseline, since the engine keeps it. */
function build(namesFile: string): { engine: DnsEngine; rules: number; textBytes: number; ms: number } {
  let names: string[] | null = readNamesFile(namesFile);
  const rules = names.length;
  const text = names.map((name) => `||${name}^`).join('\n');
  names = null;
  log(`building DnsEngine from ${rules} rules (${(text.length / 1048576).toFixed(1)} MiB of text)`);
  phase('build');
  const t0 = now();
  const engine = new DnsEngine(new RuleStorage([new StringRuleList(1, text, true, true, true)]));
  const ms = now() - t0;
  phase('built');
  return { engine, rules, textBytes: text.length, ms };
}

export function runPeer(args: ChildArgs, version: string): PeerResult {
  const stream = readStreamFile(args.streamFile);
  const n = stream.hosts.length;
  const urls = stream.hosts.map((h, i) => flat(urlFor(h, i)));
  const before = memory();
  const built = build(args.namesFile);
  const engine = built.engine;
  const mem = memoryDelta(before, memory(), built.rules);
  log(`built in ${built.ms.toFixed(0)} ms; memory +${(mem.totalBytes / 1048576).toFixed(1)} MiB`);

  const hosts = stream.hosts;
  const out = new Uint8Array(n);
  phase('decide');
  const pinnedCpu = pinToOneCore();
  log('matches: hostnames via match()');
  const host = measureRate((from, to) => {
    for (let i = from; i < to; i++) out[i] = isListed(engine.match(hosts[i]!));
  }, n, args.budgetMs);
  const hostBits = packBits(out, host.count);
  log(`  ${(host.perSecond / 1e6).toFixed(3)} M/s; URLs via match(new URL(url).hostname)`);
  const url = measureRate((from, to) => {
    for (let i = from; i < to; i++) out[i] = isListed(engine.match(new URL(urls[i]!).hostname));
  }, n, args.budgetMs);
  const urlBits = packBits(out, url.count);
  log(`  ${(url.perSecond / 1e6).toFixed(3)} M/s`);
  phase('done');
  return {
    engine: 'tsurlfilter',
    version,
    rules: built.rules,
    ruleTextBytes: built.textBytes,
    build: { ms: built.ms },
    memory: mem,
    pinnedCpu,
    runs: { host: { rate: host, bits: hostBits }, url: { rate: url, bits: urlBits } },
  };
}
