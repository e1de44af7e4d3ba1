// "Where" in a rule: client addresses given as single addresses, CIDR blocks or ranges "a-b".
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseAddress, parseCidr, type ParsedAddress } from '../net/ip.ts';

function v6ToBigInt(words: ArrayLike<number>): bigint {
  let n = 0n;
  for (let i = 0; i < 8; i++) n = (n << 16n) | BigInt(words[i]!);
  return n;
}

function asBig(a: ParsedAddress): bigint {
  return a.family === 4 ? BigInt(a.value) : v6ToBigInt(a.words);
}

export class AddressSet {
  private readonly v4: [number, number][] = [];
  private readonly v6: [bigint, bigint][] = [];

  constructor(specs: readonly string[]) {
    for (const spec of specs) this.add(spec.trim());
  }

  private add(spec: string): void {
    const dash = spec.indexOf('-');
    if (dash >= 0) {
      const bad = (why: string) =>
        new RingfenceError(ErrorCodes.CIDR_INVALID, `address range ${quoteInput(spec)} ${why}`, spec);
      let lo: ParsedAddress;
      let hi: ParsedAddress;
      try {
        lo = parseAddress(spec.slice(0, dash).trim());
        hi = parseAddress(spec.slice(dash + 1).trim());
      } catch (e) {
        throw bad(`has an invalid end: ${(e as Error).message}`);
      }
      if (lo.family !== hi.family) throw bad('mixes IPv4 and IPv6');
      if (asBig(lo) > asBig(hi)) throw bad('ends before it starts');
      if (lo.family === 4 && hi.family === 4) this.v4.push([lo.value, hi.value]);
      else this.v6.push([asBig(lo), asBig(hi)]);
      return;
    }
    const cidr = parseCidr(spec);
    const base = parseAddress(cidr.address);
    if (cidr.family === 4 && base.family === 4) {
      const size = 2 ** (32 - cidr.prefix);
      this.v4.push([base.value, base.value + size - 1]);
    } else {
      const lo = asBig(base);
      this.v6.push([lo, lo + (1n << BigInt(128 - cidr.prefix)) - 1n]);
    }
  }

  has(address: ParsedAddress): boolean {
    if (address.family === 4) {
      for (const [lo, hi] of this.v4) if (address.value >= lo && address.value <= hi) return true;
      return false;
    }
    if (this.v6.length === 0) return false;
    const n = v6ToBigInt(address.words);
    for (const [lo, hi] of this.v6) if (n >= lo && n <= hi) return true;
    return false;
  }
}
