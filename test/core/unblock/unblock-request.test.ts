// The checks on what a teacher asks for: the site, the group, the period, and who may take which step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';
import { parseListLine } from '../../../src/core/lists/parse-line.ts';
import {
  checkUnblockStep,
  DAY_MS,
  parseUnblockSite,
  START_GRACE_MS,
  UNBLOCK_MAX_DAYS,
  validateGroup,
  validatePeriod,
  validateUnblockInput,
  type UnblockRequest,
} from '../../../src/core/unblock/unblock-request.ts';
import { policyOf } from '../policy/fixtures.ts';

const NOW = Date.parse('2026-03-02T10:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const code = (c: string, pattern = /./) => (e: unknown) => e instanceof RingfenceError && e.code === c && pattern.test(e.message);

test('a site is a canonical domain, or a URL reduced to host/path', () => {
  assert.deepEqual(parseUnblockSite('  Example.ORG  '), { kind: 'domain', value: 'example.org' });
  assert.deepEqual(parseUnblockSite('https://www.example.org/'), { kind: 'domain', value: 'www.example.org' });
  assert.deepEqual(parseUnblockSite('https://user@Video.Example.org:8443/watch/History/?v=1#t'), { kind: 'url', value: 'video.example.org/watch/History' });
  assert.deepEqual(parseUnblockSite('example.org/a/./b/../c//'), { kind: 'url', value: 'example.org/a/c' });
  assert.deepEqual(parseUnblockSite('bücher.example'), { kind: 'domain', value: 'xn--bcher-kva.example' });
  for (const bad of ['', '   ', 'http://192.168.0.1/x', '[::1]', 'com', 'co.uk', 'exa mple.org', 'http://exa_mple..org']) {
    assert.throws(() => parseUnblockSite(bad), code(ErrorCodes.UNBLOCK_INVALID), bad);
  }
});

test('property: a valid site reads back, as a rule reads it, to exactly itself', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const segment = fc.stringMatching(/^[A-Za-z0-9._~%-]{1,8}$/);
  fc.assert(
    fc.property(fc.array(label, { minLength: 2, maxLength: 4 }), fc.array(segment, { maxLength: 3 }), fc.constantFrom('', 'http://', 'https://'), (labels, segments, scheme) => {
      let site;
      try {
        site = parseUnblockSite(`${scheme}${labels.join('.')}/${segments.join('/')}`);
      } catch (e) {
        assert.ok(e instanceof RingfenceError && e.code === ErrorCodes.UNBLOCK_INVALID);
        return;
      }
      const line = parseListLine(site.value, 'domains');
      assert.equal(line.kind, 'entry');
      if (line.kind !== 'entry') return;
      assert.equal(line.entry.kind, site.kind);
      assert.equal(parseUnblockSite(site.value).value, site.value, 'idempotent');
    }),
  );
});

test('property: any input either gives a site or an UNBLOCK_INVALID error', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 60 }), (text) => {
      try {
        const site = parseUnblockSite(text);
        assert.ok(site.value.includes('.'));
        assert.ok(!/[\s?#]/.test(site.value));
      } catch (e) {
        assert.ok(e instanceof RingfenceError && e.code === ErrorCodes.UNBLOCK_INVALID, String(e));
      }
    }),
  );
});

test('the group must be a group of the policy', () => {
  const policy = policyOf({});
  assert.equal(validateGroup(policy, ' pupils '), 'pupils');
  assert.throws(() => validateGroup(policy, 'year-5'), code(ErrorCodes.GROUP_UNKNOWN, /groups: pupils, staff/));
});

test('a period starts now or later, ends after it starts and lasts at most 90 days', () => {
  const zone = 'Europe/London';
  assert.deepEqual(validatePeriod({ endsAt: '2026-03-02T15:30:00Z' }, NOW, zone), { startsAt: iso(NOW), endsAt: '2026-03-02T15:30:00.000Z' });
  assert.deepEqual(validatePeriod({ startsAt: iso(NOW - 60_000), endsAt: iso(NOW + DAY_MS) }, NOW, zone).startsAt, iso(NOW), 'a moment ago is now');
  // Without an offset, the school's local time (BST in June).
  assert.equal(validatePeriod({ startsAt: '2026-06-01T09:00', endsAt: '2026-06-01T15:00' }, NOW, zone).startsAt, '2026-06-01T08:00:00.000Z');
  assert.throws(() => validatePeriod({ startsAt: iso(NOW - START_GRACE_MS - 1), endsAt: iso(NOW + DAY_MS) }, NOW, zone), code(ErrorCodes.UNBLOCK_INVALID, /starts in the past/));
  assert.throws(() => validatePeriod({ endsAt: iso(NOW) }, NOW, zone), code(ErrorCodes.UNBLOCK_INVALID, /must end after it starts/));
  assert.throws(() => validatePeriod({ endsAt: iso(NOW + UNBLOCK_MAX_DAYS * DAY_MS + 1) }, NOW, zone), code(ErrorCodes.UNBLOCK_INVALID, /more than 90 days/));
  assert.throws(() => validatePeriod({ endsAt: '2026-02-30T10:00Z' }, NOW, zone), code(ErrorCodes.UNBLOCK_INVALID, /end of the period/));
  assert.throws(() => validatePeriod({ endsAt: '' }, NOW, zone), code(ErrorCodes.UNBLOCK_INVALID, /when the unblock ends/));
});

test('property: an accepted period starts at or after now, ends after it starts and lasts at most 90 days', () => {
  const offset = fc.integer({ min: -2 * DAY_MS, max: 120 * DAY_MS });
  fc.assert(
    fc.property(fc.option(offset, { nil: undefined }), offset, (start, end) => {
      const input = { startsAt: start === undefined ? null : iso(NOW + start), endsAt: iso(NOW + end) };
      let period;
      try {
        period = validatePeriod(input, NOW, 'Europe/London');
      } catch (e) {
        assert.ok(e instanceof RingfenceError && e.code === ErrorCodes.UNBLOCK_INVALID, String(e));
        const s = Math.max(NOW, NOW + (start ?? 0));
        const refusedRightly = (start ?? 0) < -START_GRACE_MS || NOW + end <= s || NOW + end - s > UNBLOCK_MAX_DAYS * DAY_MS;
        assert.ok(refusedRightly, `refused ${JSON.stringify(input)}: ${(e as Error).message}`);
        return;
      }
      const s = Date.parse(period.startsAt);
      const en = Date.parse(period.endsAt);
      assert.ok(s >= NOW && en > s && en - s <= UNBLOCK_MAX_DAYS * DAY_MS);
    }),
  );
});

test('the whole input is checked against the policy, reason included', () => {
  const policy = policyOf({});
  const valid = validateUnblockInput({ site: 'https://example.org/topic', group: 'pupils', endsAt: iso(NOW + DAY_MS), reason: '  Research for a history project ' }, policy, NOW);
  assert.equal(valid.reason, 'Research for a history project');
  assert.throws(() => validateUnblockInput({ site: 'example.org', group: 'pupils', endsAt: iso(NOW + DAY_MS), reason: ' ' }, policy, NOW), code(ErrorCodes.POLICY_CHANGE_INVALID, /a reason is required/));
});

test('steps: the requester cannot decide their own request, only the requester can cancel, only pending requests move', () => {
  const teacher = '0190a6b2-7c4e-7d3a-9f00-000000000001';
  const approver = '0190a6b2-7c4e-7d3a-9f00-000000000002';
  const request: UnblockRequest = {
    id: '0190a6b2-7c4e-7d3a-9f00-0000000000aa', schoolId: '0190a6b2-7c4e-7d3a-9f00-0000000000bb', requester: teacher,
    site: { kind: 'domain', value: 'example.org' }, group: 'pupils', startsAt: iso(NOW), endsAt: iso(NOW + DAY_MS), reason: 'Why',
    state: 'pending', requestedAt: iso(NOW), decidedBy: null, decidedAt: null, decisionComment: null, publishedVersion: null, expiredAt: null,
  };
  assert.throws(() => checkUnblockStep(request, teacher, 'approve', NOW), code(ErrorCodes.UNBLOCK_FORBIDDEN, /a second person must/));
  assert.throws(() => checkUnblockStep(request, teacher, 'decline', NOW), code(ErrorCodes.UNBLOCK_FORBIDDEN));
  assert.throws(() => checkUnblockStep(request, approver, 'cancel', NOW), code(ErrorCodes.UNBLOCK_FORBIDDEN, /only the teacher who asked/));
  assert.doesNotThrow(() => checkUnblockStep(request, approver, 'approve', NOW));
  assert.doesNotThrow(() => checkUnblockStep(request, teacher, 'cancel', NOW));
  assert.throws(() => checkUnblockStep(request, approver, 'approve', NOW + DAY_MS), code(ErrorCodes.UNBLOCK_CONFLICT, /ended/));
  for (const state of ['approved', 'declined', 'cancelled', 'expired'] as const) {
    assert.throws(() => checkUnblockStep({ ...request, state }, approver, 'approve', NOW), code(ErrorCodes.UNBLOCK_CONFLICT, new RegExp(`is ${state}, not pending`)));
  }
});
