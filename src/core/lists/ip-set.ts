// IP addresses and CIDR blocks from category lists, matched by trying each prefix length present.
import { parseIPv4, parseIPv6 } from '../net/ip.ts';

export interface IpEntryRecord {
  readonly family: 4 | 6;
  /** Canonical network address (host bits clear). */
  readonly address: string;
  readonly prefix: number;
  readonly tag: number;
}

function maskV4(value: number, prefix: number): number {
  return prefix === 0 ? 0 : (value & (0xffffffff << (32 - prefix))) >>> 0;
}

function maskV6Key(words: Uint16Array, prefix: number): string {
  let key = '';
  for (let w = 0; w < 8; w++) {
    const bits = Math.max(0, Math.min(16, prefix - w * 16));
    const masked = bits === 0 ? 0 : words[w]! & (0xffff << (16 - bits)) & 0xffff;
    key += masked.toString(16) + ':';
  }
  return key;
}

export class IpSet {
  private readonly v4 = new Map<number, Map<number, number>>();
  private readonly v6 = new Map<number, Map<string, number>>();
  readonly records: readonly IpEntryRecord[];

  constructor(records: readonly IpEntryRecord[], mergeTag: (a: number, b: number) => number = (_a, b) => b) {
    this.records = records;
    for (const r of records) {
      if (r.family === 4) {
        const value = parseIPv4(r.address);
        if (value === null) throw new RangeError(`bad IPv4 record ${r.address}`);
        const byPrefix = this.v4.get(r.prefix) ?? new Map<number, number>();
        const key = maskV4(value, r.prefix);
        const old = byPrefix.get(key);
        byPrefix.set(key, old === undefined ? r.tag : mergeTag(old, r.tag));
        this.v4.set(r.prefix, byPrefix);
      } else {
        const words = parseIPv6(r.address);
        if (words === null) throw new RangeError(`bad IPv6 record ${r.address}`);
        const byPrefix = this.v6.get(r.prefix) ?? new Map<string, number>();
        const key = maskV6Key(words, r.prefix);
        const old = byPrefix.get(key);
        byPrefix.set(key, old === undefined ? r.tag : mergeTag(old, r.tag));
        this.v6.set(r.prefix, byPrefix);
      }
    }
  }

  get size(): number {
    return this.records.length;
  }

  /** Tags of every block holding the address, longest prefix first. */
  collect(family: 4 | 6, address: string, out: Int32Array): number {
    let found = 0;
    if (family === 4) {
      const value = parseIPv4(address);
      if (value === null) return 0;
      const prefixes = [...this.v4.keys()].sort((a, b) => b - a);
      for (const p of prefixes) {
        const tag = this.v4.get(p)!.get(maskV4(value, p));
        if (tag !== undefined && found < out.length) out[found++] = tag;
      }
    } else {
      const words = parseIPv6(address);
      if (words === null) return 0;
      const prefixes = [...this.v6.keys()].sort((a, b) => b - a);
      for (const p of prefixes) {
        const tag = this.v6.get(p)!.get(maskV6Key(words, p));
        if (tag !== undefined && found < out.length) out[found++] = tag;
      }
    }
    return found;
  }
}
