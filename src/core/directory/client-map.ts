// Who a client address is, until the device register exists: `address-or-cidr,group[,user]` per
// line, first match wins (the DNS server's and proxy's --clients FILE).
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseAddress, type ParsedAddress } from '../net/ip.ts';
import { AddressSet } from '../policy/address-set.ts';
import { parseCsv } from './csv.ts';

export interface ClientIdentity {
  readonly user: string | null;
  readonly groups: readonly string[];
  /** Which line of the clients file matched, for logs ("clients:12"). */
  readonly source: string;
}

export interface ClientRule {
  readonly where: AddressSet;
  readonly identity: ClientIdentity;
}

export const ANONYMOUS: ClientIdentity = Object.freeze({ user: null, groups: Object.freeze([]) as readonly string[], source: 'unknown' });

export class ClientMap {
  private readonly rules: readonly ClientRule[];
  /** Identities per address text: clients ask many names, and the file is scanned once per address. */
  private readonly cache = new Map<string, ClientIdentity>();

  constructor(rules: readonly ClientRule[], private readonly fallback: ClientIdentity = ANONYMOUS) {
    this.rules = rules;
  }

  static empty(fallback: ClientIdentity = ANONYMOUS): ClientMap {
    return new ClientMap([], fallback);
  }

  /** Parses a clients file; every bad line is reported at once, naming the line. */
  static parse(text: string, knownGroups: ReadonlySet<string>, fileName = 'clients file'): ClientMap {
    const { rows, error } = parseCsv(text);
    const problems: string[] = [];
    if (error) problems.push(`${fileName}:${error.line}: ${error.message}`);
    const rules: ClientRule[] = [];
    for (const row of rows) {
      const fields = row.fields.map((f) => f.trim());
      if (fields[0]?.startsWith('#')) continue;
      if (row.line === 1 && fields[0]?.toLowerCase() === 'address') continue;
      const bad = (why: string) => problems.push(`${fileName}:${row.line}: ${why}`);
      if (fields.length < 2 || fields.length > 3) {
        bad(`expected address-or-cidr,group[,user], found ${fields.length} field(s)`);
        continue;
      }
      const [address, group, user] = fields as [string, string, string | undefined];
      if (!knownGroups.has(group)) {
        bad(`unknown group ${quoteInput(group)} (known: ${[...knownGroups].join(', ')})`);
        continue;
      }
      try {
        rules.push({ where: new AddressSet([address]), identity: Object.freeze({ user: user || null, groups: Object.freeze([group]), source: `clients:${row.line}` }) });
      } catch (e) {
        bad((e as Error).message);
      }
    }
    if (problems.length > 0) {
      throw new RingfenceError(ErrorCodes.CSV_ROW_INVALID, `${problems.length} bad line(s) in ${fileName}:\n  ${problems.slice(0, 10).join('\n  ')}`, fileName);
    }
    return new ClientMap(rules);
  }

  get size(): number {
    return this.rules.length;
  }

  /** This map's rules, then `next`'s: the first match across both wins (the clients file before the register). */
  followedBy(next: ClientMap): ClientMap {
    return new ClientMap([...this.rules, ...next.rules], this.fallback);
  }

  identify(address: string): ClientIdentity {
    let found = this.cache.get(address);
    if (found) return found;
    let parsed: ParsedAddress | null = null;
    try {
      parsed = parseAddress(address);
    } catch {
      parsed = null;
    }
    found = this.fallback;
    if (parsed) {
      for (const rule of this.rules) {
        if (rule.where.has(parsed)) {
          found = rule.identity;
          break;
        }
      }
    }
    if (this.cache.size >= 65_536) this.cache.clear();
    this.cache.set(address, found);
    return found;
  }
}
