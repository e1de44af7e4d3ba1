// An open-addressing hash table from domain name to a small integer tag, laid out in two typed
// arrays so that a compiled snapshot can be used straight from the bytes of its file.
//
// Names are hashed right to left, so one pass over "a.b.example.com" yields the hash of every
// parent ("com", "example.com", …) at each dot: a lookup of all suffixes costs one scan of the name.
//
// slots: Uint32 per slot; 0 = empty, else (fingerprint << 27) | (record offset / 4 + 1).
//        A probe that misses reads only slots; a hit reads one slot and one record.
// pool:  records, each 4-byte aligned: [name length][tag, 3 bytes little-endian][name bytes]
//        (names are ASCII: canonical names are lower-case A-labels).
import { ErrorCodes, RingfenceError } from '../errors.ts';

export const MAX_TAG = 0xffffff;
/** Records are addressed in 4-byte units in 27 bits: the pool holds at most 512 MiB. */
const MAX_POOL = 4 * (2 ** 27 - 1);
const ADDRESS_MASK = 0x7ffffff;
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
  readonly pool: Uint8Array;
  readonly size: number;
  /** Bit n set when some entry has n labels (n ≤ 31; bit 31 stands for 31 or more). */
  readonly labelMask: number;
}

export class DomainTable {
  readonly slots: Uint32Array;
  readonly pool: Uint8Array;
  readonly size: number;
  readonly labelMask: number;
  private readonly mask: number;

  constructor(parts: DomainTableParts) {
    this.slots = parts.slots;
    this.pool = parts.pool;
    this.size = parts.size;
    this.labelMask = parts.labelMask;
    this.mask = parts.slots.length - 1;
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
        if ((labelMask >>> (labels > 31 ? 31 : labels)) & 1) {
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
    const pool = this.pool;
    const fp = hash >>> 27;
    let i = hash & this.mask;
    for (;;) {
      const v = slots[i]!;
      if (v === 0) return -1;
      if (v >>> 27 === fp) {
        const at = ((v & ADDRESS_MASK) - 1) << 2;
        if (pool[at] === len && equalsAt(pool, at + 4, s, start, len)) return pool[at + 1]! | (pool[at + 2]! << 8) | (pool[at + 3]! << 16);
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Every (name, tag) pair, in insertion order; for tests and exports, not hot paths. */
  *names(): Generator<[string, number]> {
    const pool = this.pool;
    for (let at = 0; at < pool.length; at += recordSize(pool[at]!)) {
      let s = '';
      for (let k = 0; k < pool[at]!; k++) s += String.fromCharCode(pool[at + 4 + k]!);
      yield [s, pool[at + 1]! | (pool[at + 2]! << 8) | (pool[at + 3]! << 16)];
    }
  }
}

function equalsAt(pool: Uint8Array, at: number, s: string, start: number, len: number): boolean {
  for (let k = 0; k < len; k++) if (pool[at + k] !== s.charCodeAt(start + k)) return false;
  return true;
}

function recordSize(nameLength: number): number {
  return (4 + nameLength + 3) & ~3;
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
  /** Per record, its hash, so the table can be resized without rereading names. */
  private hashes: Uint32Array;
  private records: Uint32Array;
  private pool: Uint8Array;
  private poolLength = 0;
  private count = 0;
  private labelMask = 0;

  constructor(
    expected: number,
    private readonly mergeTag: (existing: number, added: number) => number = (_a, b) => b,
  ) {
    const n = Math.max(expected, 8);
    this.slots = new Uint32Array(capacityFor(n));
    this.hashes = new Uint32Array(n);
    this.records = new Uint32Array(n);
    this.pool = new Uint8Array(n * 24);
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
    const fp = hash >>> 27;
    let i = hash & mask;
    for (;;) {
      const v = this.slots[i]!;
      if (v === 0) break;
      if (v >>> 27 === fp) {
        const at = ((v & ADDRESS_MASK) - 1) << 2;
        if (this.pool[at] === len && equalsAt(this.pool, at + 4, name, 0, len)) {
          this.writeTag(at, this.mergeTag(this.pool[at + 1]! | (this.pool[at + 2]! << 8) | (this.pool[at + 3]! << 16), tag));
          return;
        }
      }
      i = (i + 1) & mask;
    }
    const size = recordSize(len);
    if (this.poolLength + size > MAX_POOL) {
      throw new RingfenceError(ErrorCodes.LIST_TOO_LARGE, `the domains of one snapshot exceed ${MAX_POOL / 2 ** 20} MiB (about 20 million names)`);
    }
    this.ensureRoom(size);
    const at = this.poolLength;
    this.pool[at] = len;
    this.writeTag(at, tag);
    for (let k = 0; k < len; k++) this.pool[at + 4 + k] = name.charCodeAt(k);
    this.poolLength += size;
    this.hashes[this.count] = hash;
    this.records[this.count] = at;
    this.count++;
    this.labelMask |= labelBit(name);
    this.slots[i] = ((fp << 27) | ((at >>> 2) + 1)) >>> 0;
    if (this.count * 1.5 > this.slots.length) this.rehash(this.slots.length * 2);
  }

  build(): DomainTable {
    const n = this.count;
    if (capacityFor(n) !== this.slots.length) this.rehash(capacityFor(n));
    return new DomainTable({ slots: this.slots, pool: this.pool.slice(0, this.poolLength), size: n, labelMask: this.labelMask });
  }

  private writeTag(at: number, tag: number): void {
    this.pool[at + 1] = tag & 0xff;
    this.pool[at + 2] = (tag >>> 8) & 0xff;
    this.pool[at + 3] = tag >>> 16;
  }

  private ensureRoom(size: number): void {
    if (this.count + 1 > this.hashes.length) {
      const grown = this.hashes.length * 2;
      const hashes = new Uint32Array(grown);
      hashes.set(this.hashes);
      this.hashes = hashes;
      const records = new Uint32Array(grown);
      records.set(this.records);
      this.records = records;
    }
    if (this.poolLength + size > this.pool.length) {
      const pool = new Uint8Array(Math.min(MAX_POOL, Math.max(this.pool.length * 2, this.poolLength + size)));
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
      slots[i] = (((hash >>> 27) << 27) | ((this.records[e]! >>> 2) + 1)) >>> 0;
    }
    this.slots = slots;
  }
}
