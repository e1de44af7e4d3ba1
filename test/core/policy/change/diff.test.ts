// The policy diff: a golden table on the default pack, and properties over random edits.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { canonicalText, diffPolicies } from '../../../../src/core/policy/change/diff.ts';
import type { Policy } from '../../../../src/core/policy/schema.ts';
import { loadDefaultPack } from '../../../../src/storage/files/pack-files.ts';

const pack = loadDefaultPack();
const copy = (): Policy => structuredClone(pack);
const summaries = (after: Policy) => diffPolicies(pack, after).map((d) => d.summary);

test('golden: each kind of edit to the default pack is named', () => {
  const rules = pack.rules;
  assert.ok(rules.length >= 3);
  const cases: [string, (p: Policy) => void, string[]][] = [
    ['nothing', () => undefined, []],
    ['rule action', (p) => void (p.rules[0]!.action = p.rules[0]!.action === 'allow' ? 'block' : 'allow'), [`rule "${rules[0]!.id}" changed: action "${rules[0]!.action}" → "${rules[0]!.action === 'allow' ? 'block' : 'allow'}"`]],
    ['rule removed', (p) => void p.rules.splice(1, 1), [`rule "${rules[1]!.id}" (${JSON.stringify(rules[1]!.name)}) removed`]],
    ['rule moved to the end', (p) => void p.rules.push(p.rules.shift()!), [`rule "${rules[0]!.id}" moved from position 1 to ${rules.length}`]],
    [
      'rule added first',
      (p) => void p.rules.unshift({ ...p.rules[0]!, id: 'new-rule', name: 'New rule', action: 'block' }),
      [`rule "new-rule" ("New rule") added at position 1: block`],
    ],
    ['safe search', (p) => void (p.safeSearch.required = !p.safeSearch.required), [`safe search ${pack.safeSearch.required ? 'no longer required' : 'now required'}`]],
    ['default action', (p) => void (p.default.action = p.default.action === 'allow' ? 'block' : 'allow'), [`default action ${pack.default.action} → ${pack.default.action === 'allow' ? 'block' : 'allow'}`]],
    ['category lists', (p) => void Object.values(p.categories)[0]!.lists.push('extra/list'), [`category "${Object.keys(pack.categories)[0]}" changed: lists`]],
    ['category added', (p) => void (p.categories['zz-new'] = { title: 'New', description: 'New', lists: [], usage: 'block' }), ['category "zz-new" added']],
    ['group added', (p) => void p.groups.push({ id: 'zz-group', title: 'Group' }), ['group "zz-group" added']],
    ['holiday added', (p) => void p.calendar.holidays.push({ name: 'Extra day', from: '2030-01-02', to: '2030-01-02' }), ['holiday "Extra day" added']],
    ['schedule added', (p) => void (p.schedules['zz-lunch'] = { title: 'Lunch', windows: [{ days: ['mon'], from: '12:00', to: '13:00' }], termTimeOnly: true }), ['schedule "zz-lunch" added']],
    ['locked category', (p) => void p.locked.categories.push('zz-locked'), ['locked category "zz-locked" added']],
  ];
  for (const [name, edit, expected] of cases) {
    const after = copy();
    edit(after);
    assert.deepEqual(summaries(after), expected, name);
  }
});

const edits: ((p: Policy, n: number) => void)[] = [
  (p, n) => p.rules.length > 0 && void p.rules.splice(n % p.rules.length, 1),
  (p, n) => p.rules.length > 1 && void p.rules.push(...p.rules.splice(n % p.rules.length, 1)),
  (p, n) => p.rules.length > 0 && void (p.rules[n % p.rules.length]!.alert = !p.rules[n % p.rules.length]!.alert),
  (p, n) => p.rules.length > 0 && void (p.rules[n % p.rules.length]!.name += ' (edited)'),
  (p) => void (p.safeSearch.required = !p.safeSearch.required),
  (p, n) => void (p.categories[`c-${n}`] = { title: 'T', description: 'D', lists: [], usage: 'allow' }),
  (p, n) => void p.groups.push({ id: `g-${n}`, title: 'G' }),
  (p) => void p.calendar.terms.reverse(),
  (p) => void (p.school.name += ' renamed'),
];
const editPlan = fc.array(fc.tuple(fc.nat(edits.length - 1), fc.nat(1000)), { maxLength: 6 });
const apply = (plan: [number, number][]) => {
  const p = copy();
  for (const [which, n] of plan) edits[which]!(p, n);
  return p;
};

test('property: a policy has no differences from itself, and two policies differ exactly when their text does', () => {
  fc.assert(
    fc.property(editPlan, editPlan, (x, y) => {
      const a = apply(x);
      const b = apply(y);
      assert.deepEqual(diffPolicies(a, a), []);
      assert.equal(diffPolicies(a, b).length === 0, canonicalText(a) === canonicalText(b));
      assert.deepEqual(diffPolicies(a, b), diffPolicies(a, b), 'deterministic');
    }),
    { numRuns: 150 },
  );
});

test('property: what is added one way is removed the other way', () => {
  fc.assert(
    fc.property(editPlan, (x) => {
      const a = apply(x);
      const count = (from: Policy, to: Policy, kind: string) => diffPolicies(from, to).filter((d) => d.kind === kind).length;
      assert.equal(count(pack, a, 'added'), count(a, pack, 'removed'));
      assert.equal(count(pack, a, 'removed'), count(a, pack, 'added'));
    }),
    { numRuns: 100 },
  );
});
