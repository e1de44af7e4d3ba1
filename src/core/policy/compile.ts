// Turns a validated policy plus a category snapshot into the tables the engine reads per request.
import { ErrorCodes, RingfenceError, quoteInput } from '../errors.ts';
import { parseListLine } from '../lists/parse-line.ts';
import type { ListEntry, ListMeta } from '../lists/entry.ts';
import type { CategorySnapshot } from '../lists/snapshot.ts';
import { CategorySnapshot as Snapshot } from '../lists/snapshot.ts';
import { buildSnapshotContents, type BuilderList } from '../lists/snapshot-builder.ts';
import { AddressSet } from './address-set.ts';
import { Schedules } from './schedule.ts';
import type { Policy, Rule } from './schema.ts';

export interface CompiledRule {
  readonly rule: Rule;
  readonly anything: boolean;
  /** Per snapshot list: does this rule's "what" include it? */
  readonly lists: Uint8Array;
  readonly anyone: boolean;
  readonly users: ReadonlySet<string>;
  readonly groups: ReadonlySet<string>;
  readonly where: AddressSet | null;
  /** Index into the schedules, or -1 for always. */
  readonly schedule: number;
  readonly expiresAt: number;
}

export interface CompiledPolicy {
  readonly policy: Policy;
  readonly snapshot: CategorySnapshot;
  readonly listCategory: readonly (string | null)[];
  readonly listLocked: Uint8Array;
  readonly rules: readonly CompiledRule[];
  /** Per snapshot list, the index of the first rule that can match a request on it (rules.length if none). */
  readonly firstRuleForList: Int32Array;
  /** The first rule that can match without any list: "anything" or its own domains and URLs. */
  readonly firstGenericRule: number;
  /** Domains, URLs and addresses named in rules, as a snapshot whose "lists" are rule indices. */
  readonly rulePatterns: CategorySnapshot | null;
  readonly schedules: Schedules;
  /** Problems that do not stop enforcement, e.g. a category naming a list not yet imported. */
  readonly warnings: readonly string[];
}

function invalid(message: string, input?: string): RingfenceError {
  return new RingfenceError(ErrorCodes.POLICY_INVALID, message, input);
}

/** Which category each list feeds: the import's own --category, else the first policy category naming it. */
export function resolveListCategories(policy: Policy, lists: readonly ListMeta[]): (string | null)[] {
  const byList = new Map<string, string>();
  for (const [id, category] of Object.entries(policy.categories)) {
    for (const listId of category.lists) if (!byList.has(listId)) byList.set(listId, id);
  }
  return lists.map((l) => l.category ?? byList.get(l.id) ?? null);
}

/**
 * A rule's own domains and URLs, read as list lines are (a name, an IP or CIDR block, or
 * `host/path`, with or without a scheme), so a rule means what the same text means in a list.
 */
function patternEntries(rule: Rule): ListEntry[] {
  if (rule.what === 'anything') return [];
  const entries: ListEntry[] = [];
  for (const text of [...rule.what.domains, ...rule.what.urls]) {
    const parsed = parseListLine(text, 'domains');
    if (parsed.kind === 'skip') throw invalid(`rule "${rule.id}" names an empty site ${quoteInput(text)}`, rule.id);
    if (parsed.kind === 'bad') throw invalid(`rule "${rule.id}": site ${quoteInput(text)}: ${parsed.reason}`, rule.id);
    entries.push(parsed.entry, ...(parsed.more ?? []));
  }
  return entries;
}

function buildRulePatterns(rules: readonly Rule[]): CategorySnapshot | null {
  const perRule = rules.map(patternEntries);
  if (perRule.every((entries) => entries.length === 0)) return null;
  const lists: BuilderList[] = rules.map((rule, i) => {
    const entries = perRule[i]!;
    return {
      meta: { id: `rule:${rule.id}`, category: null, usage: 'block', illegal: false, source: 'policy', format: 'builtin', importedAt: '', counts: { domains: 0, urls: 0, ips: 0 } },
      domains: entries.flatMap((e) => (e.kind === 'domain' ? [e.host] : [])),
      urls: entries.flatMap((e) => (e.kind === 'url' ? [{ host: e.host, path: e.path }] : [])),
      ips: entries.flatMap((e) => (e.kind === 'ip' ? [e] : [])),
    };
  });
  return new Snapshot(buildSnapshotContents(lists, { version: 0, createdAt: '' }));
}

export function compilePolicy(policy: Policy, snapshot: CategorySnapshot): CompiledPolicy {
  const warnings: string[] = [];
  const lists = snapshot.lists;
  const listCategory = resolveListCategories(policy, lists);
  const known = new Set(lists.map((l) => l.id));
  for (const [id, category] of Object.entries(policy.categories)) {
    for (const listId of category.lists) if (!known.has(listId)) warnings.push(`category "${id}" names list "${listId}", which is not imported`);
  }
  for (const id of policy.locked.categories) if (!policy.categories[id]) throw invalid(`locked tier names category "${id}", which the policy does not define`, id);
  const lockedCategories = new Set(policy.locked.categories);
  const listLocked = Uint8Array.from(lists, (l, i) => (l.illegal || lockedCategories.has(listCategory[i] ?? '') ? 1 : 0));
  const schedules = new Schedules(policy);
  const groupIds = new Set(policy.groups.map((g) => g.id));
  const ruleIds = new Set<string>();
  const rules = policy.rules.map((rule): CompiledRule => {
    if (ruleIds.has(rule.id)) throw invalid(`two rules have the id "${rule.id}"`, rule.id);
    ruleIds.add(rule.id);
    const listMask = new Uint8Array(lists.length);
    if (rule.what !== 'anything') {
      for (const c of rule.what.categories) {
        if (!policy.categories[c]) throw invalid(`rule "${rule.id}" names category "${c}", which the policy does not define`, c);
        listCategory.forEach((lc, i) => lc === c && (listMask[i] = 1));
      }
      for (const listId of rule.what.lists) {
        const i = lists.findIndex((l) => l.id === listId);
        if (i >= 0) listMask[i] = 1;
        else warnings.push(`rule "${rule.id}" names list "${listId}", which is not imported`);
      }
    }
    const who = rule.who;
    if (who !== 'anyone') for (const g of who.groups) if (!groupIds.has(g)) throw invalid(`rule "${rule.id}" names group "${g}", which the policy does not define`, g);
    let where: AddressSet | null = null;
    if (rule.where !== 'anywhere') {
      try {
        where = new AddressSet(rule.where.addresses);
      } catch (e) {
        throw invalid(`rule "${rule.id}": ${(e as Error).message}`, rule.id);
      }
    }
    return {
      rule,
      anything: rule.what === 'anything',
      lists: listMask,
      anyone: who === 'anyone',
      users: new Set(who === 'anyone' ? [] : who.users),
      groups: new Set(who === 'anyone' ? [] : who.groups),
      where,
      schedule: rule.when === 'always' ? -1 : schedules.indexOf(rule.when.schedule),
      expiresAt: rule.expires ? Date.parse(rule.expires) : Infinity,
    };
  });
  const firstRuleForList = new Int32Array(lists.length).fill(rules.length);
  let firstGenericRule = rules.length;
  rules.forEach((r, index) => {
    const what = r.rule.what;
    const generic = what === 'anything' || what.domains.length + what.urls.length > 0;
    if (generic && firstGenericRule === rules.length) firstGenericRule = index;
    for (let i = 0; i < lists.length; i++) if ((r.anything || r.lists[i] === 1) && firstRuleForList[i] === rules.length) firstRuleForList[i] = index;
  });
  return { policy, snapshot, listCategory, listLocked, rules, firstRuleForList, firstGenericRule, rulePatterns: buildRulePatterns(policy.rules), schedules, warnings };
}
