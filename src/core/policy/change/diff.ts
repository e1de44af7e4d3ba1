// What changed between two published policies, in words a safeguarding lead can check before
// approving. Deterministic: the same two documents always give the same list in the same order.
import { canonicalJson, type JsonValue } from '../../audit/canonical.ts';
import { quoteInput } from '../../errors.ts';
import type { Policy, Rule } from '../schema.ts';

export type PolicyArea = 'school' | 'group' | 'schedule' | 'calendar' | 'category' | 'locked' | 'rule' | 'default' | 'safe-search';

export interface PolicyDifference {
  readonly area: PolicyArea;
  readonly kind: 'added' | 'removed' | 'changed' | 'moved';
  /** The rule, category, schedule, group or term the change is about; null for the policy as a whole. */
  readonly id: string | null;
  /** For 'changed': which fields, sorted. */
  readonly fields: readonly string[];
  readonly summary: string;
}

/** The canonical text of any part of a policy: equal text, equal meaning. */
export function canonicalText(value: unknown): string {
  return canonicalJson(value as JsonValue);
}

const same = (a: unknown, b: unknown) => canonicalText(a) === canonicalText(b);
const q = (s: string) => quoteInput(s);

function difference(area: PolicyArea, kind: PolicyDifference['kind'], id: string | null, summary: string, fields: readonly string[] = []): PolicyDifference {
  return { area, kind, id, fields, summary };
}

/** Fields of two objects whose values differ, sorted. */
function changedFields(before: object, after: object): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys.filter((k) => !same((before as Record<string, unknown>)[k], (after as Record<string, unknown>)[k]));
}

/** Added, removed and changed entries of two keyed records, in key order. */
function diffRecord<T extends object>(area: PolicyArea, noun: string, before: Record<string, T>, after: Record<string, T>): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  for (const id of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()) {
    const a = before[id];
    const b = after[id];
    if (a === undefined) out.push(difference(area, 'added', id, `${noun} ${q(id)} added`));
    else if (b === undefined) out.push(difference(area, 'removed', id, `${noun} ${q(id)} removed`));
    else {
      const fields = changedFields(a, b);
      if (fields.length > 0) out.push(difference(area, 'changed', id, `${noun} ${q(id)} changed: ${fields.join(', ')}`, fields));
    }
  }
  return out;
}

/** A list of named things compared by name; when names repeat, compared as a whole. */
function diffNamedList<T extends object>(area: PolicyArea, noun: string, key: (item: T) => string, before: readonly T[], after: readonly T[]): PolicyDifference[] {
  if (same(before, after)) return [];
  const keysOf = (items: readonly T[]) => items.map(key);
  const unique = (items: readonly T[]) => new Set(keysOf(items)).size === items.length;
  if (!unique(before) || !unique(after)) return [difference(area, 'changed', null, `${noun}s changed`)];
  const out = diffRecord(area, noun, Object.fromEntries(before.map((i) => [key(i), i])), Object.fromEntries(after.map((i) => [key(i), i])));
  return out.length > 0 ? out : [difference(area, 'moved', null, `${noun}s reordered`)];
}

function diffStringSet(area: PolicyArea, noun: string, before: readonly string[], after: readonly string[]): PolicyDifference[] {
  const a = new Set(before);
  const b = new Set(after);
  const out = [
    ...[...b].filter((x) => !a.has(x)).sort().map((x) => difference(area, 'added', x, `${noun} ${q(x)} added`)),
    ...[...a].filter((x) => !b.has(x)).sort().map((x) => difference(area, 'removed', x, `${noun} ${q(x)} removed`)),
  ];
  if (out.length === 0 && !same(before, after)) out.push(difference(area, 'moved', null, `${noun}s reordered`));
  return out;
}

/** Indexes (into `ids`) of a longest subsequence that keeps the order `reference` has. */
function longestOrderedSubsequence(ids: readonly string[], reference: readonly string[]): Set<number> {
  const n = ids.length;
  const m = reference.length;
  const table = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i]![j] = ids[i] === reference[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  const kept = new Set<number>();
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (ids[i] === reference[j]) {
      kept.add(i);
      i++;
      j++;
    } else if (table[i + 1]![j]! >= table[i]![j + 1]!) i++;
    else j++;
  }
  return kept;
}

function describeRuleField(field: string, a: Rule, b: Rule): string {
  const before = (a as Record<string, unknown>)[field];
  const after = (b as Record<string, unknown>)[field];
  const scalar = (v: unknown) => v === null || typeof v !== 'object';
  return scalar(before) && scalar(after) ? `${field} ${canonicalText(before ?? null)} → ${canonicalText(after ?? null)}` : field;
}

/** Rules are ordered (the first that matches decides): additions, removals, moves and edits. */
export function diffRules(before: readonly Rule[], after: readonly Rule[]): PolicyDifference[] {
  if (new Set(before.map((r) => r.id)).size !== before.length || new Set(after.map((r) => r.id)).size !== after.length) {
    return same(before, after) ? [] : [difference('rule', 'changed', null, 'rules changed (rule ids repeat, so no finer comparison)')];
  }
  const beforeById = new Map(before.map((r, i) => [r.id, { rule: r, position: i + 1 }]));
  const afterById = new Map(after.map((r, i) => [r.id, { rule: r, position: i + 1 }]));
  const out: PolicyDifference[] = [];
  for (const [id, { rule, position }] of afterById) {
    if (!beforeById.has(id)) out.push(difference('rule', 'added', id, `rule ${q(id)} (${q(rule.name)}) added at position ${position}: ${rule.action}`));
  }
  for (const [id, { rule }] of beforeById) {
    if (!afterById.has(id)) out.push(difference('rule', 'removed', id, `rule ${q(id)} (${q(rule.name)}) removed`));
  }
  const commonAfter = after.map((r) => r.id).filter((id) => beforeById.has(id));
  const commonBefore = before.map((r) => r.id).filter((id) => afterById.has(id));
  const inOrder = longestOrderedSubsequence(commonAfter, commonBefore);
  commonAfter.forEach((id, i) => {
    if (inOrder.has(i)) return;
    out.push(difference('rule', 'moved', id, `rule ${q(id)} moved from position ${beforeById.get(id)!.position} to ${afterById.get(id)!.position}`));
  });
  for (const id of commonAfter) {
    const a = beforeById.get(id)!.rule;
    const b = afterById.get(id)!.rule;
    const fields = changedFields(a, b);
    if (fields.length > 0) out.push(difference('rule', 'changed', id, `rule ${q(id)} changed: ${fields.map((f) => describeRuleField(f, a, b)).join('; ')}`, fields));
  }
  return out;
}

/** Every difference between two policies, area by area in a fixed order. */
export function diffPolicies(before: Policy, after: Policy): PolicyDifference[] {
  const out: PolicyDifference[] = [];
  const school = changedFields(before.school, after.school);
  if (school.length > 0) out.push(difference('school', 'changed', null, `school details changed: ${school.join(', ')}`, school));
  if (before.format !== after.format) out.push(difference('school', 'changed', null, `format ${before.format} → ${after.format}`, ['format']));
  out.push(...diffNamedList('group', 'group', (g) => g.id, before.groups, after.groups));
  out.push(...diffRecord('schedule', 'schedule', before.schedules, after.schedules));
  out.push(...diffNamedList('calendar', 'term', (t) => t.name, before.calendar.terms, after.calendar.terms));
  out.push(...diffNamedList('calendar', 'holiday', (t) => t.name, before.calendar.holidays, after.calendar.holidays));
  out.push(...diffRecord('category', 'category', before.categories, after.categories));
  out.push(...diffStringSet('locked', 'locked category', before.locked.categories, after.locked.categories));
  out.push(...diffRules(before.rules, after.rules));
  if (before.default.action !== after.default.action) {
    out.push(difference('default', 'changed', null, `default action ${before.default.action} → ${after.default.action}`, ['action']));
  }
  if (before.safeSearch.required !== after.safeSearch.required) {
    out.push(difference('safe-search', 'changed', null, `safe search ${after.safeSearch.required ? 'now required' : 'no longer required'}`, ['required']));
  }
  out.push(...diffRecord('safe-search', 'YouTube setting for', wrap(before.safeSearch.youtube), wrap(after.safeSearch.youtube)));
  return out;
}

/** Record values must be objects for diffRecord; YouTube settings are strings. */
function wrap(record: Record<string, string>): Record<string, { mode: string }> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, { mode: v }]));
}
