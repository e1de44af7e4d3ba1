// A few reusable read buffers for one direction of a tunnel. Node reads into the buffer `next()`
// gives; a buffer is lent until the write of its bytes to the other side has completed, so a slow
// reader can have several chunks queued without any being overwritten, and nothing is allocated
// per chunk (no buffer, no view of a full read, no callback: each buffer has its own). With every
// buffer lent, reading pauses until one comes back.
import type { Socket } from 'node:net';

export class ReadRing {
  private readonly buffers: Uint8Array[] = [];
  /** For each buffer, by index: the write callback that gives it back. */
  private readonly returners: (() => void)[] = [];
  private readonly free: Uint8Array[] = [];
  private paused = false;

  constructor(
    private readonly to: Socket,
    private readonly from: () => Socket | null,
    slots = 4,
    size = 64 * 1024,
  ) {
    for (let i = 0; i < slots; i++) {
      const buf = new Uint8Array(size);
      this.buffers.push(buf);
      this.returners.push(() => this.giveBack(buf));
      this.free.push(buf);
    }
  }

  /** For net.connect's onread.buffer: the buffer the next read goes into. */
  next = (): Uint8Array => this.free.pop() ?? new Uint8Array(64 * 1024); // never empty while reading (see onRead)

  /** For net.connect's onread.callback: passes the bytes on and lends their buffer until written. */
  onRead = (n: number, buf: Uint8Array): boolean => {
    const k = this.buffers.indexOf(buf); // one of a few
    this.to.write(n === buf.length ? buf : buf.subarray(0, n), this.returners[k]);
    if (this.free.length === 0) {
      this.paused = true;
      this.from()?.pause();
    }
    return true;
  };

  private giveBack(buf: Uint8Array): void {
    this.free.push(buf);
    if (this.paused) {
      this.paused = false;
      this.from()?.resume();
    }
  }
}
