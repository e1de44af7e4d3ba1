// Benchmark data: the real lists under ../shared/data/domains (read with a small extractor of our
// own), a generated list of plain-shaped names (seeded PRNG), and the mixed query streams.
// Everything is written to a per-run temp folder as plain text for the child processes to read.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { canonicalHost } from '../../src/core/host/canonical.ts';

export interface RawList {
  readonly id: string;
  /** Category given explicitly; null lets the policy pack's category table decide (by list id). */
  readonly category: string | null;
  readonly source: string;
  readonly names: string[];
}

/** mulberry32: small, fast, deterministic; returns unsigned 32-bit integers. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** An integer in [0, k) (the modulo bias is irrelevant here). */
const below = (rand: () => number, k: number): number => rand() % k;

const IGNORED_HOSTS = new Set(['localhost', 'localhost.localdomain', 'local', 'broadcasthost', 'ip6-localhost', 'ip6-loopback', '0.0.0.0']);

/**
 * A list line → a canonical-looking name, or null. Lower-cases; takes the name from hosts lines
 * (`0.0.0.0 name`); skips comments, blanks, IP addresses, localhost, single labels and anything
 * with characters a plain ASCII host name cannot have.
 */
function extractName(line: string): string | null {
  let s = line.trim();
  if (s === '' || s.charCodeAt(0) === 35 /* # */ || s.charCodeAt(0) === 33 /* ! */) return null;
  const hash = s.indexOf('#');
  if (hash > 0) s = s.slice(0, hash).trim();
  const space = s.search(/\s/);
  if (space > 0) {
    const first = s.slice(0, space);
    // hosts line: address then name(s); we take the first name.
    if (/^[0-9.]+$/.test(first) || first.includes(':')) s = s.slice(space).trim().split(/\s+/)[0] ?? '';
    else s = first;
  }
  s = s.toLowerCase();
  if (s.startsWith('*.')) s = s.slice(2);
  while (s.startsWith('.')) s = s.slice(1);
  while (s.endsWith('.')) s = s.slice(0, -1);
  if (s.length === 0 || s.length > 253 || IGNORED_HOSTS.has(s)) return null;
  let dots = 0;
  let label = 0;
  let lastLabelDigitsOnly = true;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 46) {
      if (label === 0) return null;
      dots++;
      label = 0;
      lastLabelDigitsOnly = true;
      continue;
    }
    const digit = c >= 48 && c <= 57;
    if (!((c >= 97 && c <= 122) || digit || c === 45 || c === 95)) return null;
    if (!digit) lastLabelDigitsOnly = false;
    if (++label > 63) return null;
  }
  if (label === 0 || dots === 0 || lastLabelDigitsOnly) return null; // empty label, single label, IPv4
  // Punycode labels are the one case where a lower-case ASCII name may not be canonical (or valid):
  // ask the engine's canonicaliser, as an import would.
  if (s.includes('xn--')) {
    try {
      const h = canonicalHost(s, 'list');
      return h.kind === 'domain' ? h.host : null;
    } catch {
      return null;
    }
  }
  return s;
}

const SKIP_BASENAMES = new Set(['urls', 'usage', 'expressions', 'very_restrictive_expression', 'global_usage']);

function skipFile(path: string): boolean {
  const b = basename(path);
  return SKIP_BASENAMES.has(b) || /LICENSE|README|COUNTS|sources/i.test(b) || /\.(pdf|csv|md)$/i.test(b);
}

/** List id and explicit category for a file; ids follow the default pack's naming so it maps them. */
function identify(rel: string): { id: string; category: string | null } {
  const parts = rel.split('/');
  const file = parts[parts.length - 1]!;
  const stem = file.replace(/\.(txt|list)$/, '').replace(/_\d{4}-\d{2}-\d{2}$/, '');
  if (parts[0] === 'ut1') return { id: `ut1/${parts[1]}`, category: null };
  if (parts[0] === 'blocklistproject') return { id: `blp/${stem}`, category: null };
  if (parts[0] === 'hagezi_2022') return { id: `hagezi/${stem}`, category: null };
  if (file.startsWith('DERIVED_adult_union')) return { id: 'adult/union', category: null };
  const m = /^sinfonietta_(.+)-hosts$/.exec(file);
  if (m) return { id: `sinfonietta/${m[1]}`, category: m[1] === 'pornography' ? 'pornography' : null };
  const vendor = file.split('_')[0]!.toLowerCase();
  return { id: `${vendor}/porn`, category: 'pornography' };
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...walk(path));
    else out.push(path);
  }
  return out;
}

/** Every domain list file under `root`, one RawList per file (names unique within the list). */
export function readRealLists(root: string): RawList[] {
  const lists: RawList[] = [];
  for (const path of walk(root)) {
    if (skipFile(path)) continue;
    const rel = relative(root, path).split('\\').join('/');
    const names = new Set<string>();
    for (const line of readFileSync(path, 'latin1').split('\n')) {
      const n = extractName(line);
      if (n !== null) names.add(n);
    }
    if (names.size === 0) continue;
    lists.push({ ...identify(rel), source: rel, names: [...names] });
  }
  return lists;
}

const CHARS = Buffer.from('abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz0123456789--', 'latin1');
const TLDS: [string, number][] = [
  ['com', 40], ['net', 10], ['org', 10], ['de', 8], ['co.uk', 6], ['fr', 6], ['io', 5], ['info', 5], ['xyz', 5], ['ru', 3], ['nl', 2],
];
const TLD_TABLE: Buffer[] = TLDS.flatMap(([t, w]) => Array<Buffer>(w).fill(Buffer.from(t, 'latin1')));
const scratch = Buffer.alloc(256);

/**
 * One realistic random name: 1–3 labels (50/35/15%) of 3–15 letters, digits and inner hyphens
 * under a weighted TLD; 19.6 characters on average.
 */
function randomName(rand: () => number): string {
  const r = below(rand, 100);
  const labels = r < 50 ? 1 : r < 85 ? 2 : 3;
  let p = 0;
  for (let l = 0; l < labels; l++) {
    const len = 3 + below(rand, 13);
    let bits = 0;
    let avail = 0;
    for (let k = 0; k < len; k++) {
      if (avail === 0) {
        bits = rand();
        avail = 5;
      }
      let c = CHARS[bits & 63]!;
      bits >>>= 6;
      avail--;
      // No hyphen at a label's ends, nor in third place (so no "xn--" or other "??--" labels).
      if (c === 45 && (k === 0 || k === 2 || k === len - 1)) c = 120;
      scratch[p++] = c;
    }
    scratch[p++] = 46;
  }
  const tld = TLD_TABLE[below(rand, TLD_TABLE.length)]!;
  tld.copy(scratch, p);
  return scratch.toString('latin1', 0, p + tld.length);
}

/** `count` distinct generated names. */
export function generateNames(count: number, seed: number): Set<string> {
  const rand = prng(seed);
  const set = new Set<string>();
  while (set.size < count) set.add(randomName(rand));
  return set;
}

/** True when `host` or one of its parent domains is in `set` (what both engines should answer). */
export function listedIn(set: ReadonlySet<string>, host: string): boolean {
  if (set.has(host)) return true;
  for (let i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) if (set.has(host.slice(i + 1))) return true;
  return false;
}

export function readBenign(path: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const n = extractName(line);
    if (n !== null) out.push(n);
  }
  return out;
}

const PREFIXES = ['www.', 'www.', 'm.', 'cdn.', 'api.', 'img.'];

/**
 * A shuffled stream of `n` host names: half listed (a list name, a third of them below an extra
 * label like `www.`), half not (30% popular benign names that no list holds, 70% fresh generated
 * names checked against the list). `expected` says which is which.
 */
export function buildStream(names: readonly string[], set: ReadonlySet<string>, benign: readonly string[], n: number, seed: number): { hosts: string[]; expected: Uint8Array } {
  const rand = prng(seed);
  const unlistedBenign = benign.filter((b) => !listedIn(set, b));
  const hosts: string[] = new Array<string>(n);
  const expected = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    if (i % 2 === 0) {
      const name = names[below(rand, names.length)]!;
      hosts[i] = below(rand, 3) === 0 ? PREFIXES[below(rand, PREFIXES.length)]! + name : name;
      expected[i] = 1;
    } else if (unlistedBenign.length > 0 && below(rand, 10) < 3) {
      hosts[i] = unlistedBenign[below(rand, unlistedBenign.length)]!;
    } else {
      let h = randomName(rand);
      while (listedIn(set, h)) h = randomName(rand);
      hosts[i] = h;
    }
  }
  for (let i = n - 1; i > 0; i--) {
    const j = below(rand, i + 1);
    const h = hosts[i]!;
    hosts[i] = hosts[j]!;
    hosts[j] = h;
    const e = expected[i]!;
    expected[i] = expected[j]!;
    expected[j] = e;
  }
  return { hosts, expected };
}
