// What the category lists in force hold, for the console: each list with its category, counts and
// import time, and which lists hold a given site (so a network manager can see why it is blocked).
import { parseUrl } from '../../core/host/url.ts';
import type { PolicyEngine } from '../../core/policy/engine.ts';

export interface ListInForce {
  readonly id: string;
  readonly category: string | null;
  readonly usage: string;
  /** Part of the locked tier (illegal content): no school rule can allow it. */
  readonly locked: boolean;
  readonly domains: number;
  readonly urls: number;
  readonly ips: number;
  readonly importedAt: string;
}

export interface ListsInForce {
  readonly snapshotVersion: number;
  readonly createdAt: string;
  readonly distinctDomains: number;
  readonly lists: readonly ListInForce[];
  readonly warnings: readonly string[];
}

export function listsInForce(engine: PolicyEngine): ListsInForce {
  const s = engine.snapshot;
  return {
    snapshotVersion: s.version,
    createdAt: s.createdAt,
    distinctDomains: s.domainCount,
    lists: s.lists.map((l, i) => ({
      id: l.id,
      category: engine.compiled.listCategory[i] ?? null,
      usage: l.usage,
      locked: engine.compiled.listLocked[i] === 1,
      domains: l.counts.domains,
      urls: l.counts.urls,
      ips: l.counts.ips,
      importedAt: l.importedAt,
    })),
    warnings: engine.warnings,
  };
}

const MAX_LISTS = 256;

/** The lists holding a site (a name, an address or a URL: its host, parents and URL entries below it). */
export function listsHolding(engine: PolicyEngine, site: string): ListInForce[] {
  const url = parseUrl(site);
  const out = new Int32Array(MAX_LISTS);
  const n = engine.snapshot.match(url.host, url.path, out);
  const all = listsInForce(engine).lists;
  return Array.from(out.subarray(0, n), (i) => all[i]!);
}
