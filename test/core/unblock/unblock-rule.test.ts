// The unblock rule in the engine: it wins over the school's blocks for its group until it expires,
// never over the locked tier; ended unblock rules are removed; the period presets.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { PolicyEngine } from '../../../src/core/policy/engine.ts';
import { periodPresets } from '../../../src/core/unblock/period-presets.ts';
import { unblockRuleId, withoutEndedUnblocks, withUnblockRule } from '../../../src/core/unblock/unblock-rule.ts';
import type { UnblockRequest } from '../../../src/core/unblock/unblock-request.ts';
import { MONDAY_10, policyOf, snapshotOf } from '../policy/fixtures.ts';

const snapshot = snapshotOf([
  { id: 'games-list', domains: ['games.example'] },
  { id: 'illegal-list', domains: ['bad.example'] },
]);
const school = policyOf({
  rules: [{ id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block' }],
});
const ENDS = MONDAY_10 + 3_600_000;

function request(id: string, site: UnblockRequest['site'], group = 'pupils'): Pick<UnblockRequest, 'id' | 'site' | 'group' | 'endsAt'> {
  return { id, site, group, endsAt: new Date(ENDS).toISOString() };
}

const pupil = { groups: ['pupils'] };
const staff = { groups: ['staff'] };

test('the rule goes first, allows the site for the group only, and stops at the end of the period', () => {
  const r = request('0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f60', { kind: 'domain', value: 'games.example' });
  const policy = withUnblockRule(school, r);
  assert.equal(unblockRuleId(r.id), 'unblock-1b2c3d4e5f60');
  const rule = policy.rules[0]!;
  assert.deepEqual([rule.id, rule.action, rule.expires, rule.who], ['unblock-1b2c3d4e5f60', 'allow', r.endsAt, { users: [], groups: ['pupils'] }]);
  assert.match(rule.name, /^Unblock games\.example for Pupils until 2026-11-23 11:00 UTC/);
  assert.equal(policy.rules[1]!.id, 'block-games', 'the school rules follow');
  const engine = new PolicyEngine(policy, snapshot);
  const allowed = engine.decide({ ...pupil, target: 'https://www.games.example/play', time: MONDAY_10 });
  assert.deepEqual([allowed.action, allowed.rule], ['allow', rule.id]);
  assert.equal(engine.decide({ ...staff, target: 'games.example', time: MONDAY_10 }).action, 'block', 'another group');
  assert.equal(engine.decide({ ...pupil, target: 'games.example', time: ENDS - 1 }).action, 'allow');
  assert.deepEqual([engine.decide({ ...pupil, target: 'games.example', time: ENDS }).action, engine.decide({ ...pupil, target: 'games.example', time: ENDS }).rule], ['block', 'block-games'], 'at the end it is blocked again');
  assert.deepEqual(withUnblockRule(policy, r).rules.map((x) => x.id), [rule.id, 'block-games'], 'applying it twice keeps one rule');
});

test('a URL unblock allows that path and below, not the rest of the site', () => {
  const policy = withUnblockRule(school, request('0190a6b2-7c4e-7d3a-9f00-000000000001', { kind: 'url', value: 'games.example/history' }));
  const engine = new PolicyEngine(policy, snapshot);
  assert.equal(engine.decide({ ...pupil, target: 'http://games.example/history/rome', time: MONDAY_10 }).action, 'allow');
  assert.equal(engine.decide({ ...pupil, target: 'http://games.example/arcade', time: MONDAY_10 }).action, 'block');
});

test('an unblock of a domain in a locked category stays blocked: the locked tier is above every rule', () => {
  const policy = withUnblockRule(school, request('0190a6b2-7c4e-7d3a-9f00-000000000002', { kind: 'domain', value: 'bad.example' }));
  const d = new PolicyEngine(policy, snapshot).decide({ ...pupil, target: 'bad.example', time: MONDAY_10 });
  assert.deepEqual([d.action, d.tier], ['block', 'locked']);
});

test('the group must still be in the policy', () => {
  assert.throws(() => withUnblockRule(school, request('0190a6b2-7c4e-7d3a-9f00-000000000003', { kind: 'domain', value: 'x.example' }, 'year-5')), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.GROUP_UNKNOWN);
});

test('ended unblock rules are removed; other rules, and unblocks still running, stay', () => {
  const a = request('0190a6b2-7c4e-7d3a-9f00-00000000000a', { kind: 'domain', value: 'a.example' });
  const b = { ...request('0190a6b2-7c4e-7d3a-9f00-00000000000b', { kind: 'domain', value: 'b.example' }), endsAt: new Date(ENDS + 3_600_000).toISOString() };
  const both = withUnblockRule(withUnblockRule(school, a), b);
  assert.strictEqual(withoutEndedUnblocks(both, ENDS - 1), both, 'nothing ended: the same policy');
  assert.deepEqual(withoutEndedUnblocks(both, ENDS).rules.map((r) => r.id), [unblockRuleId(b.id), 'block-games']);
  assert.deepEqual(withoutEndedUnblocks(both, ENDS - 1, new Set([unblockRuleId(b.id)])).rules.map((r) => r.id), [unblockRuleId(a.id), 'block-games'], 'named ones go early');
  const ownTimed = policyOf({ rules: [{ id: 'trial', name: 'Trial', who: 'anyone', what: 'anything', action: 'allow', expires: '2020-01-01T00:00:00Z' }] });
  assert.strictEqual(withoutEndedUnblocks(ownTimed, ENDS), ownTimed, "the school's own time-limited rules are not touched");
});

test('presets: end of today, of this week and of this term, at local midnight', () => {
  // Wednesday 2026-06-17 14:00 BST (13:00Z); the summer term ends Friday 2026-07-17.
  const now = Date.parse('2026-06-17T13:00:00Z');
  const calendar = { terms: [{ name: 'Summer', from: '2026-04-13', to: '2026-07-17' }], holidays: [] };
  const p = periodPresets({ school: { name: 'S', timeZone: 'Europe/London' }, calendar }, now);
  assert.deepEqual(p, { endOfToday: '2026-06-17T23:00:00.000Z', endOfWeek: '2026-06-21T23:00:00.000Z', endOfTerm: '2026-07-17T23:00:00.000Z' });
  const sunday = periodPresets({ school: { name: 'S', timeZone: 'Europe/London' }, calendar }, Date.parse('2026-06-21T10:00:00Z'));
  assert.equal(sunday.endOfWeek, '2026-06-21T23:00:00.000Z', 'on Sunday the week ends tonight');
  assert.equal(periodPresets({ school: { name: 'S', timeZone: 'Europe/London' }, calendar }, Date.parse('2026-08-01T10:00:00Z')).endOfTerm, null, 'in the holidays');
  assert.equal(periodPresets({ school: { name: 'S', timeZone: 'Europe/London' }, calendar: { terms: [], holidays: [] } }, now).endOfTerm, null);
});
