// "Why was this allowed or blocked?": one request, or a batch, through the same engine the DNS
// server and proxy use.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { findUser, type Directory } from '../../core/directory/directory.ts';
import type { Decision } from '../../core/policy/decision.ts';
import type { PolicyEngine } from '../../core/policy/engine.ts';
import { parseInstant } from '../../core/policy/instant.ts';

export interface ExplainInput {
  readonly user?: string | null;
  readonly group?: string | null;
  readonly ip?: string | null;
  readonly url: string;
  /** ISO-8601; the clock's time when absent. */
  readonly at?: string | null;
}

export class Explainer {
  private readonly usersByName = new Map<string, readonly string[]>();
  private readonly knownGroups: ReadonlySet<string>;
  private lastAt: string | null = null;
  private lastTime = 0;

  constructor(
    readonly engine: PolicyEngine,
    private readonly directory: Directory,
    private readonly now: () => Date,
  ) {
    this.knownGroups = new Set(engine.compiled.policy.groups.map((g) => g.id));
  }

  private groupsOf(user: string): readonly string[] {
    let groups = this.usersByName.get(user);
    if (!groups) {
      groups = findUser(this.directory, user).groups;
      this.usersByName.set(user, groups);
    }
    return groups;
  }

  private timeOf(at: string | null | undefined): number {
    if (at === null || at === undefined || at === '') return this.now().getTime();
    if (at !== this.lastAt) {
      this.lastTime = parseInstant(at, this.engine.compiled.schedules.clock);
      this.lastAt = at;
    }
    return this.lastTime;
  }

  explain(input: ExplainInput): Decision {
    if (typeof input.url !== 'string' || input.url === '') throw new RingfenceError(ErrorCodes.REQUEST_INVALID, 'the request has no "url"');
    const groups: string[] = [];
    if (input.user) groups.push(...this.groupsOf(input.user));
    if (input.group) {
      if (!this.knownGroups.has(input.group)) {
        throw new RingfenceError(ErrorCodes.GROUP_UNKNOWN, `no group ${quoteInput(input.group)} in the policy (known: ${[...this.knownGroups].join(', ')})`, input.group);
      }
      if (!groups.includes(input.group)) groups.push(input.group);
    }
    return this.engine.decide({ user: input.user ?? null, groups, clientIp: input.ip ?? null, target: input.url, time: this.timeOf(input.at) });
  }
}

/** The JSON form of a decision, keys in the documented order. Cached: decisions are shared objects. */
const jsonCache = new WeakMap<Decision, string>();
export function decisionJson(d: Decision): string {
  let s = jsonCache.get(d);
  if (s === undefined) {
    s = JSON.stringify({ action: d.action, alert: d.alert, verdict: d.verdict, tier: d.tier, rule: d.rule, category: d.category, list: d.list, reason: d.reason });
    jsonCache.set(d, s);
  }
  return s;
}
