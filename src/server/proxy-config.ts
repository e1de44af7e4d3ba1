// Configuration of the web proxy: parsed from command-line options, validated, frozen. Every key
// is documented in docs/PROXY.md.
import { quoteInput } from '../core/errors.ts';
import { AddressSet } from '../core/policy/address-set.ts';
import { checkConsoleUrl } from '../proxy/pages/block-page.ts';
import { DEFAULT_PROXY_OPTIONS, type AuthMode, type ProxyOptions } from '../proxy/types.ts';
import { optionError, parseHostPort, type HostPort } from './dns-config.ts';

export interface ProxyConfig {
  readonly listen: HostPort;
  readonly upstreamDns: readonly HostPort[];
  readonly dataDir: string;
  readonly clientsFile: string | null;
  /** Memory for the proxy's own DNS answer cache, bytes. */
  readonly cacheBytes: number;
  readonly proxy: ProxyOptions;
  readonly reloadCheckMs: number;
}

export interface ProxyOptionsInput {
  data: string;
  listen?: string;
  'upstream-dns'?: string;
  clients?: string;
  'allow-ports'?: string;
  auth?: string;
  'auth-network'?: string[];
  'console-url'?: string;
  'pac-proxy'?: string;
  'pac-bypass'?: string;
  'max-header-kb'?: string;
  'max-client-connections'?: string;
  'connect-timeout'?: string;
  'idle-timeout'?: string;
  'headers-timeout'?: string;
  'allow-non-tls-tunnels'?: boolean;
  'cache-mb'?: string;
}

function wholeNumber(text: string | undefined, option: string, fallback: number, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) throw optionError(option, `expected a whole number from ${min} to ${max}, not ${quoteInput(text)}`, text);
  return Number(text);
}

function authMode(text: string, option: string): AuthMode {
  if (text === 'off' || text === 'optional' || text === 'required') return text;
  throw optionError(option, `${quoteInput(text)} is not one of off, optional, required`, text);
}

function ports(text: string): ReadonlySet<number> {
  const out = new Set<number>();
  for (const p of text.split(',')) out.add(wholeNumber(p.trim(), 'allow-ports', 0, 1, 65535));
  return out;
}

function authNetworks(specs: readonly string[]): ProxyOptions['authNetworks'] {
  return specs.map((spec) => {
    const eq = spec.lastIndexOf('=');
    if (eq < 0) throw optionError('auth-network', `${quoteInput(spec)} is not CIDR=MODE (e.g. 10.20.0.0/16=required)`, spec);
    const mode = authMode(spec.slice(eq + 1), 'auth-network');
    try {
      return Object.freeze({ where: new AddressSet([spec.slice(0, eq)]), mode });
    } catch (e) {
      throw optionError('auth-network', (e as Error).message, spec);
    }
  });
}

function consoleUrl(text: string): string {
  try {
    return checkConsoleUrl(text).replace(/\/$/, '');
  } catch (e) {
    throw optionError('console-url', (e as Error).message, text);
  }
}

function hostPortText(hp: HostPort): string {
  return hp.host.includes(':') ? `[${hp.host}]:${hp.port}` : `${hp.host}:${hp.port}`;
}

export function parseProxyConfig(o: ProxyOptionsInput): ProxyConfig {
  if (!o['upstream-dns']) throw optionError('upstream-dns', 'give the DNS resolvers the proxy looks names up with, e.g. --upstream-dns 192.0.2.53:53');
  const d = DEFAULT_PROXY_OPTIONS;
  const bypass = (o['pac-bypass'] ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const isNetwork = (b: string) => /^[0-9.:[\]]+(\/\d+)?$/.test(b);
  const idleTimeoutMs = wholeNumber(o['idle-timeout'], 'idle-timeout', d.idleTimeoutMs / 1000) * 1000;
  const proxy: ProxyOptions = Object.freeze({
    allowPorts: o['allow-ports'] ? ports(o['allow-ports']) : d.allowPorts,
    authNetworks: Object.freeze(authNetworks(o['auth-network'] ?? [])),
    authDefault: authMode(o.auth ?? d.authDefault, 'auth'),
    consoleUrl: consoleUrl(o['console-url'] ?? d.consoleUrl),
    pacProxy: o['pac-proxy'] ? hostPortText(parseHostPort(o['pac-proxy'], 'pac-proxy')) : null,
    pacBypass: Object.freeze({
      domains: Object.freeze(bypass.filter((b) => !isNetwork(b))),
      networks: Object.freeze(bypass.filter(isNetwork)),
    }),
    maxHeaderBytes: wholeNumber(o['max-header-kb'], 'max-header-kb', d.maxHeaderBytes / 1024, 1, 256) * 1024,
    maxConnectionsPerClient: wholeNumber(o['max-client-connections'], 'max-client-connections', d.maxConnectionsPerClient),
    maxConnections: d.maxConnections,
    connectTimeoutMs: wholeNumber(o['connect-timeout'], 'connect-timeout', d.connectTimeoutMs / 1000) * 1000,
    idleTimeoutMs,
    headersTimeoutMs: wholeNumber(o['headers-timeout'], 'headers-timeout', d.headersTimeoutMs / 1000) * 1000,
    helloTimeoutMs: Math.min(d.helloTimeoutMs, idleTimeoutMs),
    allowNonTlsTunnels: o['allow-non-tls-tunnels'] ?? false,
  });
  return Object.freeze({
    listen: parseHostPort(o.listen ?? '0.0.0.0:3128', 'listen'),
    upstreamDns: Object.freeze(o['upstream-dns'].split(',').map((u) => parseHostPort(u.trim(), 'upstream-dns'))),
    dataDir: o.data,
    clientsFile: o.clients ?? null,
    cacheBytes: wholeNumber(o['cache-mb'], 'cache-mb', 16) * 2 ** 20,
    proxy,
    reloadCheckMs: 1000,
  });
}
