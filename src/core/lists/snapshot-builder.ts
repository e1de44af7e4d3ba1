// Compiles lists into snapshot contents: one domain table for all lists, with a tag per distinct
// combination of lists, so a name that sits in three lists is stored once.
import type { ListMeta } from './entry.ts';
import { DomainTableBuilder, MAX_TAG } from './domain-table.ts';
import type { IpEntryRecord } from './ip-set.ts';
import type { SnapshotContents, UrlRecord } from './snapshot.ts';
import { ErrorCodes, RingfenceError } from '../errors.ts';

export interface BuilderList {
  readonly meta: ListMeta;
  readonly domains: Iterable<string>;
  readonly urls: Iterable<{ readonly host: string; readonly path: string }>;
  readonly ips: Iterable<{ readonly family: 4 | 6; readonly address: string; readonly prefix: number }>;
}

/** Interns sets of list indices as small integer tags. */
class TagRegistry {
  readonly tags: number[][] = [];
  private readonly byKey = new Map<string, number>();
  private readonly unionCache = new Map<number, number>();

  single(listIndex: number): number {
    return this.intern([listIndex]);
  }

  union(tag: number, listIndex: number): number {
    // Key packs (tag, list): lists are < 65536 in any sane snapshot, tags < 2^24.
    const key = tag * 65536 + listIndex;
    const cached = this.unionCache.get(key);
    if (cached !== undefined) return cached;
    const current = this.tags[tag]!;
    const merged = current.includes(listIndex) ? current : [...current, listIndex].sort((a, b) => a - b);
    const result = this.intern(merged);
    this.unionCache.set(key, result);
    return result;
  }

  merge(a: number, b: number): number {
    let result = a;
    for (const listIndex of this.tags[b]!) result = this.union(result, listIndex);
    return result;
  }

  private intern(lists: number[]): number {
    const key = lists.join(',');
    const found = this.byKey.get(key);
    if (found !== undefined) return found;
    const id = this.tags.length;
    if (id > MAX_TAG) throw new RingfenceError(ErrorCodes.LIST_TOO_LARGE, 'too many distinct list combinations');
    this.tags.push(lists);
    this.byKey.set(key, id);
    return id;
  }
}

export interface BuildOptions {
  readonly version: number;
  readonly createdAt: string;
  /** Upper bound on total domain entries, to size the table once. */
  readonly expectedDomains?: number;
}

export function buildSnapshotContents(lists: readonly BuilderList[], options: BuildOptions): SnapshotContents {
  if (lists.length >= 65536) throw new RingfenceError(ErrorCodes.LIST_TOO_LARGE, 'more than 65535 lists in one snapshot');
  const registry = new TagRegistry();
  const table = new DomainTableBuilder(options.expectedDomains ?? 1024, (a, b) => registry.merge(a, b));
  const urls = new Map<string, UrlRecord>();
  const ips = new Map<string, IpEntryRecord>();
  lists.forEach((list, index) => {
    const tag = registry.single(index);
    for (const name of list.domains) table.add(name, tag);
    for (const u of list.urls) {
      const key = `${u.host}${u.path}`;
      const old = urls.get(key);
      urls.set(key, { host: u.host, path: u.path, tag: old ? registry.union(old.tag, index) : tag });
    }
    for (const ip of list.ips) {
      const key = `${ip.address}/${ip.prefix}`;
      const old = ips.get(key);
      ips.set(key, { ...ip, tag: old ? registry.union(old.tag, index) : tag });
    }
  });
  return {
    version: options.version,
    createdAt: options.createdAt,
    lists: lists.map((l) => l.meta),
    tags: registry.tags,
    domains: table.build(),
    urls: [...urls.values()],
    ips: [...ips.values()],
  };
}
