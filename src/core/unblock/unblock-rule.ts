// The time-limited allow rule an approved unblock request becomes, and its removal once it ends.
// The rule goes at the top of the school's rules so it wins over the school's own blocks; the
// engine's locked tier (illegal content) is checked before any rule, so no unblock reaches it.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import type { Policy, Rule } from '../policy/schema.ts';
import { parsePolicy } from '../policy/validate.ts';
import type { UnblockRequest } from './unblock-request.ts';

export const UNBLOCK_RULE_PREFIX = 'unblock-';

/** `unblock-` and the request id's last 12 hex digits (its random part: unique within a school). */
export function unblockRuleId(requestId: string): string {
  return `${UNBLOCK_RULE_PREFIX}${requestId.replace(/-/g, '').slice(-12)}`;
}

export function isUnblockRule(rule: Pick<Rule, 'id'>): boolean {
  return rule.id.startsWith(UNBLOCK_RULE_PREFIX);
}

/** "2026-03-20 17:00 UTC": what a person reads in a rule's name. */
export function readableInstant(iso: string): string {
  return `${iso.slice(0, 16).replace('T', ' ')} UTC`;
}

export function unblockRule(request: Pick<UnblockRequest, 'id' | 'site' | 'group' | 'endsAt'>, groupTitle: string): Rule {
  return {
    id: unblockRuleId(request.id),
    name: `Unblock ${request.site.value} for ${groupTitle} until ${readableInstant(request.endsAt)} (request ${request.id})`,
    who: { users: [], groups: [request.group] },
    what: { categories: [], lists: [], domains: request.site.kind === 'domain' ? [request.site.value] : [], urls: request.site.kind === 'url' ? [request.site.value] : [] },
    where: 'anywhere',
    when: 'always',
    action: 'allow',
    verdict: null,
    alert: false,
    expires: request.endsAt,
  };
}

/** The policy with the request's rule first (replacing one with the same id). The group must still exist. */
export function withUnblockRule(policy: Policy, request: Pick<UnblockRequest, 'id' | 'site' | 'group' | 'endsAt'>): Policy {
  const group = policy.groups.find((g) => g.id === request.group);
  if (!group) {
    throw new RingfenceError(ErrorCodes.GROUP_UNKNOWN, `group ${quoteInput(request.group)} is no longer a group of the school's policy: the unblock cannot be applied`, request.group);
  }
  const rule = unblockRule(request, group.title);
  return parsePolicy({ ...policy, rules: [rule, ...policy.rules.filter((r) => r.id !== rule.id)] }, 'the policy with the unblock');
}

/** The policy without the named unblock rules nor any unblock rule expired at `now`; the same object when nothing goes. */
export function withoutEndedUnblocks(policy: Policy, now: number, ruleIds: ReadonlySet<string> = new Set()): Policy {
  const ended = (r: Rule) => isUnblockRule(r) && (ruleIds.has(r.id) || (r.expires !== null && Date.parse(r.expires) <= now));
  if (!policy.rules.some(ended)) return policy;
  return { ...policy, rules: policy.rules.filter((r) => !ended(r)) };
}
