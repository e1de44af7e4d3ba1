// A rule's who / what / where / when / action in words, with the titles the policy gives its
// groups, categories and schedules.
import type { PolicyDocument, Rule } from '../../api/types';

function titled(ids: readonly string[], title: (id: string) => string | undefined): string[] {
  return ids.map((id) => title(id) ?? id);
}

function joined(parts: readonly string[]): string {
  return parts.filter(Boolean).join('; ');
}

export function describeWho(rule: Rule, policy: PolicyDocument): string {
  if (rule.who === 'anyone') return 'Anyone';
  const groups = titled(rule.who.groups, (id) => policy.groups.find((g) => g.id === id)?.title);
  return joined([groups.length ? groups.join(', ') : '', rule.who.users.length ? `users ${rule.who.users.join(', ')}` : '']) || 'Nobody';
}

export function describeWhat(rule: Rule, policy: PolicyDocument): string {
  if (rule.what === 'anything') return 'Anything';
  const w = rule.what;
  const categories = titled(w.categories, (id) => policy.categories[id]?.title);
  return (
    joined([
      categories.join(', '),
      w.lists.length ? `lists ${w.lists.join(', ')}` : '',
      w.domains.length ? `sites ${w.domains.join(', ')}` : '',
      w.urls.length ? `pages ${w.urls.join(', ')}` : '',
    ]) || 'Nothing'
  );
}

export function describeWhere(rule: Rule): string {
  return rule.where === 'anywhere' ? 'Anywhere' : rule.where.addresses.join(', ');
}

export function describeWhen(rule: Rule, policy: PolicyDocument): string {
  if (rule.when === 'always') return 'Always';
  const schedule = policy.schedules[rule.when.schedule];
  const title = schedule?.title ?? rule.when.schedule;
  return schedule?.termTimeOnly ? `${title} (term time)` : title;
}

export function describeAction(rule: Rule): string {
  const action = rule.action === 'allow' ? 'Allow' : 'Block';
  const extras = [rule.alert ? 'alert' : '', rule.expires ? `until ${new Date(rule.expires).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' })}` : ''];
  return [action, ...extras.filter(Boolean)].join(', ');
}

/** A rule id from a name: "Block game sites" → "block-game-sites", unique among the ids given. */
export function ruleIdFrom(name: string, taken: ReadonlySet<string>): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'rule';
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}

/** Lines of a text area as a list: blank lines and surrounding spaces dropped. */
export function linesOf(text: string): string[] {
  return text.split(/[\n,]+/).map((s) => s.trim()).filter(Boolean);
}

/** Every list id the policy's categories name, sorted. */
export function listIdsOf(policy: PolicyDocument): string[] {
  return [...new Set(Object.values(policy.categories).flatMap((c) => c.lists))].sort();
}
