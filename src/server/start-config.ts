// Configuration of the single-process start (`npm start`, `ringfence start`): parsed from options,
// validated, frozen. Every key is documented in docs/START.md.
import { readFileSync } from 'node:fs';
import { quoteInput } from '../core/errors.ts';
import { parseIPv4, parseIPv6 } from '../core/net/ip.ts';
import { databaseConfigFromEnv, type DatabaseConfig } from '../storage/sql/config.ts';
import { optionError, parseHostPort, type HostPort } from './dns-config.ts';

export interface StartConfig {
  readonly dataDir: string;
  /** The API and the console. */
  readonly http: HostPort;
  readonly dns: HostPort;
  readonly proxy: HostPort;
  /** Resolvers the DNS server and the proxy forward allowed names to. */
  readonly upstreams: readonly HostPort[];
  /** Where the upstreams came from, for the start-up message. */
  readonly upstreamSource: string;
  /** The name of the first school, made at the first start. */
  readonly schoolName: string;
  readonly timeZone: string;
  /** PostgreSQL when DATABASE_URL is set; SQLite in the data folder otherwise. */
  readonly database: DatabaseConfig;
  /** How often to move new activity from the log files into the database, ms. */
  readonly ingestEveryMs: number;
  /** How often to expire unblock rules, prune activity and end stale sessions, ms. */
  readonly housekeepingEveryMs: number;
  readonly smtp: { readonly host: string; readonly port: number; readonly from: string } | null;
}

export interface StartOptionsInput {
  data: string;
  http?: string;
  dns?: string;
  proxy?: string;
  upstream?: string;
  'school-name'?: string;
  'time-zone'?: string;
  smtp?: string;
  'mail-from'?: string;
}

/** The nameservers in resolv.conf that are not this machine's own stub (which may be us). */
export function systemResolvers(resolvConf: string): HostPort[] {
  const out: HostPort[] = [];
  for (const line of resolvConf.split('\n')) {
    const m = /^\s*nameserver\s+(\S+)/.exec(line);
    if (!m) continue;
    const host = m[1]!.replace(/%.*$/, '');
    if (parseIPv4(host) === null && parseIPv6(host) === null) continue;
    out.push({ host, port: 53 });
  }
  return out;
}

function readResolvConf(): string {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
}

export function parseStartConfig(o: StartOptionsInput, env: NodeJS.ProcessEnv = process.env, resolvConf: () => string = readResolvConf): StartConfig {
  let upstreams: HostPort[];
  let upstreamSource: string;
  if (o.upstream) {
    upstreams = o.upstream.split(',').map((u) => parseHostPort(u.trim(), 'upstream'));
    upstreamSource = '--upstream';
  } else {
    upstreams = systemResolvers(resolvConf());
    upstreamSource = '/etc/resolv.conf';
    if (upstreams.length === 0) throw optionError('upstream', 'no nameserver in /etc/resolv.conf; give the resolvers to forward to, e.g. --upstream 192.0.2.53:53');
  }
  const dns = parseHostPort(o.dns ?? '127.0.0.1:8053', 'dns');
  // Forwarding to ourselves would loop every query until it timed out.
  if (upstreams.some((u) => u.port === dns.port && (u.host === dns.host || dns.host === '0.0.0.0'))) {
    throw optionError('upstream', `the upstream ${upstreams.map((u) => `${u.host}:${u.port}`).join(',')} is this DNS server itself; give another resolver`);
  }
  let smtp: StartConfig['smtp'] = null;
  if (o.smtp) {
    const hp = parseHostPort(o.smtp, 'smtp');
    const from = o['mail-from'] ?? 'ringfence@localhost';
    if (!/^[^\s@]+@[^\s@]+$/.test(from)) throw optionError('mail-from', `${quoteInput(from)} is not an email address`, from);
    smtp = Object.freeze({ host: hp.host, port: hp.port, from });
  }
  return Object.freeze({
    dataDir: o.data,
    http: parseHostPort(o.http ?? '127.0.0.1:8080', 'http'),
    dns,
    proxy: parseHostPort(o.proxy ?? '127.0.0.1:3128', 'proxy'),
    upstreams: Object.freeze(upstreams),
    upstreamSource,
    schoolName: (o['school-name'] ?? 'Our school').trim() || 'Our school',
    timeZone: o['time-zone'] ?? 'Europe/London',
    database: databaseConfigFromEnv(env, o.data),
    ingestEveryMs: 5000,
    housekeepingEveryMs: 60_000,
    smtp,
  });
}
