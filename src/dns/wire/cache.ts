// The response cache: upstream responses by (name, type, class, DO), LRU under a byte bound.
// Pure: the clock is injected, so tests run on a fake one.
//
// Entries live in a CacheTable (typed arrays indexed by slot) and their bytes in a BlockStore, so a
// full cache is a few large arrays rather than objects for the collector to trace. They are found
// by name, the query's own interned string: no key is built per query.
import type { DnsQuery } from './types.ts';
import { Rcode } from './types.ts';
import { BLOCK, BlockStore } from './block-store.ts';
import { CacheTable, NONE } from './cache-table.ts';
import { buildRcode } from './build.ts';
import { finishAnswer, scanForCache, scanned, scannedTtlOffsets, storedExtRcode, storedForm, storedQuestionEnd } from './response.ts';
import { allocMessage, put32, u16, u32 } from './records.ts';

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

/**
 * Per entry besides its blocks and name: the Map slot (with the table's slack), the name string's
 * header, the slot arrays (with their growth slack) and allocator slack. Measured on Node 20 for a
 * small answer: 96 bytes of blocks, then 260 bytes of heap and buffers in all, 424 resident; with
 * this figure such an entry counts 352, so --cache-mb bounds real memory.
 */
export const ENTRY_OVERHEAD = 200;

// TTL offsets of the entry being read, and a response being stored (to clamp its TTLs).
const ttlScratch = new Uint16Array(Math.ceil(65536 / 11));
const writeScratch = new Uint8Array(65536);

export class ResponseCache {
  private readonly table = new CacheTable();
  private readonly store: BlockStore;
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
    this.store = new BlockStore(options.maxBytes);
  }

  /**
   * A key for get() and set(). Names come lower-cased from parseQuery, where a space cannot occur,
   * so the key splits back into its parts; any other string is a name of its own (type 0).
   */
  key(name: string, type: number, klass: number, dnssecOk: boolean): string {
    return `${name} ${type} ${klass} ${dnssecOk ? 1 : 0}`;
  }

  /**
   * The stored response with its TTLs reduced by the time elapsed, or null (absent or expired).
   * Stored responses have no OPT or TSIG record (see storedForm).
   */
  get(key: string): Uint8Array | null {
    const k = splitKey(key);
    return this.response(k.name, k.type, k.klass, k.dnssecOk);
  }

  /** get() by the key's parts. */
  response(name: string, type: number, klass: number, dnssecOk: boolean): Uint8Array | null {
    const slot = this.live(name, type, klass, dnssecOk);
    if (slot === NONE) return null;
    const out = allocMessage(this.table.length[slot]!);
    this.read(slot, out);
    return out;
  }

  /**
   * The answer to query `q` (bytes `msg`) from the entry for `name` and the query's type, class
   * and DO, made in one copy: TTLs reduced, id, RD, CD and question case from the query, our OPT
   * when it has EDNS (as answerFor). Null when absent or expired. A stored question that is not
   * the query's gives SERVFAIL, as answerFor does.
   */
  answer(name: string, q: DnsQuery, msg: Uint8Array): Uint8Array | null {
    const slot = this.live(name, q.type, q.class, q.edns !== null && q.edns.dnssecOk);
    if (slot === NONE) return null;
    const len = this.table.length[slot]!;
    const out = allocMessage(len + (q.edns !== null ? 11 : 0));
    this.read(slot, out);
    return finishAnswer(out, len, this.table.questionEnd[slot]!, 0, q, msg) ? out : buildRcode(q, msg, Rcode.SERVFAIL);
  }

  set(key: string, resp: Uint8Array): boolean {
    const k = splitKey(key);
    return this.put(k.name, k.type, k.klass, k.dnssecOk, resp);
  }

  /**
   * Stores a response if it is cacheable (not SERVFAIL, a TTL from cacheInfo, not truncated),
   * with every TTL clamped to [minTtl, maxTtl] (negative answers: to the negative TTL, itself at
   * most maxNegativeTtl, so an SOA's TTL and MINIMUM agree while it decays). Returns whether it was stored.
   */
  put(name: string, type: number, klass: number, dnssecOk: boolean, resp: Uint8Array): boolean {
    const form = storedForm(resp);
    return form !== null && this.putStored(flat(name), type, klass, dnssecOk, form, storedQuestionEnd, storedExtRcode);
  }

  /**
   * put() for a response already in stored form (storedForm's result and what it set). `name` is
   * kept as it is: it must be a flat string of its own, as a name from parseQuery is (see flat()).
   */
  putStored(name: string, type: number, klass: number, dnssecOk: boolean, form: Uint8Array, qEnd: number, extRcode: number): boolean {
    // Cacheable rcodes have no extended bits, so the OPT storedForm removed carried nothing needed.
    if (extRcode !== 0 || !scanForCache(form)) return false;
    const info = scanned;
    if (info.ttl === null || info.rcode === Rcode.SERVFAIL) return false;
    const negative = info.rcode === Rcode.NXDOMAIN || u16(form, 6) === 0;
    const cap = negative ? this.maxNegativeTtl : this.maxTtl;
    const ttl = Math.min(Math.max(info.ttl, this.minTtl), cap);
    if (!(ttl > 0)) return false;
    const offsets = scannedTtlOffsets;
    const count = info.ttlCount;
    const size = BlockStore.blocksFor(count, form.length) * BLOCK + name.length * 2 + ENTRY_OVERHEAD;
    if (size > this.maxBytes) return false;
    const t = this.table;
    const old = t.find(name, type, klass, dnssecOk);
    if (old !== NONE) this.remove(old);
    while (t.head !== NONE && this.stored + size > this.maxBytes) {
      this.remove(t.head);
      this.evictions++;
    }
    // Clamped in a copy: the caller's bytes stay as they were.
    const bytes = writeScratch;
    bytes.set(form);
    const fieldCap = negative ? ttl : cap;
    for (let k = 0; k < count; k++) {
      const off = offsets[k]!;
      const v = u32(bytes, off);
      put32(bytes, off, Math.min(Math.max(v > 0x7fffffff ? 0 : v, this.minTtl), fieldCap));
    }
    const slot = t.insert(name, type, klass, dnssecOk);
    const now = this.now();
    t.firstBlock[slot] = this.store.write(offsets, count, bytes, form.length);
    t.length[slot] = form.length;
    t.ttlCount[slot] = count;
    t.questionEnd[slot] = qEnd;
    t.sizes[slot] = size;
    t.storedAt[slot] = now;
    t.expiresAt[slot] = now + ttl * 1000;
    this.stored += size;
    return true;
  }

  get size(): number {
    return this.table.count;
  }

  /** Stored bytes as counted against maxBytes. */
  get bytes(): number {
    return this.stored;
  }

  clear(): void {
    this.table.clear();
    this.store.clear();
    this.stored = 0;
  }

  stats(): CacheStats {
    const { hits, misses, evictions, expired } = this;
    return { hits, misses, evictions, expired, size: this.table.count, bytes: this.stored };
  }

  /** The live entry made most recently used, or NONE (absent, or expired and removed). */
  private live(name: string, type: number, klass: number, dnssecOk: boolean): number {
    const slot = this.table.find(name, type, klass, dnssecOk);
    if (slot === NONE) {
      this.misses++;
      return NONE;
    }
    if (this.now() >= this.table.expiresAt[slot]!) {
      this.remove(slot);
      this.expired++;
      this.misses++;
      return NONE;
    }
    this.table.touch(slot);
    this.hits++;
    return slot;
  }

  /** The entry's response into `out`, every TTL reduced by the whole seconds it has aged. */
  private read(slot: number, out: Uint8Array): void {
    const t = this.table;
    const n = t.ttlCount[slot]!;
    this.store.read(t.firstBlock[slot]!, n, ttlScratch, t.length[slot]!, out);
    const elapsed = Math.floor((this.now() - t.storedAt[slot]!) / 1000);
    if (elapsed <= 0) return;
    for (let k = 0; k < n; k++) {
      const off = ttlScratch[k]!;
      const v = u32(out, off);
      put32(out, off, v > elapsed ? v - elapsed : 0);
    }
  }

  private remove(slot: number): void {
    this.store.release(this.table.firstBlock[slot]!);
    this.stored -= this.table.sizes[slot]!;
    this.table.remove(slot);
  }
}

/**
 * A flat copy of `s`. A string made by concatenation (a key, a proxy's host) may be a rope, or a
 * slice of a longer string, and V8 would keep all of that in the Map (a rope key costs about 250
 * bytes): entries keep a copy instead.
 */
function flat(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** A key() split back into its parts; a string not made by key() is a name with type 0. */
function splitKey(key: string): { name: string; type: number; klass: number; dnssecOk: boolean } {
  const c = key.lastIndexOf(' ');
  const b = c > 0 ? key.lastIndexOf(' ', c - 1) : -1;
  const a = b > 0 ? key.lastIndexOf(' ', b - 1) : -1;
  if (a < 0) return { name: key, type: 0, klass: 0, dnssecOk: false };
  return { name: key.slice(0, a), type: Number(key.slice(a + 1, b)), klass: Number(key.slice(b + 1, c)), dnssecOk: key.slice(c + 1) === '1' };
}
