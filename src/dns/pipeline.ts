// One DNS query in, one answer out: parse → who is asking → canaries → policy decision → block,
// safe-search CNAME, cached or forwarded answer → log. The servers (UDP, TCP, DoH) only move bytes.
import { IsoTime } from '../core/activity/iso-time.ts';
import type { ActivityRecord } from '../core/activity/record.ts';
import type { ClientIdentity } from '../core/directory/client-map.ts';
import { isRingfenceError } from '../core/errors.ts';
import { canonicalHost, type CanonicalHost } from '../core/host/canonical.ts';
import type { Decision } from '../core/policy/decision.ts';
import { circumventionCanary } from '../core/policy/circumvention.ts';
import { safeSearchRewrite } from '../core/policy/safe-search.ts';
import { AddressMemo } from '../core/net/address-memo.ts';
import type { LiveEnforcement } from '../services/live-enforcement.ts';
import type { ActivityLog } from '../services/ports.ts';
import { blockSoa, buildAddressAnswer, buildAnyMinimal, buildCnameAnswer, buildFormErr, buildRcode, fitUdp } from './wire/build.ts';
import type { ResponseCache } from './wire/cache.ts';
import { parseQuery } from './wire/query.ts';
import { answerFromStored, storedExtRcode, storedForm, storedQuestionEnd, stripHttpsHints } from './wire/response.ts';
import { Rcode, RRType, type DnsQuery } from './wire/types.ts';
import { typeName } from './type-names.ts';

export type BlockAnswer =
  | { readonly mode: 'nxdomain' }
  | { readonly mode: 'null' }
  | { readonly mode: 'address'; readonly ipv4: readonly string[]; readonly ipv6: readonly string[] };

export interface PipelineOptions {
  readonly blockAnswer: BlockAnswer;
  /** TTL of the answers Ringfence makes itself (blocks, canaries, safe-search CNAMEs). */
  readonly answerTtl: number;
}

export interface Upstream {
  /** `question`: the question in wire form when the caller has it (the query's own bytes). */
  resolve(name: string, type: number, klass: number, dnssecOk: boolean, question?: Uint8Array): Promise<Uint8Array>;
}

export interface QueryClient {
  readonly address: string;
  readonly transport: 'udp' | 'tcp' | 'doh';
  /** Set when the transport identified the device itself (a DoH token). */
  readonly identity?: ClientIdentity;
  readonly device?: string | null;
}

export interface PipelineStats {
  queries: number;
  dropped: number;
  formerr: number;
  blocked: number;
  cached: number;
  forwarded: number;
  servfail: number;
}

const IN = 1;
const OPCODE_MASK = 0x7800;
const NULL_ANSWER = { ipv4: ['0.0.0.0'], ipv6: ['::'] } as const;

type Answer = Uint8Array | Promise<Uint8Array> | null;

/** What lookup() found: the upstream response (null for a circumvention canary) and the safe-search name asked instead. */
export interface LookupAnswer {
  readonly response: Uint8Array | null;
  readonly via: string | null;
}

export class DnsPipeline {
  readonly stats: PipelineStats = { queries: 0, dropped: 0, formerr: 0, blocked: 0, cached: 0, forwarded: 0, servfail: 0 };
  private readonly addresses = new AddressMemo();
  private readonly iso = new IsoTime();

  constructor(
    private readonly enforcement: LiveEnforcement,
    private readonly upstream: Upstream,
    private readonly cache: ResponseCache,
    private readonly log: ActivityLog,
    private readonly options: PipelineOptions,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer to `msg` (bytes to send), a promise of it, or null to send nothing. Never throws. */
  handle(msg: Uint8Array, client: QueryClient): Answer {
    this.stats.queries++;
    const parsed = parseQuery(msg);
    if (parsed.kind === 'drop') {
      this.stats.dropped++;
      return null;
    }
    if (parsed.kind === 'formerr') {
      this.stats.formerr++;
      return buildFormErr(parsed.id, parsed.flags);
    }
    const q = parsed.query;
    const started = performance.now();
    const udp = client.transport === 'udp';
    if ((q.flags & OPCODE_MASK) !== 0) return buildRcode(q, msg, Rcode.NOTIMP);
    if (q.class !== IN) return buildRcode(q, msg, Rcode.REFUSED);

    const enforcing = this.enforcement.current();
    const identity = client.identity ?? enforcing.clients.identify(client.address);
    // The root (priming queries, ". NS") names no site: forward it as it is.
    if (q.name === '') return this.forward(q, msg, q.name, client, identity, started, null, udp);
    let host: CanonicalHost;
    try {
      host = canonicalHost(q.name, 'dns');
    } catch (e) {
      if (!isRingfenceError(e)) throw e;
      // Names no list can hold (odd bytes, bad punycode) cannot be filtered: refuse them.
      this.record(q, client, identity, started, null, 'refused', 'block', 'REFUSED');
      return buildRcode(q, msg, Rcode.REFUSED);
    }

    const canary = circumventionCanary(host.host);
    if (canary) {
      this.record(q, client, identity, started, null, 'canary', 'block', 'NXDOMAIN');
      return fit(buildRcode(q, msg, Rcode.NXDOMAIN, blockSoa(q, this.options.answerTtl)), q, msg, udp);
    }

    const decision = enforcing.engine.decideParsed(host, null, identity, this.addresses.of(client.address), this.now());
    if (decision.action === 'block') {
      this.stats.blocked++;
      this.record(q, client, identity, started, decision, 'blocked', 'block', this.options.blockAnswer.mode === 'nxdomain' ? 'NXDOMAIN' : 'NOERROR');
      return fit(this.blockResponse(q, msg), q, msg, udp);
    }
    if (q.type === RRType.ANY) {
      this.record(q, client, identity, started, decision, 'any-minimal', 'allow', 'NOERROR');
      return fit(buildAnyMinimal(q, msg, this.options.answerTtl), q, msg, udp);
    }
    const safe = host.kind === 'domain' ? safeSearchRewrite(host.host, enforcing.engine.compiled.policy.safeSearch, identity.groups) : null;
    if (safe) {
      const ttl = this.options.answerTtl;
      const answer = (upstream: Uint8Array | null) => {
        this.record(q, client, identity, started, decision, `safe-search:${safe.engine}`, 'allow', 'NOERROR');
        return fit(buildCnameAnswer(q, msg, { target: safe.target, ttl, upstream }), q, msg, udp);
      };
      const cached = this.cache.response(safe.target, q.type, q.class, q.edns?.dnssecOk ?? false);
      if (cached) return answer(cached);
      return this.fetch(safe.target, q).then(answer, () => answer(null));
    }
    return this.forward(q, msg, q.name, client, identity, started, decision, udp);
  }

  /**
   * The upstream answer for `name` as the proxy needs it: the same canaries, safe-search CNAMEs and
   * cache as a DNS client gets, but no policy decision (the proxy has decided on the whole URL) and
   * no DNS log line (the proxy logs the request). Rejects when the name cannot be resolved.
   */
  async lookup(host: CanonicalHost, type: number, groups: readonly string[]): Promise<LookupAnswer> {
    if (host.kind !== 'domain') throw new Error('lookup needs a domain name');
    if (circumventionCanary(host.host)) return { response: null, via: null };
    const safe = safeSearchRewrite(host.host, this.enforcement.current().engine.compiled.policy.safeSearch, groups);
    const name = safe ? safe.target : host.host;
    const response = this.cache.response(name, type, IN, false) ?? (await this.fetchFor(name, type));
    return { response, via: safe ? name : null };
  }

  private async fetchFor(name: string, type: number): Promise<Uint8Array> {
    const response = await this.upstream.resolve(name, type, IN, false);
    this.cache.put(name, type, IN, false, response);
    return response;
  }

  // Who asked travels as arguments, not an object: the cached path allocates nothing for it.
  private forward(q: DnsQuery, msg: Uint8Array, name: string, client: QueryClient, identity: ClientIdentity, started: number, decision: Decision | null, udp: boolean): Answer {
    const cached = this.cache.answer(name, q, msg);
    if (cached !== null) {
      this.stats.cached++;
      this.record(q, client, identity, started, decision, 'cached', 'allow', null);
      return fit(cached, q, msg, udp);
    }
    return this.forwardMiss(q, msg, name, client, identity, started, decision, udp);
  }

  private async forwardMiss(q: DnsQuery, msg: Uint8Array, name: string, client: QueryClient, identity: ClientIdentity, started: number, decision: Decision | null, udp: boolean): Promise<Uint8Array> {
    const dnssecOk = q.edns?.dnssecOk ?? false;
    let response: Uint8Array;
    try {
      // The query's question bytes go upstream as they are (the root's too): no name to encode.
      response = await this.upstream.resolve(name, q.type, q.class, dnssecOk, msg.subarray(12, q.questionEnd));
    } catch {
      this.stats.servfail++;
      this.record(q, client, identity, started, decision, 'servfail', 'allow', 'SERVFAIL');
      return buildRcode(q, msg, Rcode.SERVFAIL);
    }
    if (q.type === RRType.HTTPS || q.type === RRType.SVCB) response = stripHttpsHints(response);
    // One stored form (checked, OPT removed) serves both the cache and this client's answer.
    const form = storedForm(response);
    let answer: Uint8Array;
    if (form === null) answer = buildRcode(q, msg, Rcode.SERVFAIL);
    else {
      const qEnd = storedQuestionEnd;
      const ext = storedExtRcode;
      this.cache.putStored(name, q.type, q.class, dnssecOk, form, qEnd, ext);
      answer = answerFromStored(form, qEnd, ext, q, msg);
    }
    this.stats.forwarded++;
    this.record(q, client, identity, started, decision, 'forwarded', 'allow', null);
    return fit(answer, q, msg, udp);
  }

  /** Asks upstream and caches the answer (HTTPS/SVCB answers lose their ECH and HTTP/3 hints first). */
  private async fetch(name: string, q: DnsQuery): Promise<Uint8Array> {
    let response = await this.upstream.resolve(name, q.type, q.class, q.edns?.dnssecOk ?? false);
    if (q.type === RRType.HTTPS || q.type === RRType.SVCB) response = stripHttpsHints(response);
    this.cache.put(name, q.type, q.class, q.edns?.dnssecOk ?? false, response);
    return response;
  }

  private blockResponse(q: DnsQuery, msg: Uint8Array): Uint8Array {
    const b = this.options.blockAnswer;
    const soa = blockSoa(q, this.options.answerTtl);
    if (b.mode === 'nxdomain') return buildRcode(q, msg, Rcode.NXDOMAIN, soa);
    const addresses = b.mode === 'null' ? NULL_ANSWER : b;
    return buildAddressAnswer(q, msg, { ipv4: addresses.ipv4, ipv6: addresses.ipv6, ttl: this.options.answerTtl, soa });
  }

  private record(q: DnsQuery, client: QueryClient, identity: ClientIdentity, started: number, d: Decision | null, answer: string, action: 'allow' | 'block', rcode: string | null): void {
    const record: ActivityRecord = {
      time: this.iso.of(this.now()),
      source: 'dns',
      transport: client.transport,
      client: client.address,
      user: identity.user,
      device: client.device ?? null,
      groups: identity.groups,
      name: q.name,
      type: typeName(q.type),
      action,
      answer,
      tier: d?.tier ?? null,
      verdict: d?.verdict ?? null,
      category: d?.category ?? null,
      rule: d?.rule ?? null,
      list: d?.list ?? null,
      rcode: rcode ?? undefined, // one shape for every record; absent from the line when undefined
      latencyMs: Math.round((performance.now() - started) * 1000) / 1000,
    };
    this.log.append(record);
  }
}

/** UDP answers that do not fit the client's buffer become truncated ones (TC: retry over TCP). */
function fit(response: Uint8Array, q: DnsQuery, msg: Uint8Array, udp: boolean): Uint8Array {
  return udp ? fitUdp(response, q, msg) : response;
}
