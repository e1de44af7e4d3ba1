// The response cache: upstream responses by (name, type, class, DO), LRU under a byte bound.
// Pure: the clock is injected, so tests run on a fake one.
import { Rcode } from './types.ts';
import { cacheInfo, withReducedTtls } from './response.ts';
import { put32, u16, u32 } from './records.ts';

export interface CacheOptions {
  /** Bound on the stored bytes: keys, responses and an estimate of the per-entry overhead. */
  readonly maxBytes: number;
  readonly minTtl?: number;
  readonly maxTtl?: number;
  /** Cap for NXDOMAIN and NODATA answers (RFC 2308 suggests at most a few hours; we keep less). */
  readonly maxNegativeTtl?: number;
}

export interface CacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
  /** Entries found past their TTL (counted as misses too). */
  readonly expired: number;
  readonly size: number;
  readonly bytes: number;
}

/** An entry is also a node of the recency list (oldest at head), so eviction never scans. */
interface Entry {
  readonly key: string;
  readonly resp: Uint8Array;
  readonly ttlOffsets: Uint32Array;
  readonly storedAt: number;
  readonly expiresAt: number;
  readonly size: number;
  prev: Entry | null;
  next: Entry | null;
}

/**
 * Map slot, entry object, the copy's ArrayBuffer and its view, the TTL-offset array: measured at
 * about 1 KB of resident memory per small answer on Node 20, so --cache-mb bounds real memory.
 */
export const ENTRY_OVERHEAD = 850;

export class ResponseCache {
  private readonly entries = new Map<string, Entry>();
  // Evicting through a Map's own order would scan the holes deletions leave at its front.
  private head: Entry | null = null;
  private tail: Entry | null = null;
  private readonly maxBytes: number;
  private readonly minTtl: number;
  private readonly maxTtl: number;
  private readonly maxNegativeTtl: number;
  private stored = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private expired = 0;

  constructor(options: CacheOptions, private readonly now: () => number = Date.now) {
    this.maxBytes = options.maxBytes;
    this.minTtl = options.minTtl ?? 0;
    this.maxTtl = options.maxTtl ?? 86400;
    this.maxNegativeTtl = Math.min(options.maxNegativeTtl ?? 900, this.maxTtl);
  }

  /** Names come lower-cased from parseQuery; a space cannot occur in a rendered name. */
  key(name: string, type: number, klass: number, dnssecOk: boolean): string {
    return `${name} ${type} ${klass} ${dnssecOk ? 1 : 0}`;
  }

  /** The stored response with its TTLs reduced by the time elapsed, or null (absent or expired). */
  get(key: string): Uint8Array | null {
    const e = this.entries.get(key);
    if (e === undefined) {
      this.misses++;
      return null;
    }
    const now = this.now();
    if (now >= e.expiresAt) {
      this.remove(key, e);
      this.expired++;
      this.misses++;
      return null;
    }
    this.unlink(e); // most recently used goes last
    this.append(e);
    this.hits++;
    return withReducedTtls(e.resp, e.ttlOffsets, (now - e.storedAt) / 1000);
  }

  /**
   * Stores a response if it is cacheable (not SERVFAIL, a TTL from cacheInfo, not truncated),
   * with every TTL clamped to [minTtl, maxTtl] (negative answers: to the negative TTL, itself at
   * most maxNegativeTtl, so an SOA's TTL and MINIMUM agree while it decays). Returns whether it was stored.
   */
  set(key: string, resp: Uint8Array): boolean {
    const info = cacheInfo(resp);
    if (info === null || info.ttl === null || info.rcode === Rcode.SERVFAIL) return false;
    const negative = info.rcode === Rcode.NXDOMAIN || u16(resp, 6) === 0;
    const cap = negative ? this.maxNegativeTtl : this.maxTtl;
    const ttl = Math.min(Math.max(info.ttl, this.minTtl), cap);
    if (!(ttl > 0)) return false;
    const size = key.length * 2 + resp.length + info.ttlOffsets.byteLength + ENTRY_OVERHEAD;
    if (size > this.maxBytes) return false;
    const copy = new Uint8Array(resp); // its own memory: Buffer#slice would be a view (of a pool, maybe)
    const fieldCap = negative ? ttl : cap;
    for (const off of info.ttlOffsets) {
      const t = u32(copy, off);
      put32(copy, off, Math.min(Math.max(t > 0x7fffffff ? 0 : t, this.minTtl), fieldCap));
    }
    const old = this.entries.get(key);
    if (old !== undefined) this.remove(key, old);
    while (this.head !== null && this.stored + size > this.maxBytes) {
      this.remove(this.head.key, this.head);
      this.evictions++;
    }
    const now = this.now();
    const entry: Entry = { key, resp: copy, ttlOffsets: info.ttlOffsets, storedAt: now, expiresAt: now + ttl * 1000, size, prev: null, next: null };
    this.entries.set(key, entry);
    this.append(entry);
    this.stored += size;
    return true;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Stored bytes as counted against maxBytes. */
  get bytes(): number {
    return this.stored;
  }

  clear(): void {
    this.entries.clear();
    this.head = this.tail = null;
    this.stored = 0;
  }

  stats(): CacheStats {
    const { hits, misses, evictions, expired } = this;
    return { hits, misses, evictions, expired, size: this.entries.size, bytes: this.stored };
  }

  private remove(key: string, e: Entry): void {
    this.entries.delete(key);
    this.unlink(e);
    this.stored -= e.size;
  }

  private append(e: Entry): void {
    e.prev = this.tail;
    e.next = null;
    if (this.tail) this.tail.next = e;
    else this.head = e;
    this.tail = e;
  }

  private unlink(e: Entry): void {
    if (e.prev) e.prev.next = e.next;
    else this.head = e.next;
    if (e.next) e.next.prev = e.prev;
    else this.tail = e.prev;
    e.prev = e.next = null;
  }
}
