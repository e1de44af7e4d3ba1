// Parses one line of a category list file into a canonical entry. Pure: no I/O, never throws for any input.
import { isRingfenceError, quoteInput } from '../errors.ts';
import { canonicalHost, type CanonicalHost } from '../host/canonical.ts';
import { parseCidr } from '../net/ip.ts';
import type { ListEntry } from './entry.ts';

export type LineFormat = 'hosts' | 'domains' | 'adblock' | 'ut1-domains' | 'ut1-urls';

export type ParsedLine =
  | { readonly kind: 'skip' }
  /** `more` only appears for hosts lines naming several hosts (`0.0.0.0 a.com b.com`): the names after the first. */
  | { readonly kind: 'entry'; readonly entry: ListEntry; readonly more?: readonly ListEntry[] }
  | { readonly kind: 'bad'; readonly reason: string };

const SKIP: ParsedLine = { kind: 'skip' };
const bad = (reason: string): ParsedLine => ({ kind: 'bad', reason });
const entryOf = (entry: ListEntry): ParsedLine => ({ kind: 'entry', entry });

/** Thrown by the helpers below and turned into a `bad` line; RingfenceErrors carry the user-facing reason. */
class LineError extends Error {}

export function parseListLine(line: string, format: LineFormat): ParsedLine {
  const text = line.trim(); // also drops \r of CRLF files and a UTF-8 BOM
  if (text === '') return SKIP;
  try {
    switch (format) {
      case 'hosts':
        return parseHostsLine(text);
      case 'domains':
        return parseDomainsLine(text);
      case 'adblock':
        return parseAdblockLine(text);
      case 'ut1-domains':
        return parseUt1DomainLine(text);
      case 'ut1-urls':
        return parseUt1UrlLine(text);
    }
  } catch (e) {
    if (isRingfenceError(e) || e instanceof LineError) return bad(e.message);
    throw e;
  }
}

// ---- hosts: `ADDRESS name [name…] [# comment]` ----

const WHITESPACE = /\s+/;
const LOCAL_NAMES = new Set([
  'localhost', 'localhost.localdomain', 'local', 'broadcasthost', 'localhost4', 'localhost6',
  'localhost4.localdomain4', 'localhost6.localdomain6', 'ip6-localhost', 'ip6-loopback', 'ip6-localnet',
  'ip6-mcastprefix', 'ip6-allnodes', 'ip6-allrouters', 'ip6-allhosts',
]);

function isLocalName(name: string): boolean {
  const n = name.toLowerCase().replace(/\.$/, '');
  return LOCAL_NAMES.has(n) || n.endsWith('.localhost') || n.endsWith('.localdomain');
}

/** Only "sink" addresses block; a hosts line pointing a name at a real address (e.g. a SafeSearch VIP) is not a block. */
function isSinkAddress(address: string): boolean {
  let canonical: CanonicalHost;
  try {
    canonical = canonicalHost(address, 'list');
  } catch {
    return false;
  }
  if (canonical.kind === 'ipv4') return canonical.host === '0.0.0.0' || canonical.host.startsWith('127.');
  if (canonical.kind === 'ipv6') return canonical.host === '::' || canonical.host === '::1';
  return false;
}

function parseHostsLine(text: string): ParsedLine {
  if (text.startsWith('#')) return SKIP;
  const tokens = stripTrailingComment(text).split(WHITESPACE);
  const address = tokens[0] ?? '';
  if (tokens.length < 2) return bad(`expected "ADDRESS name", found a single word ${quoteInput(clip(address))}`);
  // Standard hosts-file boilerplate (`255.255.255.255 broadcasthost`, `fe80::1%lo0 localhost`) names no site.
  if (tokens.slice(1).every(isLocalName)) return SKIP;
  if (!isSinkAddress(address)) {
    return bad(`address ${quoteInput(clip(address))} is not a blocking address (0.0.0.0, 127.0.0.1, ::, ::1)`);
  }
  const entries: ListEntry[] = [];
  for (const name of tokens.slice(1)) {
    if (isLocalName(name)) continue;
    const host = canonicalHost(name, 'list');
    if (host.kind !== 'domain') continue; // `0.0.0.0 0.0.0.0` and the like name no site
    entries.push({ kind: 'domain', host: host.host });
  }
  const [first, ...more] = entries;
  if (!first) return SKIP;
  return more.length > 0 ? { kind: 'entry', entry: first, more } : entryOf(first);
}

/** Drops ` # comment` after an entry; a `#` not preceded by whitespace stays (and is then rejected as part of a name). */
function stripTrailingComment(text: string): string {
  const m = /\s#/.exec(text);
  return m ? text.slice(0, m.index).trimEnd() : text;
}

// ---- plain domains: a name, an address, a CIDR block, or host/path ----

const CIDR_SUFFIX = /^\d{1,3}$/;
const SCHEME = /^https?:\/\//i;

function parseDomainsLine(text: string): ParsedLine {
  if (text.startsWith('#')) return SKIP;
  const body = stripTrailingComment(text);
  if (WHITESPACE.test(body)) {
    const first = body.split(WHITESPACE)[0] ?? '';
    if (isSinkAddress(first)) throw new LineError('looks like a hosts-file line; import this file with --format hosts');
    throw new LineError('unexpected space inside an entry');
  }
  const rest = body.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  if (slash < 0) return entryOf(hostEntry(rest));
  const hostPart = rest.slice(0, slash);
  const suffix = rest.slice(slash + 1);
  if (CIDR_SUFFIX.test(suffix) && looksLikeAddress(hostPart)) {
    const cidr = parseCidr(rest);
    return entryOf({ kind: 'ip', family: cidr.family, address: cidr.address, prefix: cidr.prefix });
  }
  return entryOf(urlEntry(hostPart, rest.slice(slash), false));
}

function looksLikeAddress(text: string): boolean {
  return text.includes(':') || /^[\d.]+$/.test(text);
}

function hostEntry(name: string): ListEntry {
  if (name.startsWith('*.')) throw new LineError('wildcards are not supported; list the domain itself (it covers its subdomains)');
  // `.example.com` (squidGuard/dnsmasq style: the domain and its subdomains) means what a domain entry means.
  if (name.startsWith('.') && name.length > 1 && name[1] !== '.') name = name.slice(1);
  const host = canonicalHost(name, 'list');
  if (host.kind === 'domain') return { kind: 'domain', host: host.host };
  return { kind: 'ip', family: host.kind === 'ipv4' ? 4 : 6, address: host.host, prefix: host.kind === 'ipv4' ? 32 : 128 };
}

/** host/path: the path keeps its case, starts with `/`, and loses trailing slashes (`/` alone stays). */
function urlEntry(hostText: string, pathText: string, dropWww: boolean): ListEntry {
  if (hostText === '') throw new LineError('missing host before the path');
  let host = canonicalHost(hostText, 'list').host;
  // squidGuard drops a leading www. from URL-list hosts; never down to a bare TLD.
  if (dropWww && host.startsWith('www.') && host.indexOf('.', 4) > 0) host = host.slice(4);
  return { kind: 'url', host, path: normalisePath(pathText) };
}

function normalisePath(path: string): string {
  let p = path.startsWith('/') ? path : `/${path}`;
  let end = p.length;
  while (end > 1 && p.charCodeAt(end - 1) === 0x2f) end--;
  p = p.slice(0, end);
  if (/[\u0000-\u0020\u007f]/.test(p)) throw new LineError('control character or space in the path');
  return p;
}

// ---- UT1 (squidGuard) domains and urls files ----

function parseUt1DomainLine(text: string): ParsedLine {
  if (text.startsWith('#')) return SKIP;
  if (WHITESPACE.test(text)) throw new LineError('unexpected space inside an entry');
  if (text.includes('/')) throw new LineError('a domains file takes names or addresses, not paths');
  return entryOf(hostEntry(text));
}

function parseUt1UrlLine(text: string): ParsedLine {
  if (text.startsWith('#')) return SKIP;
  if (WHITESPACE.test(text)) throw new LineError('unexpected space inside an entry');
  const rest = text.replace(SCHEME, '');
  const slash = rest.indexOf('/');
  if (slash < 0) return entryOf(urlEntry(rest, '/', true));
  return entryOf(urlEntry(rest.slice(0, slash), rest.slice(slash), true));
}

// ---- adblock: only `||name^` (plus options that keep its meaning) ----

/** Options that do not narrow or alter "block this domain and its subdomains". */
const HARMLESS_OPTIONS = new Set(['important', 'all', 'document', 'doc']);
const COSMETIC = /#[@?$%]?#|#@[$%?]#/;

function parseAdblockLine(text: string): ParsedLine {
  if (text.startsWith('!') || (text.startsWith('[') && text.endsWith(']'))) return SKIP;
  if (text === '#' || text.startsWith('# ') || text.startsWith('#\t')) return SKIP; // AdGuard DNS lists allow # comments
  if (text.startsWith('@@')) throw new LineError('exception rules (@@) are not supported');
  if (COSMETIC.test(text)) throw new LineError('element-hiding (cosmetic) rules are not supported');
  if (!text.startsWith('||')) throw new LineError('unsupported rule: only ||domain^ rules are supported');
  const caret = text.indexOf('^');
  if (caret < 0) throw new LineError('unsupported rule: only ||domain^ rules (with the closing ^) are supported');
  const name = text.slice(2, caret);
  if (/[*/|]/.test(name)) throw new LineError('unsupported rule: wildcards and paths are not supported');
  let tail = text.slice(caret + 1);
  if (tail.startsWith('|')) tail = tail.slice(1);
  if (tail !== '') {
    if (!tail.startsWith('$')) throw new LineError(`unsupported rule: unexpected ${quoteInput(clip(tail))} after ^`);
    for (const option of tail.slice(1).split(',')) {
      if (!HARMLESS_OPTIONS.has(option.trim().toLowerCase())) {
        throw new LineError(`unsupported option $${clip(option)}: it changes what the rule blocks`);
      }
    }
  }
  return entryOf(hostEntry(name));
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}
