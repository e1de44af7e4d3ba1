// Runs a PAC file the way a browser does: in a sandbox (node:vm) holding the Netscape PAC helper
// functions, written here as browsers ship them (the Netscape/Mozilla ascii_pac_utils, also used by
// Chromium), with dnsResolve and myIpAddress answered from a table instead of the network.
import vm from 'node:vm';

const HELPERS = `
function dnsDomainIs(host, domain) {
  return (host.length >= domain.length && host.substring(host.length - domain.length) == domain);
}
function dnsDomainLevels(host) { return host.split('.').length - 1; }
function isValidIpAddress(ipchars) {
  var matches = /^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$/.exec(ipchars);
  if (matches == null) return false;
  if (matches[1] > 255 || matches[2] > 255 || matches[3] > 255 || matches[4] > 255) return false;
  return true;
}
function convert_addr(ipchars) {
  var bytes = ipchars.split('.');
  return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16) | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
}
function isInNet(ipaddr, pattern, maskstr) {
  if (!isValidIpAddress(pattern) || !isValidIpAddress(maskstr)) return false;
  if (!isValidIpAddress(ipaddr)) {
    ipaddr = dnsResolve(ipaddr);
    if (ipaddr == null) return false;
  }
  var host = convert_addr(ipaddr);
  var pat = convert_addr(pattern);
  var mask = convert_addr(maskstr);
  return ((host & mask) == (pat & mask));
}
function isPlainHostName(host) { return (host.search('\\\\.') == -1); }
function isResolvable(host) { return (dnsResolve(host) != null); }
function localHostOrDomainIs(host, hostdom) {
  return (host == hostdom) || (hostdom.lastIndexOf(host + '.', 0) == 0);
}
function shExpMatch(url, pattern) {
  pattern = pattern.replace(/\\./g, '\\\\.');
  pattern = pattern.replace(/\\*/g, '.*');
  pattern = pattern.replace(/\\?/g, '.');
  var newRe = new RegExp('^' + pattern + '$');
  return newRe.test(url);
}
`;

export interface PacRun {
  /** FindProxyForURL(url, host) in the sandbox. */
  find(url: string, host: string): string;
  /** Names dnsResolve was asked for, in order. */
  readonly resolved: string[];
}

/** Loads `pac` with names resolving as in `dns` (anything else: null, as for NXDOMAIN). */
export function loadPac(pac: string, dns: Readonly<Record<string, string>> = {}): PacRun {
  const resolved: string[] = [];
  const context = vm.createContext({
    dnsResolve: (host: string): string | null => {
      resolved.push(host);
      return Object.hasOwn(dns, host) ? dns[host]! : null;
    },
    myIpAddress: (): string => '10.0.0.42',
    alert: (): void => {},
  });
  vm.runInContext(HELPERS, context);
  vm.runInContext(pac, context, { filename: 'proxy.pac' });
  const find = vm.runInContext('FindProxyForURL', context) as (url: string, host: string) => unknown;
  return {
    resolved,
    find(url, host) {
      const r = find(url, host);
      if (typeof r !== 'string') throw new Error(`FindProxyForURL returned ${typeof r}`);
      return r;
    },
  };
}

/** The host a browser passes for a URL (lower case, IPv6 without brackets). */
export function hostOf(url: string): string {
  return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
}
