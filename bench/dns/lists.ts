// The benchmark's inputs: the block list (every domain list under ../shared/data/domains, read with
// bench/policy's extractor), the three servers' renderings of it, and the query files for dnsperf.
import { readFileSync, writeFileSync } from 'node:fs';
import { listedIn, prng, readRealLists } from '../policy/data.ts';

export interface BlockList {
  /** Distinct names, in the order first met. */
  readonly names: string[];
  readonly set: ReadonlySet<string>;
  readonly files: number;
  readonly entries: number;
  readonly readMs: number;
}

export function readBlockList(domainsDir: string): BlockList {
  const started = Date.now();
  const lists = readRealLists(domainsDir);
  const set = new Set<string>();
  let entries = 0;
  for (const l of lists) {
    entries += l.names.length;
    for (const n of l.names) set.add(n);
  }
  return { names: [...set], set, files: lists.length, entries, readMs: Date.now() - started };
}

/** Writes `lines` joined by newlines in chunks (the configs run to tens of MB). */
function writeLines(path: string, head: readonly string[], names: readonly string[], line: (n: string) => string, tail: readonly string[]): void {
  const parts: string[] = [...head];
  for (const n of names) parts.push(line(n));
  parts.push(...tail);
  writeFileSync(path, parts.join('\n') + '\n');
}

/** Plain domains file for `ringfence lists import --format domains`. */
export function writeDomainsFile(path: string, names: readonly string[]): void {
  writeLines(path, [], names, (n) => n, []);
}

export const DNSMASQ_CACHE_SIZE = 50_000;
export const DNSMASQ_FORWARD_MAX = 1_000;

/** dnsmasq: `address=/name/` answers NXDOMAIN for the name and everything below it (dnsmasq 2.90). */
export function writeDnsmasqConf(path: string, names: readonly string[], upstreamPort: number): void {
  const head = [
    '# Ringfence DNS benchmark: the block list as dnsmasq address= lines (NXDOMAIN for name and subdomains)',
    `server=127.0.0.1#${upstreamPort}`,
    'no-resolv',
    'no-hosts',
    'no-poll',
    // The mixed query file has 32.6k distinct (name, type) pairs: 10000 would make "cached" a miss test.
    `cache-size=${DNSMASQ_CACHE_SIZE}`,
    // The default (150 concurrent forwarded queries) drops queries at 500 outstanding.
    `dns-forward-max=${DNSMASQ_FORWARD_MAX}`,
  ];
  writeLines(path, head, names, (n) => `address=/${n}/`, []);
}

/** unbound: one `local-zone: "name." always_null` per name (0.0.0.0 / :: like Ringfence's null answer). */
export function writeUnboundConf(path: string, dir: string, names: readonly string[], port: number, upstreamPort: number): void {
  const head = [
    '# Ringfence DNS benchmark: forwarding unbound with the block list as local zones; never dials out',
    'server:',
    '  verbosity: 1',
    '  num-threads: 1',
    '  interface: 127.0.0.1',
    `  port: ${port}`,
    '  do-ip4: yes',
    '  do-ip6: no',
    '  do-udp: yes',
    '  do-tcp: yes',
    '  do-daemonize: no',
    '  access-control: 127.0.0.0/8 allow',
    '  chroot: ""',
    '  username: ""',
    `  directory: "${dir}"`,
    '  pidfile: ""',
    '  logfile: ""',
    '  use-syslog: no',
    // No validator, no trust anchor, no root priming: the forward zone below takes everything.
    '  module-config: "iterator"',
    '  do-not-query-localhost: no',
    '  qname-minimisation: no',
    '  prefetch: no',
    // The socket buffers Ringfence's UDP listener asks for: with the default (rmem_default, about
    // 208 KiB) a burst of 500 queries overflows and the lost queries stall dnsperf for -t seconds.
    '  so-rcvbuf: 4m',
    '  so-sndbuf: 4m',
  ];
  const tail = ['forward-zone:', '  name: "."', `  forward-addr: 127.0.0.1@${upstreamPort}`];
  writeLines(path, head, names, (n) => `  local-zone: "${n}." always_null`, tail);
}

export interface Query {
  readonly name: string;
  readonly type: string;
}

export function readQueryFile(path: string): Query[] {
  const out: Query[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const [name, type] = line.trim().split(/\s+/);
    if (name && type) out.push({ name: name.toLowerCase().replace(/\.$/, ''), type: type.toUpperCase() });
  }
  return out;
}

/** Share of queries whose name is listed (itself or a parent domain). */
export function blockedShare(queries: readonly Query[], set: ReadonlySet<string>): number {
  let n = 0;
  for (const q of queries) if (listedIn(set, q.name)) n++;
  return queries.length === 0 ? 0 : n / queries.length;
}

/**
 * The cache-miss file: the mixed file's queries, in order and repeated, each name below a fresh
 * label (`m<i>x<r>.name`), so no answer can come from a cache. A label in front does not change
 * whether the list blocks a name, so the blocked share is the mixed file's: blocked names are
 * answered from the list, every allowed one goes to the upstream.
 */
export function writeMissFile(path: string, mixed: readonly Query[], count: number, seed: number): void {
  const rand = prng(seed);
  const lines: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    const q = mixed[i % mixed.length]!;
    lines[i] = `m${i.toString(36)}x${(rand() & 0xfffff).toString(36)}.${q.name} ${q.type}`;
  }
  writeFileSync(path, lines.join('\n') + '\n');
}

/** A blocked and an allowed name for the correctness checks. */
export function sanityNames(set: ReadonlySet<string>, names: readonly string[], mixed: readonly Query[]): { blocked: string[]; allowed: string[] } {
  const blocked = ['pornhub.com', 'www.pornhub.com'].filter((n) => listedIn(set, n));
  if (blocked.length === 0) blocked.push(names[0]!, `www.${names[0]!}`);
  const allowed = ['example.com', 'www.example.org', 'ringfence-bench-allowed.net'].filter((n) => !listedIn(set, n)).slice(0, 2);
  for (const q of mixed) {
    if (allowed.length >= 2) break;
    if (!listedIn(set, q.name)) allowed.push(q.name);
  }
  return { blocked, allowed };
}

/** A fixed sample of the mixed file (distinct names) with what the list says about each. */
export function agreementSample(mixed: readonly Query[], set: ReadonlySet<string>, size: number, seed: number): { name: string; blocked: boolean }[] {
  const rand = prng(seed);
  const seen = new Set<string>();
  const out: { name: string; blocked: boolean }[] = [];
  for (let tries = 0; out.length < size && tries < size * 20; tries++) {
    const q = mixed[rand() % mixed.length]!;
    if (seen.has(q.name)) continue;
    seen.add(q.name);
    out.push({ name: q.name, blocked: listedIn(set, q.name) });
  }
  return out;
}
