// Byte storage for the response cache: fixed-size blocks inside a few large buffers, an entry
// being a chain of blocks. Nothing here is a per-entry object, so what the cache holds costs the
// garbage collector nothing to trace, and freeing an entry leaves no garbage.

/** Small enough that a typical answer wastes little of its last block; even, so 2-byte values never straddle two. */
export const BLOCK = 48;
/** Blocks per buffer (192 KiB); buffers are allocated as the store fills. */
const CHUNK_SHIFT = 12;
const CHUNK_BLOCKS = 1 << CHUNK_SHIFT;
const NONE = -1;

export class BlockStore {
  private chunks: Uint8Array[] = [];
  /** The next block of each block's entry, NONE at the end; free blocks are chained through it too. */
  private next = new Int32Array(0);
  private used = 0;
  private free = NONE;

  /** `maxBytes`: the store never holds more blocks than this allows (the caller keeps the bound). */
  constructor(private readonly maxBytes: number) {}

  /** Blocks needed for `words` 2-byte values followed by `length` bytes. */
  static blocksFor(words: number, length: number): number {
    return Math.ceil((words * 2 + length) / BLOCK);
  }

  /**
   * Stores words[0, count) (2-byte values) then bytes[0, length) in fresh blocks; returns the first block.
   * The step to the next block is written out in both loops (and in read()'s) on purpose: this is
   * the cache's hot path, and a shared helper would have to move four locals through fields.
   */
  write(words: ArrayLike<number>, count: number, bytes: Uint8Array, length: number): number {
    const first = this.take();
    let b = first;
    let chunk = this.chunks[b >>> CHUNK_SHIFT]!;
    let p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
    let end = p + BLOCK;
    for (let i = 0; i < count; i++) {
      if (p === end) {
        const nb = this.take();
        this.next[b] = nb;
        b = nb;
        chunk = this.chunks[b >>> CHUNK_SHIFT]!;
        p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
        end = p + BLOCK;
      }
      const w = words[i]!;
      chunk[p] = w >>> 8;
      chunk[p + 1] = w & 0xff;
      p += 2;
    }
    for (let i = 0; i < length; i++) {
      if (p === end) {
        const nb = this.take();
        this.next[b] = nb;
        b = nb;
        chunk = this.chunks[b >>> CHUNK_SHIFT]!;
        p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
        end = p + BLOCK;
      }
      chunk[p++] = bytes[i]!;
    }
    this.next[b] = NONE;
    return first;
  }

  /** Reads back what write() stored at `first`: `count` 2-byte values into `words`, then `length` bytes into `out`. */
  read(first: number, count: number, words: Uint16Array, length: number, out: Uint8Array): void {
    let b = first;
    let chunk = this.chunks[b >>> CHUNK_SHIFT]!;
    let p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
    let end = p + BLOCK;
    for (let i = 0; i < count; i++) {
      if (p === end) {
        b = this.next[b]!;
        chunk = this.chunks[b >>> CHUNK_SHIFT]!;
        p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
        end = p + BLOCK;
      }
      words[i] = (chunk[p]! << 8) | chunk[p + 1]!;
      p += 2;
    }
    for (let i = 0; i < length; i++) {
      if (p === end) {
        b = this.next[b]!;
        chunk = this.chunks[b >>> CHUNK_SHIFT]!;
        p = (b & (CHUNK_BLOCKS - 1)) * BLOCK;
        end = p + BLOCK;
      }
      out[i] = chunk[p++]!;
    }
  }

  /** Gives the chain starting at `first` back, as it is, to the free list. */
  release(first: number): void {
    let b = first;
    while (this.next[b] !== NONE) b = this.next[b]!;
    this.next[b] = this.free;
    this.free = first;
  }

  clear(): void {
    this.chunks = [];
    this.next = new Int32Array(0);
    this.used = 0;
    this.free = NONE;
  }

  private take(): number {
    if (this.free !== NONE) {
      const b = this.free;
      this.free = this.next[b]!;
      return b;
    }
    const b = this.used++;
    if ((b & (CHUNK_BLOCKS - 1)) === 0) {
      // A small cache gets a small buffer: the caller's bound keeps the blocks in use within maxBytes.
      const room = Math.max(1, Math.min(CHUNK_BLOCKS, Math.ceil(this.maxBytes / BLOCK) - b));
      this.chunks.push(new Uint8Array(room * BLOCK));
    }
    if (b >= this.next.length) {
      const grown = new Int32Array(Math.max(1024, this.next.length * 2));
      grown.set(this.next);
      this.next = grown;
    }
    return b;
  }
}
