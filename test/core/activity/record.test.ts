import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { activityLine, type ActivityRecord } from '../../../src/core/activity/record.ts';

const text = fc.string({ unit: 'binary', maxLength: 40 });
const nullable = fc.option(text, { nil: null });
const record: fc.Arbitrary<ActivityRecord> = fc.record(
  {
    time: fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString()),
    source: fc.constantFrom('dns' as const, 'proxy' as const),
    transport: fc.constantFrom('udp', 'tcp', 'doh', 'http'),
    client: text,
    user: nullable,
    device: nullable,
    groups: fc.array(text, { maxLength: 3 }),
    name: text,
    type: text,
    url: text,
    action: fc.constantFrom('allow' as const, 'block' as const),
    answer: text,
    tier: nullable,
    verdict: nullable,
    category: nullable,
    rule: nullable,
    list: nullable,
    rcode: text,
    status: fc.integer({ min: 100, max: 599 }),
    ref: text,
    latencyMs: fc.double({ min: 0, max: 1e6, noNaN: true }),
    bytesIn: fc.nat(),
    bytesOut: fc.nat(),
  },
  { requiredKeys: ['time', 'source', 'transport', 'client', 'user', 'device', 'groups', 'name', 'type', 'action', 'answer', 'tier', 'verdict', 'category', 'rule', 'list', 'latencyMs'] },
);

test('property: every line is JSON that reads back as the record (client strings escaped)', () => {
  fc.assert(
    fc.property(record, (r) => {
      const line = activityLine(r);
      assert.ok(!line.includes('\n'), 'one line');
      const expected = JSON.parse(JSON.stringify({ ...r, bytesOut: r.bytesIn === undefined ? undefined : (r.bytesOut ?? 0) }));
      assert.deepEqual(JSON.parse(line), expected);
    }),
    { numRuns: 2000 },
  );
});
