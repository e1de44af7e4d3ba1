import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PolicyEngine } from '../../../src/core/policy/engine.ts';
import type { PolicyInput } from '../../../src/core/policy/schema.ts';
import { MONDAY_10, MONDAY_19, policyOf, snapshotOf } from './fixtures.ts';

const snapshot = snapshotOf([
  { id: 'games-list', domains: ['games.example', 'both.example'] },
  { id: 'illegal-list', domains: ['bad.example', 'both.example'] },
  { id: 'health-list', domains: ['clinic.example', 'bad-but-health.example'] },
  { id: 'feed', domains: ['fed.example'], meta: { illegal: true } },
  { id: 'unmapped', domains: ['cooking.example'] },
  { id: 'url-list', urls: [{ host: 'pages.example', path: '/games' }], meta: { category: 'games' } },
]);

function engine(rules: PolicyInput['rules'], extra: Partial<PolicyInput> = {}) {
  return new PolicyEngine(policyOf({ rules, ...extra }), snapshot);
}
const pupil = { groups: ['pupils'] };

test('the locked tier blocks illegal lists above any school rule, with an alert', () => {
  const e = engine([{ id: 'allow-all', name: 'Allow everything', who: 'anyone', what: 'anything', action: 'allow' }]);
  for (const target of ['bad.example', 'www.both.example', 'fed.example']) {
    const d = e.decide({ ...pupil, target, time: MONDAY_10 });
    assert.equal(d.action, 'block', target);
    assert.equal(d.tier, 'locked');
    assert.equal(d.verdict, 'I');
    assert.equal(d.alert, true);
  }
  const fed = e.decide({ ...pupil, target: 'fed.example', time: MONDAY_10 });
  assert.equal(fed.list, 'feed', 'a list marked illegal is locked whatever its category');
  assert.equal(e.decide({ ...pupil, target: 'games.example', time: MONDAY_10 }).action, 'allow');
});

test('school rules: first match wins, and the decision names rule, category and list', () => {
  const e = engine([
    { id: 'allow-health', name: 'Health', who: 'anyone', what: { categories: ['health'] }, action: 'allow', verdict: 'A' },
    { id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block', verdict: 'U' },
    { id: 'allow-games', name: 'Games again', who: 'anyone', what: { categories: ['games'] }, action: 'allow' },
  ]);
  const d = e.decide({ ...pupil, target: 'https://www.games.example/play', time: MONDAY_10 });
  assert.deepEqual(
    { action: d.action, tier: d.tier, rule: d.rule, category: d.category, list: d.list, verdict: d.verdict, alert: d.alert },
    { action: 'block', tier: 'school', rule: 'block-games', category: 'games', list: 'games-list', verdict: 'U', alert: false },
  );
  assert.match(d.reason, /Blocked by school rule "Games"/);
  assert.equal(e.decide({ ...pupil, target: 'clinic.example', time: MONDAY_10 }).rule, 'allow-health');
});

test('the default tier answers when no rule matches, naming an unmapped list if there is one', () => {
  const e = engine([]);
  const plain = e.decide({ ...pupil, target: 'nowhere.example', time: MONDAY_10 });
  assert.deepEqual([plain.action, plain.tier, plain.rule, plain.list, plain.verdict], ['allow', 'default', null, null, null]);
  const cooking = e.decide({ ...pupil, target: 'cooking.example', time: MONDAY_10 });
  assert.deepEqual([cooking.tier, cooking.list, cooking.category], ['default', 'unmapped', null]);
  const strict = engine([], { default: { action: 'block' } });
  assert.equal(strict.decide({ ...pupil, target: 'nowhere.example', time: MONDAY_10 }).action, 'block');
});

test('who: users and groups', () => {
  const e = engine([
    { id: 'staff-games', name: 'Staff games', who: { groups: ['staff'], users: ['pupil.one'] }, what: { categories: ['games'] }, action: 'allow' },
    { id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block' },
  ]);
  assert.equal(e.decide({ groups: ['staff'], target: 'games.example', time: MONDAY_10 }).action, 'allow');
  assert.equal(e.decide({ groups: ['pupils'], target: 'games.example', time: MONDAY_10 }).action, 'block');
  assert.equal(e.decide({ user: 'pupil.one', groups: ['pupils'], target: 'games.example', time: MONDAY_10 }).action, 'allow');
  assert.equal(e.decide({ target: 'games.example', time: MONDAY_10 }).action, 'block');
});

test('where: client addresses, CIDR blocks and ranges; no address means no match', () => {
  const e = engine([
    { id: 'lab', name: 'Lab', who: 'anyone', what: { categories: ['games'] }, where: { addresses: ['10.1.0.0/16', '192.0.2.10-192.0.2.20', '2001:db8::/32'] }, action: 'allow' },
    { id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block' },
  ]);
  const at = (clientIp: string | null) => e.decide({ ...pupil, clientIp, target: 'games.example', time: MONDAY_10 }).action;
  assert.equal(at('10.1.200.3'), 'allow');
  assert.equal(at('::ffff:10.1.0.1'), 'allow', 'IPv4-mapped clients match IPv4 rules');
  assert.equal(at('192.0.2.15'), 'allow');
  assert.equal(at('192.0.2.21'), 'block');
  assert.equal(at('2001:db8::9'), 'allow');
  assert.equal(at('10.2.0.1'), 'block');
  assert.equal(at(null), 'block');
});

test('when: a schedule in the school time zone; expiry ends time-limited rules', () => {
  const e = engine([
    { id: 'lesson-games', name: 'Games in lessons', who: 'anyone', what: { categories: ['games'] }, when: { schedule: 'lessons' }, action: 'allow', verdict: 'T' },
    { id: 'unblock', name: 'Unblock', who: 'anyone', what: { domains: ['cooking.example'] }, action: 'block', expires: '2026-11-23T12:00:00Z' },
    { id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block', verdict: 'T' },
  ]);
  assert.equal(e.decide({ ...pupil, target: 'games.example', time: MONDAY_10 }).action, 'allow');
  assert.equal(e.decide({ ...pupil, target: 'games.example', time: MONDAY_19 }).action, 'block');
  assert.equal(e.decide({ ...pupil, target: 'games.example', time: Date.parse('2026-11-22T10:00:00Z') }).action, 'block', 'Sunday');
  assert.equal(e.decide({ ...pupil, target: 'cooking.example', time: MONDAY_10 }).rule, 'unblock');
  assert.equal(e.decide({ ...pupil, target: 'cooking.example', time: Date.parse('2026-11-23T12:00:00Z') }).tier, 'default');
});

test('rules may name domains and URL paths of their own', () => {
  const e = engine([
    { id: 'page', name: 'One page', who: 'anyone', what: { urls: ['https://docs.example/unsafe'] }, action: 'block' },
    { id: 'site', name: 'One site', who: 'anyone', what: { domains: ['Site.Example.'] }, action: 'block' },
  ]);
  assert.equal(e.decide({ ...pupil, target: 'http://docs.example/unsafe/1', time: MONDAY_10 }).rule, 'page');
  assert.equal(e.decide({ ...pupil, target: 'http://docs.example/safe', time: MONDAY_10 }).tier, 'default');
  assert.equal(e.decide({ ...pupil, target: 'docs.example', time: MONDAY_10 }).tier, 'default');
  assert.equal(e.decide({ ...pupil, target: 'a.site.example:443', time: MONDAY_10 }).rule, 'site');
  assert.equal(e.decide({ ...pupil, target: 'notsite.example', time: MONDAY_10 }).tier, 'default');
  const ips = engine([{ id: 'net', name: 'A network', who: 'anyone', what: { domains: ['198.51.100.0/24'] }, action: 'block' }]);
  assert.equal(ips.decide({ ...pupil, target: 'http://198.51.100.7/x', time: MONDAY_10 }).rule, 'net', 'a rule may name a CIDR block, as a list line may');
  assert.throws(() => engine([{ id: 'bad', name: 'Bad', who: 'anyone', what: { domains: ['exa mple.com'] }, action: 'block' }]), /rule "bad": site "exa mple.com": /);
});

test('URL-list entries decide full URLs through their category', () => {
  const e = engine([{ id: 'block-games', name: 'Games', who: 'anyone', what: { categories: ['games'] }, action: 'block' }]);
  assert.equal(e.decide({ ...pupil, target: 'http://pages.example/games/x', time: MONDAY_10 }).list, 'url-list');
  assert.equal(e.decide({ ...pupil, target: 'http://pages.example/news', time: MONDAY_10 }).tier, 'default');
});

test('bad input is refused with the code of what was wrong', () => {
  const e = engine([]);
  const code = (fn: () => unknown) => {
    try {
      fn();
      return 'none';
    } catch (err) {
      return (err as { code: string }).code;
    }
  };
  assert.equal(code(() => e.decide({ target: 'http://exa mple.com/', time: MONDAY_10 })), 'RF_HOST_INVALID');
  assert.equal(code(() => e.decide({ target: '', time: MONDAY_10 })), 'RF_REQUEST_INVALID');
  assert.equal(code(() => e.decide({ target: 'a.example', clientIp: '300.1.1.1', time: MONDAY_10 })), 'RF_IP_INVALID');
  assert.equal(code(() => e.decide({ target: 'a.example', time: NaN })), 'RF_TIME_INVALID');
  assert.equal(code(() => engine([{ id: 'x', name: 'x', who: 'anyone', what: { categories: ['nope'] }, action: 'block' }])), 'RF_POLICY_INVALID');
  assert.equal(code(() => engine([{ id: 'x', name: 'x', who: { groups: ['nope'] }, what: 'anything', action: 'block' }])), 'RF_POLICY_INVALID');
  assert.equal(code(() => engine([{ id: 'x', name: 'x', who: 'anyone', what: 'anything', where: { addresses: ['10.0.0.0/33'] }, action: 'block' }])), 'RF_POLICY_INVALID');
});

test('decisions are shared frozen objects (no allocation per request)', () => {
  const e = engine([]);
  const a = e.decide({ ...pupil, target: 'x.example', time: MONDAY_10 });
  const b = e.decide({ ...pupil, target: 'y.example', time: MONDAY_10 });
  assert.equal(a, b);
  assert.ok(Object.isFrozen(a));
});
