// Time zone rules from a TZif file (RFC 8536: what /usr/share/zoneinfo holds), so local time
// needs no ICU: Intl.DateTimeFormat touches about 5 MiB of ICU's data, a twelfth of the DNS
// server's memory. The file's bytes come from an adapter; parsing and lookups are pure.
import { parsePosixTz, posixOffsetAt, type PosixTz } from './posix-tz.ts';

export interface ZoneRules {
  /** Milliseconds to add to an instant (ms since the epoch) to get wall-clock time in the zone. */
  offsetAt(ms: number): number;
}

class TzifRules implements ZoneRules {
  constructor(
    /** Transition instants, seconds since the epoch, ascending. */
    private readonly times: Float64Array,
    /** UTC offset in seconds from each transition on. */
    private readonly offsets: Int32Array,
    /** Before the first transition (RFC 8536: time type 0). */
    private readonly initial: number,
    private readonly footer: PosixTz | null,
  ) {}

  offsetAt(ms: number): number {
    const s = Math.floor(ms / 1000);
    const times = this.times;
    const n = times.length;
    if (n === 0 || s >= times[n - 1]!) {
      if (this.footer) return posixOffsetAt(this.footer, s) * 1000;
      return (n === 0 ? this.initial : this.offsets[n - 1]!) * 1000;
    }
    if (s < times[0]!) return this.initial * 1000;
    let lo = 0;
    let hi = n - 1; // times[lo] <= s < times[hi]
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (times[mid]! <= s) lo = mid;
      else hi = mid;
    }
    return this.offsets[lo]! * 1000;
  }
}

/** Parses a TZif file (versions 1 to 4); throws an Error saying what is wrong with it. */
export function parseTzif(bytes: Uint8Array): ZoneRules {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const need = (end: number) => {
    if (end > bytes.length) throw new Error(`TZif data ends early (${bytes.length} bytes, needs ${end})`);
  };
  const header = (at: number) => {
    need(at + 44);
    if (view.getUint32(at) !== 0x545a6966) throw new Error('not TZif data (no "TZif" magic)');
    const c = (k: number) => view.getUint32(at + 20 + 4 * k);
    return { version: bytes[at + 4]!, isut: c(0), isstd: c(1), leap: c(2), time: c(3), type: c(4), char: c(5) };
  };
  const first = header(0);
  let h = first;
  let at = 44;
  let timeSize = 4;
  if (first.version >= 0x32) {
    // Version 2+: skip the 32-bit block; the 64-bit block and the footer follow.
    at += first.time * 5 + first.type * 6 + first.char + first.leap * 8 + first.isstd + first.isut;
    h = header(at);
    at += 44;
    timeSize = 8;
  }
  if (h.type === 0) throw new Error('TZif data has no local time types');
  const blockEnd = at + h.time * (timeSize + 1) + h.type * 6 + h.char + h.leap * (timeSize + 4) + h.isstd + h.isut;
  need(blockEnd);
  const times = new Float64Array(h.time);
  for (let i = 0; i < h.time; i++) {
    times[i] = timeSize === 8 ? Number(view.getBigInt64(at + i * 8)) : view.getInt32(at + i * 4);
    if (i > 0 && times[i]! <= times[i - 1]!) throw new Error('TZif transition times are not ascending');
  }
  const typesAt = at + h.time * timeSize + h.time;
  const typeOffset = (k: number) => {
    if (k >= h.type) throw new Error(`TZif transition names local time type ${k} of ${h.type}`);
    return view.getInt32(typesAt + k * 6);
  };
  const offsets = new Int32Array(h.time);
  for (let i = 0; i < h.time; i++) offsets[i] = typeOffset(bytes[at + h.time * timeSize + i]!);
  let footer: PosixTz | null = null;
  if (timeSize === 8 && bytes[blockEnd] === 0x0a) {
    const close = bytes.indexOf(0x0a, blockEnd + 1);
    if (close < 0) throw new Error('TZif footer has no closing newline');
    const text = String.fromCharCode(...bytes.subarray(blockEnd + 1, close));
    if (text !== '') footer = parsePosixTz(text);
  }
  return new TzifRules(times, offsets, typeOffset(0), footer);
}
