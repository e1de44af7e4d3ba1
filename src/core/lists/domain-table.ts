// A static table from domain name to a small integer tag, kept as 64-bit fingerprints of the names
// rather than the names, in three typed arrays that a compiled snapshot uses straight from its bytes.
//
// Names are hashed right to left, so one pass over "a.b.example.com" yields the fingerprint of every
// parent ("com", "example.com", …) at each dot: a lookup of all suffixes costs one scan of the name.
//
// The fingerprint is two 32-bit hashes, hi and lo. A bucket is the top bits of hi, about 4 names each.
// keys:   Uint16 triples [hi & 0xffff, lo >>> 16, lo & 0xffff], sorted within each bucket: the bucket
//         number already holds hi's top bits, so 6 bytes keep the whole 64-bit fingerprint.
// starts: Uint32 per bucket, plus one: where the bucket's keys begin. A probe reads two starts and a
//         few adjacent keys (one cache line), and compares a second word once in 65,536 times.
// tags:   one per key, as narrow as the largest tag allows (Uint8, Uint16 or Uint32).
// That is about 8 bytes a name (7.5 MiB for a million) instead of the names themselves (30 MiB).
//
// Why that is exact enough: a name that is not listed matches only if its fingerprint equals a
// listed one's. With b buckets (b ≥ 65,536 from about 260k names) the table keeps all 64 bits, so
// the chance is n / 2^64 per name looked up: 5.4e-14 for n = 1 million; even 10^10 distinct names
// looked up anywhere, ever, make one wrong block 0.05% likely (a 32-bit fingerprint would block
// about 2,300 of each 10 million distinct names). Smaller tables keep 48 bits plus the bucket's,
// n / 2^48 / b ≤ 4 / 2^48 = 1.4e-14. A listed name is always found (no false negatives), and
// someone who crafts a colliding name only gets their own name blocked.
// On the benchmark's lists (1,014,959 names with their parents) the 32-bit halves collide 137 and
// 101 times, where random values would about 120 times (n^2 / 2^33), and the 64-bit fingerprints
// never: the halves behave as independent random values.
import { ErrorCodes, RingfenceError } from '../errors.ts';

export const MAX_TAG = 0xffffff;
/** Most names one table holds: keys are indexed in 32 bits (two per name) with room to spare. */
const MAX_NAMES = 2 ** 28;
const H1_SEED = 0x811c9dc5; // FNV-1a
const H1_PRIME = 0x01000193;
const H2_SEED = 0x9e3779b9;
const H2_PRIME = 0x5bd1e995; // MurmurHash2's multiplier: dense bits, unlike FNV's
const DOT = 46;

export type TagArray = Uint8Array | Uint16Array | Uint32Array;

/** Finalises the running FNV hash (high half of the fingerprint: its top bits pick the bucket). */
export function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Finalises the second running hash with different constants, so the halves stay independent. */
export function finishHash2(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One step of the second hash; the shift feeds high bits back down, which plain FNV never does. */
function step2(h: number, c: number): number {
  h = Math.imul(h ^ c, H2_PRIME);
  return h ^ (h >>> 15);
}

/** Fingerprint of a whole name, as [hi, lo]: identical to what a suffix scan reaches at its first character. */
export function fingerprint(name: string): [number, number] {
  let h1 = H1_SEED;
  let h2 = H2_SEED;
  for (let i = name.length - 1; i >= 0; i--) {
    const c = name.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, H1_PRIME);
    h2 = step2(h2, c);
  }
  return [finishHash(h1), finishHash2(h2)];
}

export interface DomainTableParts {
  readonly keys: Uint16Array;
  readonly starts: Uint32Array;
  readonly tags: TagArray;
  /** Bit n set when some entry has n labels (n ≤ 31; bit 31 stands for 31 or more). */
  readonly labelMask: number;
}

export class DomainTable {
  readonly keys: Uint16Array;
  readonly starts: Uint32Array;
  readonly tags: TagArray;
  readonly size: number;
  readonly labelMask: number;
  /** hi >>> shift is the bucket. */
  private readonly shift: number;

  constructor(parts: DomainTableParts) {
    this.keys = parts.keys;
    this.starts = parts.starts;
    this.tags = parts.tags;
    this.size = parts.tags.length;
    this.labelMask = parts.labelMask;
    this.shift = 32 - Math.log2(parts.starts.length - 1);
  }

  /** Tag of exactly this name, or -1. */
  get(name: string): number {
    const [hi, lo] = fingerprint(name);
    return this.probe(hi, lo);
  }

  /**
   * Every tag whose name is `host` or a parent domain of it, most specific first, written into
   * `out` from index 0; returns how many. `host` must be canonical (see canonicalHost).
   */
  collect(host: string, out: Int32Array): number {
    const labelMask = this.labelMask;
    let found = 0;
    let labels = 1;
    let h1 = H1_SEED;
    let h2 = H2_SEED;
    // Walk right to left; at each dot (and at the start) the hashes cover the suffix after it.
    for (let i = host.length - 1; i >= -1; i--) {
      const c = i >= 0 ? host.charCodeAt(i) : DOT;
      if (c === DOT) {
        if ((labelMask >>> (labels > 31 ? 31 : labels)) & 1) {
          const tag = this.probe(finishHash(h1), finishHash2(h2));
          if (tag >= 0 && found < out.length) {
            // Shift right so the most specific (found last) ends up first.
            for (let k = found; k > 0; k--) out[k] = out[k - 1]!;
            out[0] = tag;
            found++;
          }
        }
        labels++;
      }
      h1 = Math.imul(h1 ^ c, H1_PRIME);
      h2 = step2(h2, c);
    }
    return found;
  }

  private probe(hi: number, lo: number): number {
    const keys = this.keys;
    const first = hi & 0xffff;
    const bucket = hi >>> this.shift;
    const end = this.starts[bucket + 1]!;
    for (let e = this.starts[bucket]!; e < end; e++) {
      const k = keys[3 * e]!;
      if (k === first) {
        if (keys[3 * e + 1] === lo >>> 16 && keys[3 * e + 2] === (lo & 0xffff)) return this.tags[e]!;
      } else if (k > first) {
        return -1;
      }
    }
    return -1;
  }
}

function labelBit(name: string): number {
  let labels = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === DOT) labels++;
  return 1 << (labels > 31 ? 31 : labels);
}

/** Buckets for n keys: a power of two, at least 2, about n / 4 (so 2–4 keys a bucket). */
function bucketCountFor(n: number): number {
  let b = 2;
  while (b * 4 < n) b *= 2;
  return b;
}

/** The narrowest typed array holding every tag. */
function narrowTags(tags: Uint32Array, count: number): TagArray {
  let max = 0;
  for (let e = 0; e < count; e++) if (tags[e]! > max) max = tags[e]!;
  const out = max <= 0xff ? new Uint8Array(count) : max <= 0xffff ? new Uint16Array(count) : new Uint32Array(count);
  out.set(tags.subarray(0, count));
  return out;
}

/**
 * Builds a table. `add` merges duplicates through `mergeTag(oldTag, newTag)`, so one name can
 * stand in several lists. Names must be canonical, ASCII, at most 253 characters.
 */
export class DomainTableBuilder {
  /** Open addressing over entries while adding: entry index + 1, 0 = empty. */
  private slots: Uint32Array;
  private keys: Uint32Array;
  private tags: Uint32Array;
  private count = 0;
  private labelMask = 0;

  constructor(
    expected: number,
    private readonly mergeTag: (existing: number, added: number) => number = (_a, b) => b,
  ) {
    const n = Math.max(expected, 8);
    this.slots = new Uint32Array(slotCountFor(n));
    this.keys = new Uint32Array(2 * n);
    this.tags = new Uint32Array(n);
  }

  get size(): number {
    return this.count;
  }

  add(name: string, tag: number): void {
    if (tag < 0 || tag > MAX_TAG) throw new RangeError(`tag ${tag} out of range`);
    const len = name.length;
    if (len === 0 || len > 253) throw new RangeError(`name length ${len} out of range`);
    const [hi, lo] = fingerprint(name);
    const mask = this.slots.length - 1;
    let i = lo & mask;
    for (;;) {
      const v = this.slots[i]!;
      if (v === 0) break;
      const e = v - 1;
      if (this.keys[2 * e] === hi && this.keys[2 * e + 1] === lo) {
        this.tags[e] = this.mergeTag(this.tags[e]!, tag);
        return;
      }
      i = (i + 1) & mask;
    }
    if (this.count >= MAX_NAMES) {
      throw new RingfenceError(ErrorCodes.LIST_TOO_LARGE, `one snapshot holds at most ${MAX_NAMES} domains`);
    }
    this.ensureRoom();
    const e = this.count++;
    this.keys[2 * e] = hi;
    this.keys[2 * e + 1] = lo;
    this.tags[e] = tag;
    this.labelMask |= labelBit(name);
    this.slots[i] = e + 1;
    if (this.count * 2 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  /**
   * Sorts the keys into buckets (a counting sort on the bucket, then insertion sort inside each).
   * Names whose stored keys coincide (possible only below 65,536 buckets, about once in 2^46) are
   * merged like duplicates.
   */
  build(): DomainTable {
    const n = this.count;
    const buckets = bucketCountFor(n);
    const shift = 32 - Math.log2(buckets);
    const starts = new Uint32Array(buckets + 1);
    for (let e = 0; e < n; e++) starts[(this.keys[2 * e]! >>> shift) + 1]!++;
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!;
    const next = starts.slice(0, buckets);
    const keys = new Uint16Array(3 * n);
    const tags = new Uint32Array(n);
    for (let e = 0; e < n; e++) {
      const hi = this.keys[2 * e]!;
      const lo = this.keys[2 * e + 1]!;
      const at = next[hi >>> shift]!++;
      keys[3 * at] = hi & 0xffff;
      keys[3 * at + 1] = lo >>> 16;
      keys[3 * at + 2] = lo & 0xffff;
      tags[at] = this.tags[e]!;
    }
    let kept = 0;
    for (let b = 0; b < buckets; b++) {
      const from = starts[b]!;
      const to = starts[b + 1]!;
      sortBucket(keys, tags, from, to);
      starts[b] = kept;
      for (let e = from; e < to; e++) {
        if (e > from && sameKey(keys, e - 1, e)) {
          tags[kept - 1] = this.mergeTag(tags[kept - 1]!, tags[e]!);
          continue;
        }
        keys.copyWithin(3 * kept, 3 * e, 3 * e + 3);
        tags[kept++] = tags[e]!;
      }
    }
    starts[buckets] = kept;
    return new DomainTable({ keys: keys.slice(0, 3 * kept), starts, tags: narrowTags(tags, kept), labelMask: this.labelMask });
  }

  private ensureRoom(): void {
    if (this.count < this.tags.length) return;
    const keys = new Uint32Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const tags = new Uint32Array(this.tags.length * 2);
    tags.set(this.tags);
    this.tags = tags;
  }

  private rehash(capacity: number): void {
    const slots = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let e = 0; e < this.count; e++) {
      let i = this.keys[2 * e + 1]! & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = e + 1;
    }
    this.slots = slots;
  }
}

function slotCountFor(n: number): number {
  let c = 16;
  while (c < n * 2) c *= 2;
  return c;
}

function sameKey(keys: Uint16Array, a: number, b: number): boolean {
  return keys[3 * a] === keys[3 * b] && keys[3 * a + 1] === keys[3 * b + 1] && keys[3 * a + 2] === keys[3 * b + 2];
}

/** Insertion sort of the triples keys[from..to), carrying tags along; buckets hold a handful. */
function sortBucket(keys: Uint16Array, tags: Uint32Array, from: number, to: number): void {
  for (let e = from + 1; e < to; e++) {
    const k0 = keys[3 * e]!;
    const k1 = keys[3 * e + 1]!;
    const k2 = keys[3 * e + 2]!;
    const tag = tags[e]!;
    let j = e - 1;
    for (; j >= from; j--) {
      const j0 = keys[3 * j]!;
      const j1 = keys[3 * j + 1]!;
      if (j0 < k0 || (j0 === k0 && (j1 < k1 || (j1 === k1 && keys[3 * j + 2]! <= k2)))) break;
      keys.copyWithin(3 * j + 3, 3 * j, 3 * j + 3);
      tags[j + 1] = tags[j]!;
    }
    keys[3 * j + 3] = k0;
    keys[3 * j + 4] = k1;
    keys[3 * j + 5] = k2;
    tags[j + 1] = tag;
  }
}
