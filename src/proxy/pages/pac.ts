// The proxy auto-configuration file (PAC), served as /proxy.pac and /wpad.dat, so that school
// browsers find the proxy themselves. Local destinations (the bypass list) go DIRECT; everything
// else goes through the proxy, with no DIRECT fallback: if the proxy is down, browsing stops
// rather than going round the filter. (The firewall must still block direct traffic: a PAC file
// is a convenience, not enforcement.)
//
// The output is ES3, for every PAC engine (WinHTTP's JScript included), and uses only the standard
// PAC functions isPlainHostName, dnsDomainIs and dnsResolve. Limitations of the standard set:
// - isInNet and dnsResolve are IPv4-only, so IPv6 ranges are tested in plain JavaScript, and only
//   against IPv6 literals in URLs: a name that resolves only to IPv6 cannot be tested and goes to
//   the proxy. (isInNetEx/dnsResolveEx are Microsoft extensions, not used.)
// - Testing a name against the networks resolves it (dnsResolve); set resolveNames to false to
//   test only literal addresses (no DNS lookup per request, but intranet names then need to be
//   listed in the bypass domains).
import { ErrorCodes, RingfenceError, isRingfenceError, quoteInput } from '../../core/errors.ts';
import { canonicalHost } from '../../core/host/canonical.ts';
import { splitHostPort } from '../../core/host/hostport.ts';
import { parseCidr, parseIPv6 } from '../../core/net/ip.ts';

export const PAC_CONTENT_TYPE = 'application/x-ns-proxy-autoconfig';

export interface PacBypass {
  /** Domains reached directly, each with its subdomains: "school.internal" (a leading "*." or "." is allowed). */
  readonly domains?: readonly string[];
  /** CIDRs reached directly: "10.0.0.0/8", "fd00::/8". */
  readonly networks?: readonly string[];
}

export interface PacOptions {
  /** The proxy as browsers reach it: "host:port", "[v6]:port". */
  readonly proxy: string;
  /** The school's own bypass list, added to the defaults. */
  readonly bypass?: PacBypass;
  /** Bypass plain host names and DEFAULT_BYPASS too (default true). */
  readonly defaults?: boolean;
  /** Resolve names to test them against the networks (default true). */
  readonly resolveNames?: boolean;
}

/** Local destinations: mDNS names, loopback, RFC 1918, link-local, IPv6 loopback, ULA and link-local. */
export const DEFAULT_BYPASS = {
  domains: ['local'],
  networks: ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'],
} as const;

function bypassDomain(entry: string): string {
  const name = entry.startsWith('*.') ? entry.slice(2) : entry.startsWith('.') ? entry.slice(1) : entry;
  let host;
  try {
    host = canonicalHost(name, 'list');
  } catch (e) {
    if (isRingfenceError(e)) throw new RingfenceError(ErrorCodes.HOST_INVALID, `PAC bypass domain ${quoteInput(entry)} is not a domain name: ${e.message}`, entry);
    throw e;
  }
  if (host.kind !== 'domain') {
    const cidr = host.kind === 'ipv4' ? `${host.host}/32` : `${host.host}/128`;
    throw new RingfenceError(ErrorCodes.HOST_INVALID, `PAC bypass domain ${quoteInput(entry)} is an IP address: list it in the bypass networks (as ${cidr})`, entry);
  }
  return host.host;
}

function bypassNetwork(entry: string): { family: 4 | 6; address: string; prefix: number } {
  try {
    return parseCidr(entry);
  } catch (e) {
    if (isRingfenceError(e)) throw new RingfenceError(ErrorCodes.CIDR_INVALID, `PAC bypass network: ${e.message} (expected like 10.0.0.0/8 or fd00::/8)`, entry);
    throw e;
  }
}

/** "PROXY host:port" for the proxy option. */
function proxyDirective(proxy: string): string {
  const bad = (why: string): RingfenceError =>
    new RingfenceError(ErrorCodes.HOST_INVALID, `PAC proxy ${quoteInput(proxy)} ${why} (expected host:port, like proxy.school.example:3128)`, proxy);
  let hp;
  try {
    hp = splitHostPort(proxy, proxy, false);
  } catch (e) {
    if (isRingfenceError(e)) throw bad(`is not valid: ${e.message}`);
    throw e;
  }
  if (hp.port === null || hp.port === 0) throw bad('has no port');
  const host = hp.host.kind === 'ipv6' ? `[${hp.host.host}]` : hp.host.host;
  return `PROXY ${host}:${hp.port}`;
}

function v4Mask(prefix: number): string {
  const m = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [m >>> 24, (m >>> 16) & 0xff, (m >>> 8) & 0xff, m & 0xff].join('.');
}

// The runtime part of the PAC file. ES3 only: var, function, for loops, no Array.indexOf.
const RUNTIME = `
function rfIsIPv4(s) {
  var m = /^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$/.exec(s);
  return m != null && m[1] <= 255 && m[2] <= 255 && m[3] <= 255 && m[4] <= 255;
}

// An IPv6 literal as 8 numbers, or null.
function rfIPv6Words(s) {
  var zone = s.indexOf("%");
  if (zone >= 0) s = s.substring(0, zone);
  var tail = [];
  if (s.indexOf(".") >= 0) {
    // An IPv4 tail ("::ffff:10.0.0.1") makes the last two words.
    var last = s.lastIndexOf(":");
    var v4 = s.substring(last + 1);
    if (!rfIsIPv4(v4)) return null;
    var b = v4.split(".");
    tail = [b[0] * 256 + b[1] * 1, b[2] * 256 + b[3] * 1];
    s = s.substring(0, last + 1);
    if (s.substring(s.length - 2) != "::") s = s.substring(0, s.length - 1);
  }
  var halves = s.split("::");
  if (halves.length > 2) return null;
  var head = halves[0] == "" ? [] : halves[0].split(":");
  var rest = halves.length == 2 && halves[1] != "" ? halves[1].split(":") : [];
  var words = [], i;
  for (i = 0; i < head.length; i++) words.push(head[i]);
  var fill = 8 - head.length - rest.length - tail.length;
  if (halves.length == 2) { if (fill < 1) return null; for (i = 0; i < fill; i++) words.push("0"); }
  else if (fill != 0) return null;
  for (i = 0; i < rest.length; i++) words.push(rest[i]);
  for (i = 0; i < words.length; i++) {
    if (!/^[0-9a-f]{1,4}$/.test(words[i])) return null;
    words[i] = parseInt(words[i], 16);
  }
  for (i = 0; i < tail.length; i++) words.push(tail[i]);
  return words.length == 8 ? words : null;
}

function rfInV6(words) {
  for (var n = 0; n < RF_V6.length; n++) {
    var net = RF_V6[n][0], bits = RF_V6[n][1], ok = true;
    for (var i = 0; i < 8 && bits > 0 && ok; i++, bits -= 16) {
      var mask = bits >= 16 ? 0xffff : (0xffff << (16 - bits)) & 0xffff;
      if ((words[i] & mask) != net[i]) ok = false;
    }
    if (ok) return true;
  }
  return false;
}

function rfInV4(ip) {
  for (var n = 0; n < RF_V4.length; n++) if (isInNet(ip, RF_V4[n][0], RF_V4[n][1])) return true;
  return false;
}

function FindProxyForURL(url, host) {
  host = String(host).toLowerCase();
  if (host.charAt(0) == "[" && host.charAt(host.length - 1) == "]") host = host.substring(1, host.length - 1);
  if (host.charAt(host.length - 1) == ".") host = host.substring(0, host.length - 1);
  if (host == "") return RF_PROXY;
  // IPv6 literals first: they have no dots, so isPlainHostName would call them plain.
  if (host.indexOf(":") >= 0) {
    var w = rfIPv6Words(host);
    if (w == null) return RF_PROXY;
    if (w[0] == 0 && w[1] == 0 && w[2] == 0 && w[3] == 0 && w[4] == 0 && w[5] == 0xffff) {
      return rfInV4([w[6] >> 8, w[6] & 255, w[7] >> 8, w[7] & 255].join(".")) ? "DIRECT" : RF_PROXY;
    }
    return rfInV6(w) ? "DIRECT" : RF_PROXY;
  }
  if (rfIsIPv4(host)) return rfInV4(host) ? "DIRECT" : RF_PROXY;
  // A number alone (2130706433, 0x7f000001) is an address to some clients, not a plain name.
  if (RF_PLAIN && isPlainHostName(host) && !/^(0x[0-9a-f]*|[0-9]+)$/.test(host)) return "DIRECT";
  for (var d = 0; d < RF_DOMAINS.length; d++) {
    if (host == RF_DOMAINS[d] || dnsDomainIs(host, "." + RF_DOMAINS[d])) return "DIRECT";
  }
  if (RF_RESOLVE && RF_V4.length > 0) {
    var ip = dnsResolve(host);
    if (ip && rfIsIPv4(ip) && rfInV4(ip)) return "DIRECT";
  }
  return RF_PROXY;
}
`;

/** The PAC file's text. Throws RingfenceError (HOST_INVALID, CIDR_INVALID) naming a bad entry. */
export function proxyAutoConfig(options: PacOptions): string {
  const defaults = options.defaults ?? true;
  const domains = [...(defaults ? DEFAULT_BYPASS.domains : []), ...(options.bypass?.domains ?? [])].map(bypassDomain);
  const networks = [...(defaults ? DEFAULT_BYPASS.networks : []), ...(options.bypass?.networks ?? [])].map(bypassNetwork);
  const v4 = networks.filter((n) => n.family === 4).map((n) => [n.address, v4Mask(n.prefix)]);
  const v6 = networks.filter((n) => n.family === 6).map((n) => [Array.from(parseIPv6(n.address)!), n.prefix]);
  const unique = <T>(xs: T[]): T[] => [...new Map(xs.map((x) => [JSON.stringify(x), x])).values()];
  return [
    '// Ringfence proxy auto-configuration, generated: served as /proxy.pac and /wpad.dat.',
    '// Listed local destinations go DIRECT; everything else goes through the school filter.',
    `var RF_PROXY = ${JSON.stringify(proxyDirective(options.proxy))};`,
    `var RF_PLAIN = ${defaults};`,
    `var RF_RESOLVE = ${options.resolveNames ?? true};`,
    `var RF_DOMAINS = ${JSON.stringify(unique(domains))};`,
    `var RF_V4 = ${JSON.stringify(unique(v4))};`,
    `var RF_V6 = ${JSON.stringify(unique(v6))};`,
  ].join('\n') + '\n' + RUNTIME;
}
