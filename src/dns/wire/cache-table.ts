// The response cache's entries as a table: an entry is a slot number, its fields are elements of
// typed arrays (grown by doubling), so a full cache is a few large arrays rather than objects for
// the garbage collector to trace. Entries are found by name, then by type, class and DO along the
// short chain of that name's entries, and kept in a recency list for least-recently-used eviction.

export const NONE = -1;

export class CacheTable {
  /** Name → the first slot of that name's entries. */
  private readonly byName = new Map<string, number>();
  private names: (string | undefined)[] = [];
  private sameName = new Int32Array(0);
  private qtype = new Uint16Array(0);
  /** Class, and 0x10000 when the entry answers DO queries. */
  private classDo = new Int32Array(0);
  /** The recency list; free slots are chained through `next`. */
  private prev = new Int32Array(0);
  private next = new Int32Array(0);
  // The cache's own fields, one element per slot.
  firstBlock = new Int32Array(0);
  length = new Int32Array(0);
  ttlCount = new Uint16Array(0);
  questionEnd = new Uint16Array(0);
  sizes = new Int32Array(0);
  storedAt = new Float64Array(0);
  expiresAt = new Float64Array(0);
  /** The least recently used entry (NONE when empty), and the most recently used. */
  head = NONE;
  private tail = NONE;
  count = 0;
  private capacity = 0;
  private slotsUsed = 0;
  private freeSlot = NONE;

  find(name: string, type: number, klass: number, dnssecOk: boolean): number {
    const want = klass | (dnssecOk ? 0x10000 : 0);
    let slot = this.byName.get(name);
    while (slot !== undefined && slot !== NONE) {
      if (this.qtype[slot] === type && this.classDo[slot] === want) return slot;
      slot = this.sameName[slot];
    }
    return NONE;
  }

  /**
   * A new entry, most recently used; the caller fills its fields. `name` is kept as it is (the
   * cache makes sure it is a flat string of its own).
   */
  insert(name: string, type: number, klass: number, dnssecOk: boolean): number {
    const slot = this.takeSlot();
    this.qtype[slot] = type;
    this.classDo[slot] = klass | (dnssecOk ? 0x10000 : 0);
    const first = this.byName.get(name);
    // A name already here is shared by its entries: the Map keeps one string for all of them.
    const kept = first === undefined ? name : this.names[first]!;
    this.names[slot] = kept;
    this.sameName[slot] = first ?? NONE;
    this.byName.set(kept, slot);
    this.append(slot);
    this.count++;
    return slot;
  }

  /** Makes `slot` the most recently used. */
  touch(slot: number): void {
    if (slot === this.tail) return;
    this.unlink(slot);
    this.append(slot);
  }

  /** Forgets the entry; its slot is reused. */
  remove(slot: number): void {
    const name = this.names[slot]!;
    const first = this.byName.get(name)!;
    const after = this.sameName[slot]!;
    if (first === slot) {
      if (after === NONE) this.byName.delete(name);
      else this.byName.set(name, after);
    } else {
      let s = first;
      while (this.sameName[s] !== slot) s = this.sameName[s]!;
      this.sameName[s] = after;
    }
    this.names[slot] = undefined;
    this.unlink(slot);
    this.next[slot] = this.freeSlot;
    this.freeSlot = slot;
    this.count--;
  }

  /** Forgets every entry and lets the arrays go (they grow again from nothing). */
  clear(): void {
    this.byName.clear();
    this.names = [];
    this.capacity = 0;
    this.grow(0);
    this.head = this.tail = NONE;
    this.slotsUsed = 0;
    this.freeSlot = NONE;
    this.count = 0;
  }

  private takeSlot(): number {
    if (this.freeSlot !== NONE) {
      const s = this.freeSlot;
      this.freeSlot = this.next[s]!;
      return s;
    }
    if (this.slotsUsed === this.capacity) this.grow();
    return this.slotsUsed++;
  }

  private grow(to = Math.max(64, this.capacity * 2)): void {
    const n = to;
    this.sameName = grown(this.sameName, n);
    this.qtype = grown(this.qtype, n);
    this.classDo = grown(this.classDo, n);
    this.prev = grown(this.prev, n);
    this.next = grown(this.next, n);
    this.firstBlock = grown(this.firstBlock, n);
    this.length = grown(this.length, n);
    this.ttlCount = grown(this.ttlCount, n);
    this.questionEnd = grown(this.questionEnd, n);
    this.sizes = grown(this.sizes, n);
    this.storedAt = grown(this.storedAt, n);
    this.expiresAt = grown(this.expiresAt, n);
    this.capacity = n;
  }

  private append(slot: number): void {
    this.prev[slot] = this.tail;
    this.next[slot] = NONE;
    if (this.tail !== NONE) this.next[this.tail] = slot;
    else this.head = slot;
    this.tail = slot;
  }

  private unlink(slot: number): void {
    const p = this.prev[slot]!;
    const n = this.next[slot]!;
    if (p !== NONE) this.next[p] = n;
    else this.head = n;
    if (n !== NONE) this.prev[n] = p;
    else this.tail = p;
  }
}

function grown<T extends Int32Array | Uint16Array | Float64Array>(a: T, n: number): T {
  const b = new (a.constructor as new (n: number) => T)(n);
  if (n >= a.length) b.set(a);
  return b;
}
