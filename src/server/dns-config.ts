// Configuration of the DNS service: parsed from command-line options, validated, frozen. Every key
// is documented in docs/DNS.md.
import { ErrorCodes, RingfenceError, quoteInput } from '../core/errors.ts';
import { parseIPv4, parseIPv6 } from '../core/net/ip.ts';
import type { BlockAnswer } from '../dns/pipeline.ts';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export interface DnsConfig {
  /** Where DNS is answered over UDP and TCP. */
  readonly listen: HostPort;
  /** Resolvers to forward allowed names to, tried in order of health. */
  readonly upstreams: readonly HostPort[];
  readonly dataDir: string;
  /** `address-or-cidr,group[,user]` per line; clients not listed get the default tier only. */
  readonly clientsFile: string | null;
  readonly blockAnswer: BlockAnswer;
  /** TTL of answers Ringfence makes (blocks, canaries, safe-search CNAMEs), seconds. */
  readonly answerTtl: number;
  readonly cacheBytes: number;
  /** Queries per second per client address (0: off), and the burst allowed. */
  readonly rateLimit: { readonly perSecond: number; readonly burst: number };
  readonly doh: { readonly listen: HostPort; readonly certFile: string; readonly keyFile: string; readonly tokensFile: string | null } | null;
  /** How often to look for a new policy, snapshot or clients file, ms. */
  readonly reloadCheckMs: number;
}

/** An error naming the command-line option that was wrong. */
export function optionError(option: string, message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.ARGUMENT_INVALID, `--${option}: ${message}`, input);
}

export function parseHostPort(text: string, option: string): HostPort {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:]+):(\d+)$/.exec(text);
  if (!m) throw optionError(option, `${quoteInput(text)} is not ADDRESS:PORT (e.g. 127.0.0.1:53 or [::1]:53)`, text);
  const [, host, portText] = m as unknown as [string, string, string];
  if (parseIPv4(host) === null && parseIPv6(host) === null && host !== 'localhost') {
    throw optionError(option, `${quoteInput(host)} is not an IP address`, text);
  }
  const port = Number(portText);
  if (port > 65535) throw optionError(option, `port ${port} is out of range (0–65535)`, text);
  return { host, port };
}

export function parseBlockAnswer(text: string): BlockAnswer {
  if (text === 'nxdomain') return { mode: 'nxdomain' };
  if (text === 'null') return { mode: 'null' };
  const m = /^address:(.+)$/.exec(text);
  if (m) {
    const ipv4: string[] = [];
    const ipv6: string[] = [];
    for (const a of m[1]!.split(',')) {
      if (parseIPv4(a) !== null) ipv4.push(a);
      else if (parseIPv6(a) !== null) ipv6.push(a);
      else throw optionError('block-answer', `${quoteInput(a)} is not an IP address`, text);
    }
    return { mode: 'address', ipv4, ipv6 };
  }
  throw optionError('block-answer', `expected nxdomain, null or address:IP[,IP], not ${quoteInput(text)}`, text);
}

function positiveInt(text: string, option: string, min = 0): number {
  if (!/^\d+$/.test(text) || Number(text) < min) throw optionError(option, `expected a whole number ≥ ${min}, not ${quoteInput(text)}`, text);
  return Number(text);
}

export interface DnsOptionsInput {
  listen?: string;
  upstream?: string;
  data: string;
  clients?: string;
  'block-answer'?: string;
  'answer-ttl'?: string;
  'cache-mb'?: string;
  'rate-limit'?: string;
  'doh-listen'?: string;
  'tls-cert'?: string;
  'tls-key'?: string;
  'doh-tokens'?: string;
}

export function parseDnsConfig(o: DnsOptionsInput): DnsConfig {
  if (!o.upstream) throw optionError('upstream', 'give the resolvers to forward to, e.g. --upstream 192.0.2.53:53,192.0.2.54:53');
  const upstreams = o.upstream.split(',').map((u) => parseHostPort(u.trim(), 'upstream'));
  const rate = o['rate-limit'] ?? '1000';
  const [perSecond, burst] = rate.includes('/') ? rate.split('/') : [rate, String(Number(rate) * 2)];
  let doh: DnsConfig['doh'] = null;
  if (o['doh-listen']) {
    if (!o['tls-cert'] || !o['tls-key']) throw optionError('doh-listen', 'DNS over HTTPS needs --tls-cert FILE and --tls-key FILE');
    doh = Object.freeze({ listen: parseHostPort(o['doh-listen'], 'doh-listen'), certFile: o['tls-cert'], keyFile: o['tls-key'], tokensFile: o['doh-tokens'] ?? null });
  }
  return Object.freeze({
    listen: parseHostPort(o.listen ?? '0.0.0.0:53', 'listen'),
    upstreams: Object.freeze(upstreams),
    dataDir: o.data,
    clientsFile: o.clients ?? null,
    blockAnswer: parseBlockAnswer(o['block-answer'] ?? 'null'),
    answerTtl: positiveInt(o['answer-ttl'] ?? '60', 'answer-ttl'),
    cacheBytes: positiveInt(o['cache-mb'] ?? '64', 'cache-mb') * 2 ** 20,
    rateLimit: Object.freeze({ perSecond: positiveInt(perSecond!, 'rate-limit'), burst: positiveInt(burst!, 'rate-limit') }),
    doh,
    reloadCheckMs: 1000,
  });
}
