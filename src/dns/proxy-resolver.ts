// Name resolution for the web proxy through the DNS pipeline, so proxied traffic gets the same
// canaries, safe-search CNAMEs, cache and upstreams as DNS clients. A first, AAAA when there is no A.
import { ErrorCodes, RingfenceError, quoteInput } from '../core/errors.ts';
import type { CanonicalHost } from '../core/host/canonical.ts';
import { formatIPv4, formatIPv6 } from '../core/net/ip.ts';
import type { DnsPipeline } from './pipeline.ts';
import { readRecord, rr, skipQuestions, u16 } from './wire/records.ts';
import { Rcode, RRType } from './wire/types.ts';

export interface ResolvedName {
  /** Addresses to connect to, in the upstream's order (IPv4 first when there are any). */
  readonly addresses: readonly string[];
  /** The safe-search name resolved instead (e.g. "forcesafesearch.google.com"), or null. */
  readonly via: string | null;
}

/** The addresses of type `type` in a response's answer section, or the response code when it has none. */
function answerAddresses(resp: Uint8Array, type: number): { rcode: number; addresses: string[] } {
  const addresses: string[] = [];
  if (resp.length < 12) return { rcode: Rcode.SERVFAIL, addresses };
  const rcode = u16(resp, 2) & 0xf;
  let off = skipQuestions(resp, 12, u16(resp, 4));
  const count = u16(resp, 6);
  for (let i = 0; i < count && off >= 0; i++) {
    off = readRecord(resp, off);
    if (off < 0) break;
    if (rr.type !== type) continue; // CNAMEs lead to the records after them
    if (type === RRType.A && rr.rdLen === 4) {
      const o = rr.rdOff;
      addresses.push(formatIPv4(((resp[o]! << 24) | (resp[o + 1]! << 16) | (resp[o + 2]! << 8) | resp[o + 3]!) >>> 0));
    } else if (type === RRType.AAAA && rr.rdLen === 16) {
      const words: number[] = [];
      for (let k = 0; k < 8; k++) words.push(u16(resp, rr.rdOff + k * 2));
      addresses.push(formatIPv6(words));
    }
  }
  return { rcode, addresses };
}

/** How long a resolved name is reused without asking the pipeline again (its cache keeps the TTLs). */
const MEMO_MS = 1_000;
const MEMO_MAX = 10_000;

export class PipelineResolver {
  // Every request of a busy page asks the same names: a one-second memo in front of the pipeline's
  // cache spares the DNS message work per request. Keyed by groups too: safe search depends on them.
  private readonly memo = new Map<string, { readonly name: ResolvedName; readonly until: number }>();

  constructor(
    private readonly pipeline: DnsPipeline,
    private readonly now: () => number = Date.now,
  ) {}

  /** Rejects with NAME_NOT_FOUND (no such name, or no addresses) or UPSTREAM_UNREACHABLE. */
  async resolve(host: CanonicalHost, groups: readonly string[]): Promise<ResolvedName> {
    if (host.kind !== 'domain') return { addresses: [host.host], via: null };
    const key = groups.length === 0 ? host.host : `${host.host} ${groups.join(' ')}`;
    const now = this.now();
    const hit = this.memo.get(key);
    if (hit !== undefined && hit.until > now) return hit.name;
    const name = await this.lookup(host, groups);
    if (this.memo.size >= MEMO_MAX) this.memo.clear();
    this.memo.set(key, { name, until: now + MEMO_MS });
    return name;
  }

  private async lookup(host: CanonicalHost, groups: readonly string[]): Promise<ResolvedName> {
    const a = await this.ask(host, RRType.A, groups);
    if (a.addresses.length > 0 || a.rcode === Rcode.NXDOMAIN) return this.found(host, a);
    return this.found(host, await this.ask(host, RRType.AAAA, groups));
  }

  private async ask(host: CanonicalHost, type: number, groups: readonly string[]): Promise<{ rcode: number; addresses: string[]; via: string | null }> {
    let answer;
    try {
      answer = await this.pipeline.lookup(host, type, groups);
    } catch (e) {
      throw new RingfenceError(ErrorCodes.UPSTREAM_UNREACHABLE, `no DNS answer for ${quoteInput(host.host)}: ${(e as Error).message}`, host.host);
    }
    // A circumvention canary (e.g. use-application-dns.net) has no addresses, on purpose.
    if (answer.response === null) return { rcode: Rcode.NXDOMAIN, addresses: [], via: null };
    return { ...answerAddresses(answer.response, type), via: answer.via };
  }

  private found(host: CanonicalHost, r: { rcode: number; addresses: string[]; via: string | null }): ResolvedName {
    if (r.rcode === Rcode.SERVFAIL) {
      throw new RingfenceError(ErrorCodes.UPSTREAM_UNREACHABLE, `the DNS upstream failed to resolve ${quoteInput(host.host)}`, host.host);
    }
    if (r.addresses.length === 0) {
      throw new RingfenceError(ErrorCodes.NAME_NOT_FOUND, `${quoteInput(host.host)} has no address`, host.host);
    }
    return { addresses: r.addresses, via: r.via };
  }
}
