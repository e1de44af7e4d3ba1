// decide(request) → Decision: the one function the DNS server, the proxy and the console share.
// Tiers in order: locked (illegal lists) → school rules (first match wins) → default.
import { ErrorCodes, RingfenceError } from '../errors.ts';
import { canonicalHost, parseUrl, type CanonicalHost } from '../host/canonical.ts';
import { MAX_MATCHES } from '../lists/snapshot.ts';
import { parseAddress, type ParsedAddress } from '../net/ip.ts';
import { compilePolicy, type CompiledPolicy, type CompiledRule } from './compile.ts';
import { reasonFor, type Decision, type Tier } from './decision.ts';
import type { Policy } from './schema.ts';
import type { CategorySnapshot } from '../lists/snapshot.ts';

export interface DecisionRequest {
  readonly user?: string | null;
  /** The user's groups, already resolved from the directory. */
  readonly groups?: readonly string[];
  /** The client's address (decides "where" in rules). */
  readonly clientIp?: string | null;
  /** A host name, host:port, or a URL. */
  readonly target: string;
  /** Milliseconds since the epoch. */
  readonly time: number;
}

export interface Subject {
  readonly user: string | null;
  readonly groups: readonly string[];
}

export interface ParsedTarget {
  readonly host: CanonicalHost;
  /** Path and query for URLs; null when only a host is known (DNS, CONNECT, SNI). */
  readonly path: string | null;
}

/** A URL when it has a scheme or a path, else a host (with an optional port). */
export function parseTarget(target: string): ParsedTarget {
  // Most targets are host names without surrounding spaces: skip the trim for them.
  const last = target.length - 1;
  if (last >= 0 && target.charCodeAt(0) > 32 && target.charCodeAt(last) > 32 && target.indexOf('/') < 0) {
    return { host: canonicalHost(target, 'host-header'), path: null };
  }
  const t = target.trim();
  if (t === '') throw new RingfenceError(ErrorCodes.REQUEST_INVALID, 'the request names no host or URL', target);
  if (t.includes('/')) {
    const url = parseUrl(t);
    return { host: url.host, path: url.path };
  }
  return { host: canonicalHost(t, 'host-header'), path: null };
}

const NONE = -1;
const HOW_CODE = { list: 0, 'rule-pattern': 1, anything: 2, none: 3 } as const;

export class PolicyEngine {
  readonly compiled: CompiledPolicy;
  private readonly matched = new Int32Array(MAX_MATCHES);
  private readonly ruleHits = new Int32Array(MAX_MATCHES);
  /** [0 default | 1 locked | 2 + rule index][(list index + 1) * 4 + how] → the shared decision. */
  private readonly decisions: (Decision | undefined)[][] = [];

  constructor(policy: Policy, snapshot: CategorySnapshot) {
    this.compiled = compilePolicy(policy, snapshot);
  }

  get snapshot(): CategorySnapshot {
    return this.compiled.snapshot;
  }

  get warnings(): readonly string[] {
    return this.compiled.warnings;
  }

  /** Validates and parses a request, then decides it. Throws RingfenceError on bad input. */
  decide(request: DecisionRequest): Decision {
    if (!Number.isFinite(request.time)) throw new RingfenceError(ErrorCodes.TIME_INVALID, 'the request has no valid time');
    const target = parseTarget(request.target);
    let client: ParsedAddress | null = null;
    if (request.clientIp) client = parseAddress(request.clientIp);
    return this.decideParsed(target.host, target.path, { user: request.user ?? null, groups: request.groups ?? [] }, client, request.time);
  }

  /** The hot path, for callers that already hold a canonical host (DNS, proxy). */
  decideParsed(host: CanonicalHost, path: string | null, subject: Subject, client: ParsedAddress | null, time: number): Decision {
    const c = this.compiled;
    const matched = this.matched;
    const n = c.snapshot.match(host, path, matched);
    for (let k = 0; k < n; k++) {
      if (c.listLocked[matched[k]!] === 1) return this.decision('locked', NONE, matched[k]!, 'list');
    }
    let hits = 0;
    if (c.rulePatterns !== null) hits = c.rulePatterns.match(host, path, this.ruleHits);
    const rules = c.rules;
    // Start at the first rule that could match: rules before it name none of the matched lists.
    let start = c.firstGenericRule;
    for (let k = 0; k < n; k++) {
      const first = c.firstRuleForList[matched[k]!]!;
      if (first < start) start = first;
    }
    for (let r = start; r < rules.length; r++) {
      const rule = rules[r]!;
      let list = NONE;
      let how: 'list' | 'rule-pattern' | 'anything' = 'list';
      if (rule.anything) {
        how = 'anything';
        if (n > 0) list = matched[0]!;
      } else {
        let found = false;
        for (let k = 0; k < n; k++) {
          if (rule.lists[matched[k]!] === 1) {
            list = matched[k]!;
            found = true;
            break;
          }
        }
        if (!found) {
          for (let k = 0; k < hits; k++) if (this.ruleHits[k] === r) found = true;
          if (!found) continue;
          how = 'rule-pattern';
        }
      }
      if (!this.applies(rule, subject, client, time)) continue;
      return this.decision('school', r, list, how);
    }
    return this.decision('default', NONE, n > 0 ? matched[0]! : NONE, 'none');
  }

  private applies(rule: CompiledRule, subject: Subject, client: ParsedAddress | null, time: number): boolean {
    if (time >= rule.expiresAt) return false;
    if (!rule.anyone) {
      let who = subject.user !== null && rule.users.has(subject.user);
      for (let g = 0; !who && g < subject.groups.length; g++) who = rule.groups.has(subject.groups[g]!);
      if (!who) return false;
    }
    if (rule.where !== null && (client === null || !rule.where.has(client))) return false;
    if (rule.schedule >= 0 && !this.compiled.schedules.isOpen(rule.schedule, time)) return false;
    return true;
  }

  /** Decisions depend only on (tier, rule, list, how): build each once and share it. */
  private decision(tier: Tier, ruleIndex: number, listIndex: number, how: 'list' | 'rule-pattern' | 'anything' | 'none'): Decision {
    const row = tier === 'default' ? 0 : tier === 'locked' ? 1 : ruleIndex + 2;
    const column = (listIndex + 1) * 4 + HOW_CODE[how];
    const byList = (this.decisions[row] ??= []);
    const cached = byList[column];
    if (cached) return cached;
    const c = this.compiled;
    const listMeta = listIndex >= 0 ? c.snapshot.lists[listIndex]! : null;
    const category = listIndex >= 0 ? c.listCategory[listIndex]! : null;
    const categoryTitle = category ? (c.policy.categories[category]?.title ?? category) : null;
    const rule = ruleIndex >= 0 ? c.rules[ruleIndex]!.rule : null;
    const action = tier === 'locked' ? 'block' : rule ? rule.action : c.policy.default.action;
    const verdict = tier === 'locked' ? 'I' : rule ? rule.verdict : null;
    const decision: Decision = Object.freeze({
      action,
      alert: tier === 'locked' || (rule?.alert ?? false),
      verdict,
      tier,
      rule: tier === 'locked' ? `locked:${category ?? listMeta!.id}` : (rule?.id ?? null),
      category,
      list: listMeta?.id ?? null,
      reason: reasonFor({ tier, action, ruleName: rule?.name ?? null, verdict, categoryTitle, list: listMeta?.id ?? null, matchedBy: how }),
    });
    byList[column] = decision;
    return decision;
  }
}
