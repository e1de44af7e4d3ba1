// A compiled, versioned set of category lists: which lists hold a host, a URL or an address.
import type { CanonicalHost } from '../host/canonical.ts';
import type { ListMeta } from './entry.ts';
import { DomainTable, DomainTableBuilder } from './domain-table.ts';
import { IpSet, type IpEntryRecord } from './ip-set.ts';

export interface UrlRecord {
  readonly host: string;
  /** Starts with '/'; matches that path and anything below it. */
  readonly path: string;
  readonly tag: number;
}

export interface SnapshotContents {
  /** Data version, increasing with every compile in one data folder. */
  readonly version: number;
  readonly createdAt: string;
  readonly lists: readonly ListMeta[];
  /** tag → indices into `lists` of the lists that hold a name with that tag. */
  readonly tags: readonly (readonly number[])[];
  readonly domains: DomainTable;
  readonly urls: readonly UrlRecord[];
  readonly ips: readonly IpEntryRecord[];
}

/** Most matches one request can report; a name is rarely in more than a handful of lists. */
export const MAX_MATCHES = 64;

/** A URL path continues below `prefix` only at a boundary: `/a` covers `/a`, `/a/b`, `/a?x`, not `/ab`. */
export function pathIsBelow(path: string, prefix: string): boolean {
  if (!path.startsWith(prefix)) return false;
  if (path.length === prefix.length || prefix.endsWith('/')) return true;
  const next = path.charCodeAt(prefix.length);
  return next === 47 /* / */ || next === 63 /* ? */ || next === 35 /* # */;
}

export class CategorySnapshot {
  readonly version: number;
  readonly createdAt: string;
  readonly lists: readonly ListMeta[];
  readonly tags: readonly (readonly number[])[];
  readonly domains: DomainTable;
  readonly urls: readonly UrlRecord[];
  readonly ips: IpSet;
  private readonly urlHosts: DomainTable;
  private readonly urlGroups: readonly (readonly UrlRecord[])[];
  private readonly scratch = new Int32Array(MAX_MATCHES);
  private readonly urlGroupScratch = new Int32Array(16);

  constructor(c: SnapshotContents) {
    this.version = c.version;
    this.createdAt = c.createdAt;
    this.lists = c.lists;
    this.tags = c.tags;
    this.domains = c.domains;
    this.urls = c.urls;
    this.ips = new IpSet(c.ips);
    const groups = new Map<string, UrlRecord[]>();
    for (const u of c.urls) {
      const g = groups.get(u.host);
      if (g) g.push(u);
      else groups.set(u.host, [u]);
    }
    const builder = new DomainTableBuilder(groups.size);
    const urlGroups: UrlRecord[][] = [];
    for (const [host, records] of groups) {
      builder.add(host, urlGroups.length);
      urlGroups.push(records.sort((a, b) => b.path.length - a.path.length));
    }
    this.urlHosts = builder.build();
    this.urlGroups = urlGroups;
  }

  get domainCount(): number {
    return this.domains.size;
  }

  /**
   * Indices of the lists holding this host (and, with a path, URL entries below it), most specific
   * first: URL entries, then the host itself, then its parents. Returns how many were written.
   */
  match(host: CanonicalHost, path: string | null, out: Int32Array): number {
    const tags = this.scratch;
    let n = 0;
    if (host.kind === 'domain') {
      if (path !== null && this.urls.length > 0) n = this.collectUrls(host.host, path, tags);
      n += this.domains.collect(host.host, n === 0 ? tags : tags.subarray(n));
    } else {
      n = this.ips.collect(host.kind === 'ipv4' ? 4 : 6, host.host, tags);
    }
    return this.expand(tags, n, out);
  }

  private collectUrls(host: string, path: string, out: Int32Array): number {
    const groupIds = this.urlGroupScratch; // reused: this runs for every URL request
    const g = this.urlHosts.collect(host, groupIds);
    let n = 0;
    for (let k = 0; k < g; k++) {
      for (const record of this.urlGroups[groupIds[k]!]!) {
        if (n < out.length && pathIsBelow(path, record.path)) out[n++] = record.tag;
      }
    }
    return n;
  }

  private expand(tags: Int32Array, n: number, out: Int32Array): number {
    let written = 0;
    for (let k = 0; k < n; k++) {
      for (const listIndex of this.tags[tags[k]!]!) {
        let seen = false;
        for (let j = 0; j < written; j++) if (out[j] === listIndex) seen = true;
        if (!seen && written < out.length) out[written++] = listIndex;
      }
    }
    return written;
  }
}
