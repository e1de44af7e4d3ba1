// An open-addressing hash table from domain name to a small integer tag, laid out in three typed
// arrays so that a compiled snapshot can be used straight from the bytes of its file.
//
// Names are hashed right to left, so one pass over "a.b.example.com" yields the hash of every
// parent ("com", "example.com", …) at each dot: a lookup of all suffixes costs one scan of the name.
//
// slots:   Uint32 per slot; 0 = empty, else (fingerprint << 24) | (entryIndex + 1)
// entries: two Uint32 per entry: offset into pool, (length << 24) | tag
// pool:    the names' bytes (ASCII: canonical names are lower-case A-labels)
import { ErrorCodes, RingfenceError } from '../errors.ts';

export const MAX_ENTRIES = 0xffffff - 1;
export const MAX_TAG = 0xffffff;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const DOT = 46;

/** Finalises a running FNV hash so that low bits (slot index) and high bits (fingerprint) both spread. */
export function finishHash(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of a whole name, identical to the hash a suffix scan reaches at the name's first character. */
export function hashName(name: string): number {
  let h = FNV_OFFSET;
  for (let i = name.length - 1; i >= 0; i--) h = Math.imul(h ^ name.charCodeAt(i), FNV_PRIME);
  return finishHash(h);
}

export interface DomainTableParts {
  readonly slots: Uint32Array;
  readonly entries: Uint32Array;
  readonly pool: Uint8Array;
  /** Bit n set when some entry has n labels (n ≤ 31; bit 31 stands for 31 or more). */
  readonly labelMask: number;
}

export class DomainTable {
  readonly slots: Uint32Array;
  readonly entries: Uint32Array;
  readonly pool: Uint8Array;
  readonly labelMask: number;
  private readonly mask: number;

  constructor(parts: DomainTableParts) {
    this.slots = parts.slots;
    this.entries = parts.entries;
    this.pool = parts.pool;
    this.labelMask = parts.labelMask;
    this.mask = parts.slots.length - 1;
  }

  get size(): number {
    return this.entries.length >>> 1;
  }

  /** Tag of exactly this name, or -1. */
  get(name: string): number {
    return this.probe(hashName(name), name, 0, name.length);
  }

  /**
   * Every tag whose name is `host` or a parent domain of it, most specific first, written into
   * `out` from index 0; returns how many. `host` must be canonical (see canonicalHost).
   */
  collect(host: string, out: Int32Array): number {
    const labelMask = this.labelMask;
    let found = 0;
    let labels = 1;
    let h = FNV_OFFSET;
    // Walk right to left; at each dot (and at the start) the hash covers the suffix after it.
    for (let i = host.length - 1; i >= -1; i--) {
      const c = i >= 0 ? host.charCodeAt(i) : DOT;
      if (c === DOT) {
        const bit = labels > 31 ? 31 : labels;
        if ((labelMask >>> bit) & 1) {
          const tag = this.probe(finishHash(h), host, i + 1, host.length - i - 1);
          if (tag >= 0 && found < out.length) {
            // Shift right so the most specific (found last) ends up first.
            for (let k = found; k > 0; k--) out[k] = out[k - 1]!;
            out[0] = tag;
            found++;
          }
        }
        labels++;
      }
      h = Math.imul(h ^ c, FNV_PRIME);
    }
    return found;
  }

  private probe(hash: number, s: string, start: number, len: number): number {
    const slots = this.slots;
    const entries = this.entries;
    const fp = hash >>> 24;
    let i = hash & this.mask;
    for (;;) {
      const v = slots[i]!;
      if (v === 0) return -1;
      if (v >>> 24 === fp) {
        const e = ((v & 0xffffff) - 1) << 1;
        const lenTag = entries[e + 1]!;
        if (lenTag >>> 24 === len && this.equals(entries[e]!, s, start, len)) return lenTag & 0xffffff;
      }
      i = (i + 1) & this.mask;
    }
  }

  private equals(offset: number, s: string, start: number, len: number): boolean {
    const pool = this.pool;
    for (let k = 0; k < len; k++) if (pool[offset + k] !== s.charCodeAt(start + k)) return false;
    return true;
  }

  /** Every (name, tag) pair, in insertion order; for tests and exports, not hot paths. */
  *names(): Generator<[string, number]> {
    for (let e = 0; e < this.entries.length; e += 2) {
      const offset = this.entries[e]!;
      const lenTag = this.entries[e + 1]!;
      let s = '';
      for (let k = 0; k < lenTag >>> 24; k++) s += String.fromCharCode(this.pool[offset + k]!);
      yield [s, lenTag & 0xffffff];
    }
  }
}

function labelBit(name: string): number {
  let labels = 1;
  for (let i = 0; i < name.length; i++) if (name.charCodeAt(i) === DOT) labels++;
  return 1 << (labels > 31 ? 31 : labels);
}

function capacityFor(n: number): number {
  let c = 16;
  while (c < n * 1.5) c *= 2;
  return c;
}

/**
 * Builds a table. `add` merges duplicates through `mergeTag(oldTag, newTag)`, so one name can
 * stand in several lists. Names must be canonical, ASCII, at most 253 characters.
 */
export class DomainTableBuilder {
  private slots: Uint32Array;
  private entries: Uint32Array;
  private hashes: Uint32Array;
  private pool: Uint8Array;
  private poolLength = 0;
  private count = 0;
  private labelMask = 0;

  constructor(
    expected: number,
    private readonly mergeTag: (existing: number, added: number) => number = (_a, b) => b,
  ) {
    this.slots = new Uint32Array(capacityFor(Math.max(expected, 8)));
    this.entries = new Uint32Array(Math.max(expected, 8) * 2);
    this.hashes = new Uint32Array(Math.max(expected, 8));
    this.pool = new Uint8Array(Math.max(expected, 8) * 20);
  }

  get size(): number {
    return this.count;
  }

  add(name: string, tag: number): void {
    if (tag < 0 || tag > MAX_TAG) throw new RangeError(`tag ${tag} out of range`);
    const len = name.length;
    if (len === 0 || len > 253) throw new RangeError(`name length ${len} out of range`);
    const hash = hashName(name);
    const mask = this.slots.length - 1;
    const fp = hash >>> 24;
    let i = hash & mask;
    for (;;) {
      const v = this.slots[i]!;
      if (v === 0) break;
      if (v >>> 24 === fp) {
        const e = (v & 0xffffff) - 1;
        const lenTag = this.entries[2 * e + 1]!;
        if (lenTag >>> 24 === len && this.equals(this.entries[2 * e]!, name)) {
          this.entries[2 * e + 1] = ((len << 24) | this.mergeTag(lenTag & 0xffffff, tag)) >>> 0;
          return;
        }
      }
      i = (i + 1) & mask;
    }
    if (this.count >= MAX_ENTRIES) {
      throw new RingfenceError(ErrorCodes.LIST_TOO_LARGE, `more than ${MAX_ENTRIES} distinct domains in one snapshot`);
    }
    this.ensureRoom(len);
    const e = this.count++;
    for (let k = 0; k < len; k++) this.pool[this.poolLength + k] = name.charCodeAt(k);
    this.entries[2 * e] = this.poolLength;
    this.entries[2 * e + 1] = ((len << 24) | tag) >>> 0;
    this.hashes[e] = hash;
    this.poolLength += len;
    this.labelMask |= labelBit(name);
    this.slots[i] = ((fp << 24) | (e + 1)) >>> 0;
    if (this.count * 1.5 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  build(): DomainTable {
    const n = this.count;
    if (capacityFor(n) !== this.slots.length) this.rehash(capacityFor(n));
    return new DomainTable({
      slots: this.slots,
      entries: this.entries.slice(0, n * 2),
      pool: this.pool.slice(0, this.poolLength),
      labelMask: this.labelMask,
    });
  }

  private equals(offset: number, name: string): boolean {
    for (let k = 0; k < name.length; k++) if (this.pool[offset + k] !== name.charCodeAt(k)) return false;
    return true;
  }

  private ensureRoom(len: number): void {
    if (this.count + 1 > this.hashes.length) {
      const grown = this.hashes.length * 2;
      const entries = new Uint32Array(grown * 2);
      entries.set(this.entries);
      this.entries = entries;
      const hashes = new Uint32Array(grown);
      hashes.set(this.hashes);
      this.hashes = hashes;
    }
    if (this.poolLength + len > this.pool.length) {
      const pool = new Uint8Array(Math.max(this.pool.length * 2, this.poolLength + len));
      pool.set(this.pool.subarray(0, this.poolLength));
      this.pool = pool;
    }
  }

  private rehash(capacity: number): void {
    const slots = new Uint32Array(capacity);
    const mask = capacity - 1;
    for (let e = 0; e < this.count; e++) {
      const hash = this.hashes[e]!;
      let i = hash & mask;
      while (slots[i] !== 0) i = (i + 1) & mask;
      slots[i] = (((hash >>> 24) << 24) | (e + 1)) >>> 0;
    }
    this.slots = slots;
  }
}
