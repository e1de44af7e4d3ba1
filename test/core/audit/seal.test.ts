import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { canonicalJson, type JsonValue } from '../../../src/core/audit/canonical.ts';
import { GENESIS_HASH, validateAuditInput, type AuditEntry } from '../../../src/core/audit/entry.ts';
import { checkpointIsSealed, entryFault, sealCheckpoint, sealEntry, type AuditSealFunctions } from '../../../src/core/audit/seal.ts';
import { ErrorCodes, RingfenceError } from '../../../src/core/errors.ts';

function sealWith(key: string): AuditSealFunctions {
  return {
    sha256Hex: (t) => createHash('sha256').update(t).digest('hex'),
    hmacHex: (t) => createHmac('sha256', key).update(t).digest('hex'),
  };
}
const SEAL = sealWith('key one');
const SCHOOL = '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f61';
const AT = '2025-03-04T09:15:00.123Z';

const json: fc.Arbitrary<JsonValue> = fc.jsonValue() as fc.Arbitrary<JsonValue>;
const record = fc.record({
  schoolId: fc.constantFrom(SCHOOL, null),
  actor: fc.constantFrom('system', '0190a6b2-7c4e-7d3a-9f00-1b2c3d4e5f62'),
  action: fc.constantFrom('policy.rule.update', 'school.create', 'unblock.approve'),
  target: fc.option(fc.string({ minLength: 1, maxLength: 40 }).filter((s) => !/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(s)), { nil: null }),
  details: fc.dictionary(fc.string(), json, { maxKeys: 4 }),
});

function shuffleKeys(value: JsonValue, seed: number): JsonValue {
  if (Array.isArray(value)) return value.map((v) => shuffleKeys(v, seed));
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  if (seed % 2) keys.reverse();
  return Object.fromEntries(keys.map((k) => [k, shuffleKeys((value as Record<string, JsonValue>)[k]!, seed)]));
}

test('property: canonical JSON is the same text whatever the key order, and reads back as the value', () => {
  fc.assert(
    fc.property(json, fc.nat(), (value, seed) => {
      const text = canonicalJson(value);
      assert.equal(canonicalJson(shuffleKeys(value, seed)), text);
      assert.deepEqual(JSON.parse(text), JSON.parse(JSON.stringify(value)));
    }),
  );
  assert.equal(canonicalJson({ b: [1, { d: 2, c: 'x' }], a: null }), '{"a":null,"b":[1,{"c":"x","d":2}]}');
});

test('canonical JSON refuses what JSON cannot carry, saying where', () => {
  const bad = (v: unknown, pattern: RegExp) =>
    assert.throws(() => canonicalJson(v as JsonValue), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.AUDIT_ENTRY_INVALID && pattern.test(e.message));
  bad({ n: NaN }, /\(NaN\) at \$\.n/);
  bad({ a: [1, undefined] }, /undefined at \$\.a\[1\]/);
  bad({ when: new Date(0) }, /a Date object at \$\.when/);
  bad({ n: 10n }, /a bigint at \$\.n/);
  let deep: JsonValue = 1;
  for (let i = 0; i < 40; i++) deep = [deep];
  bad(deep, /deeper than 32/);
});

test('audit input is validated: actor, school, action, target, details', () => {
  const ok = { schoolId: SCHOOL, actor: 'system', action: 'policy.rule.update' };
  assert.deepEqual(validateAuditInput({ ...ok, details: { z: 1, a: 2 } }), { ...ok, target: null, detailsJson: '{"a":2,"z":1}' });
  const bad = (input: object, pattern: RegExp) =>
    assert.throws(() => validateAuditInput({ ...ok, ...input }), (e: unknown) => e instanceof RingfenceError && e.code === ErrorCodes.AUDIT_ENTRY_INVALID && pattern.test(e.message));
  bad({ actor: 'admin' }, /actor "admin" is neither an account id nor "system"/);
  bad({ schoolId: 'school-1' }, /school id "school-1" is not an id/);
  bad({ action: 'Policy Update' }, /action "Policy Update" must be dotted lower-case words/);
  bad({ target: 'a\nb' }, /target "a\\nb" must be/);
  bad({ details: { big: 'x'.repeat(70_000) } }, /at most 65536 are kept/);
  bad({ details: [1, 2] }, /must be a JSON object/);
});

test('entries chain: the first follows the genesis hash, each next one the hash before it', () => {
  const input = validateAuditInput({ schoolId: SCHOOL, actor: 'system', action: 'school.create', details: { name: 'School A' } });
  const first = sealEntry(input, AT, null, SEAL);
  assert.equal(first.seq, 1);
  assert.equal(first.prevHash, GENESIS_HASH);
  assert.match(first.hash, /^[0-9a-f]{64}$/);
  const second = sealEntry(input, AT, first, SEAL);
  assert.equal(second.seq, 2);
  assert.equal(second.prevHash, first.hash);
  assert.notEqual(second.hash, first.hash, 'the same action twice still hashes differently');
  assert.equal(entryFault(first, SEAL), null);
  assert.equal(entryFault(second, SEAL), null);
});

test('property: changing any hashed field of an entry is "edited"; re-hashing it without the key is "bad-seal"', () => {
  const fields = ['at', 'schoolId', 'actor', 'action', 'target', 'detailsJson', 'prevHash'] as const;
  fc.assert(
    fc.property(record, fc.constantFrom(...fields), fc.string({ minLength: 1, maxLength: 8 }), (input, field, junk) => {
      const entry = sealEntry(validateAuditInput(input), AT, { seq: 4, hash: 'a'.repeat(64) }, SEAL);
      const edited: AuditEntry = { ...entry, [field]: `${String(entry[field])}${junk}` };
      assert.equal(entryFault(edited, SEAL), 'edited');
      const rehashed: AuditEntry = { ...edited, hash: SEAL.sha256Hex(JSON.stringify(['ringfence.audit.entry.v1', edited.at, edited.schoolId, edited.actor, edited.action, edited.target, edited.detailsJson, edited.prevHash])) };
      assert.equal(entryFault(rehashed, SEAL), 'bad-seal');
    }),
  );
});

test('another key does not verify an entry or a checkpoint', () => {
  const entry = sealEntry(validateAuditInput({ schoolId: null, actor: 'system', action: 'trust.create' }), AT, null, SEAL);
  assert.equal(entryFault(entry, sealWith('key two')), 'bad-seal');
  const checkpoint = sealCheckpoint(entry, SEAL);
  assert.deepEqual({ seq: checkpoint.seq, hash: checkpoint.hash }, { seq: 1, hash: entry.hash });
  assert.ok(checkpointIsSealed(checkpoint, SEAL));
  assert.ok(!checkpointIsSealed(checkpoint, sealWith('key two')));
  assert.ok(!checkpointIsSealed({ ...checkpoint, seq: 2 }, SEAL), 'the sequence number is sealed');
  assert.ok(!checkpointIsSealed({ ...checkpoint, mac: entry.mac }, SEAL), "an entry's MAC is not a checkpoint's");
});
