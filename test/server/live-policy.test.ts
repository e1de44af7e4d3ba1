// Live policy from the control plane into a running DNS server, on every database: publishing swaps
// the policy in without a restart; late, damaged and uncompilable versions never replace the one in
// force; start-up reconciliation; a cold start with the database down enforces the last good file,
// and with no file the default pack (its locked tier blocks illegal content whatever is published).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy } from '../../src/core/policy/schema.ts';
import { importLists } from '../../src/services/lists/import.ts';
import { silentProgress } from '../../src/services/ports.ts';
import { saveDraft, setRequiresApproval, submit } from '../../src/services/policy-change/policy-changes.ts';
import { EnforcementGroup } from '../../src/server/live-policy.ts';
import { rebuildSnapshot } from '../../src/server/wiring.ts';
import { LastGoodPolicyStore } from '../../src/storage/files/last-good-policy.ts';
import { FileListStore } from '../../src/storage/files/list-store.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { openDatabase } from '../../src/storage/sql/database.ts';
import { SqlPolicyRepository } from '../../src/storage/sql/policy-repository.ts';
import { fixtureAddress } from '../support/dns-fixture.ts';
import { eachDialect, type TestDialect } from '../support/databases.ts';
import { policyChangeFixture } from '../services/policy-change/policy-change-fixture.ts';
import { BLOCKED, closedPort, livePolicy, newDataDir, startLiveDns } from './live-support.ts';

const pack = loadDefaultPack();
/** The default pack blocks it (row 18, gambling); a policy without rules allows it. */
const GAMBLING = 'www.bet365.com';
const ILLEGAL = 'abuse-material.example.test';
const noRules: Policy = { ...structuredClone(pack), rules: [] };

/** Publishes `document` through change control with approval off (it is published at once). */
async function publishThroughService(f: Awaited<ReturnType<typeof policyChangeFixture>>, document: Policy, reason: string): Promise<number> {
  await saveDraft(f.deps, f.schoolId, f.itLead, document);
  const { published } = await submit(f.deps, f.schoolId, f.itLead, reason);
  return published!.version;
}

/** The policy repository of a database that cannot be reached. */
async function unreachable(dialect: TestDialect): Promise<() => Promise<never>> {
  if (dialect.name === 'postgres') {
    const url = `postgres://postgres@127.0.0.1:${await closedPort()}/ringfence`;
    return async () => {
      await openDatabase({ kind: 'postgres', url });
      throw new Error('the closed port answered');
    };
  }
  const closed = await openDatabase({ kind: 'sqlite', file: join(newDataDir(), 'ringfence.db') });
  await closed.close();
  const repository = new SqlPolicyRepository(closed);
  return () => repository.currentVersion('0190a4e0-0000-7000-8000-000000000000') as Promise<never>;
}

await eachDialect('live policy', (dialect) => {
  test('a version published through change control is enforced by the running DNS server at once', async () => {
    await using database = await dialect.open();
    const base = await policyChangeFixture(database);
    const group = new EnforcementGroup();
    const dataDir = newDataDir();
    const said: string[] = [];
    const live = livePolicy(dataDir, base.schoolId, group, said);
    const f = { ...base, deps: { ...base.deps, onPublished: live.onPublished } };
    await setRequiresApproval(f.deps, f.schoolId, f.headteacher, false);
    const dns = await startLiveDns(dataDir, group);
    try {
      assert.equal(await dns.answer(GAMBLING), BLOCKED, 'the default pack before anything is published');
      assert.equal(await publishThroughService(f, noRules, 'Trial without school rules'), 1);
      assert.equal(await dns.answer(GAMBLING), fixtureAddress(GAMBLING), 'v1 in force without a restart or file polling');
      assert.equal(await publishThroughService(f, pack, 'Back to the default pack'), 2);
      assert.equal(await dns.answer(GAMBLING), BLOCKED, 'v2 in force');
      assert.match(dns.said.at(-1)!, /policy from published policy v2/);
      assert.ok(said.includes('published policy v2 is in force'), said.join('\n'));

      // A late event for an older version (another node, a retry) changes nothing.
      await live.onPublished(f.schoolId, 1, noRules);
      assert.match(said.at(-1)!, /published policy v1 ignored: v2 is already on disk/);
      assert.equal(await dns.answer(GAMBLING), BLOCKED);
      // Another school's version is not this node's.
      await live.onPublished(f.headteacher, 9, noRules);
      assert.match(said.at(-1)!, /published policy v9 ignored: it is for school/);

      // A version the engine refuses is reported; the one in force stays, and is not written.
      const broken: Policy = { ...structuredClone(noRules), locked: { categories: ['no-such-category'] } };
      assert.equal(await publishThroughService(f, broken, 'A mistake'), 3);
      assert.match(said.at(-1)!, /published policy v3 does not compile, still enforcing the policy in force: .*no-such-category/);
      assert.equal(await dns.answer(GAMBLING), BLOCKED);
      assert.equal(existsSync(new LastGoodPolicyStore(dataDir).pathOf(3)), false);
    } finally {
      await dns.stop();
    }
  });

  test('start-up reconciliation writes a newer database version; with the database down the last good file is enforced', async () => {
    await using database = await dialect.open();
    const f = await policyChangeFixture(database);
    await setRequiresApproval(f.deps, f.schoolId, f.headteacher, false);
    const dataDir = newDataDir();
    const group = new EnforcementGroup();
    const said: string[] = [];
    const live = livePolicy(dataDir, f.schoolId, group, said);
    await publishThroughService(f, pack, 'First');
    await publishThroughService(f, noRules, 'Second');
    await live.publish({ schoolId: f.schoolId, version: 1, publishedAt: '2025-09-01T08:00:00.000Z' }, pack);

    const repository = new SqlPolicyRepository(database);
    const outcome = await live.reconcile(() => repository.currentVersion(f.schoolId));
    assert.deepEqual([outcome.kind, outcome.kind === 'enforced' && outcome.version], ['enforced', 2]);
    assert.deepEqual((await live.reconcile(() => repository.currentVersion(f.schoolId))).kind, 'up-to-date');

    const down = await live.reconcile(await unreachable(dialect));
    assert.equal(down.kind, 'database-unavailable');
    assert.match(said.at(-1)!, new RegExp(`cannot read the published policy from the database .*; enforcing published policy v2 from ${dataDir}`));
    const dns = await startLiveDns(dataDir, group);
    try {
      assert.equal(await dns.answer(GAMBLING), fixtureAddress(GAMBLING), 'v2 (no rules) from the last good file');
    } finally {
      await dns.stop();
    }
  });
});

test('a damaged published file leaves the last good policy in force and is reported; a cold start falls back to the newest good file', async () => {
  const dataDir = newDataDir();
  const group = new EnforcementGroup();
  const said: string[] = [];
  const school = '0190a4e0-0000-7000-8000-000000000001';
  const live = livePolicy(dataDir, school, group, said);
  const dns = await startLiveDns(dataDir, group);
  try {
    await live.publish({ schoolId: school, version: 1, publishedAt: '2025-09-01T08:00:00.000Z' }, noRules);
    await live.publish({ schoolId: school, version: 2, publishedAt: '2025-09-02T08:00:00.000Z' }, pack);
    assert.equal(await dns.answer(GAMBLING), BLOCKED, 'v2 in force');
    const v2 = new LastGoodPolicyStore(dataDir).pathOf(2);
    // One changed byte inside the document: still valid JSON and a valid policy, caught by the checksum.
    writeFileSync(v2, readFileSync(v2, 'utf8').replace('"action": "block"', '"action": "allow"'));
    assert.equal(await dns.dns.service.reload(), true);
    assert.equal(await dns.answer(GAMBLING), BLOCKED, 'v2 stays in force, not the older v1 on disk');
    assert.ok(dns.said.some((l) => /skipped a damaged published policy: published policy .*policy-v2\.json fails its checksum/.test(l)), dns.said.join('\n'));
    assert.ok(dns.said.some((l) => /skipped a fallback below published policy v2: it stays in force/.test(l)), dns.said.join('\n'));
    assert.match(dns.said.at(-1)!, /policy from published policy v2/);
  } finally {
    await dns.stop();
  }
  const cold = await startLiveDns(dataDir, new EnforcementGroup());
  try {
    assert.equal(await cold.answer(GAMBLING), fixtureAddress(GAMBLING), 'the newest good file, v1');
    assert.ok(cold.said.some((l) => /skipped a damaged published policy: .*policy-v2\.json/.test(l)), cold.said.join('\n'));
  } finally {
    await cold.stop();
  }
  // A damaged file of a newer version does not hide the next good one: it is set aside.
  const files = new LastGoodPolicyStore(dataDir);
  writeFileSync(files.pathOf(5), '{"format":1,"schoolId":"cut sh');
  const outcome = await live.publish({ schoolId: school, version: 3, publishedAt: '2025-09-03T08:00:00.000Z' }, pack);
  assert.equal(outcome.kind, 'enforced');
  assert.deepEqual(files.versions(), [3, 2, 1]);
  assert.equal(existsSync(`${files.pathOf(5)}.damaged`), true);
  assert.equal(files.loadNewestGood().found?.meta.version, 3);
});

test('a cold start with no database and no published file enforces the default pack; illegal content is blocked whatever is published', async () => {
  const dataDir = newDataDir();
  const store = new FileListStore(dataDir);
  const file = join(dataDir, 'illegal.txt');
  writeFileSync(file, `${ILLEGAL}\n`);
  await importLists({ format: 'domains', path: file, name: 'iwf', category: 'child-abuse', illegal: true }, { store, progress: silentProgress, now: () => new Date() });
  await rebuildSnapshot(dataDir, store, silentProgress);
  const group = new EnforcementGroup();
  const said: string[] = [];
  const school = '0190a4e0-0000-7000-8000-000000000002';
  const live = livePolicy(dataDir, school, group, said);
  const url = `postgres://postgres@127.0.0.1:${await closedPort()}/ringfence`;
  const outcome = await live.reconcile(async () => {
    await openDatabase({ kind: 'postgres', url });
    throw new Error('the closed port answered');
  });
  assert.equal(outcome.kind, 'database-unavailable');
  assert.match(said.at(-1)!, /enforcing the data folder's policy \(DATA\/policy\.yaml or the default pack\)/);
  const dns = await startLiveDns(dataDir, group);
  try {
    assert.match(dns.said.at(-1)!, /policy from default pack/);
    assert.equal(await dns.answer(ILLEGAL), BLOCKED, 'locked tier');
    assert.equal(await dns.answer(GAMBLING), BLOCKED, 'school rules of the default pack');
    await live.publish({ schoolId: school, version: 1, publishedAt: '2025-09-01T08:00:00.000Z' }, { ...noRules, locked: { categories: [] } });
    assert.equal(await dns.answer(GAMBLING), fixtureAddress(GAMBLING), 'the published policy is in force');
    assert.equal(await dns.answer(ILLEGAL), BLOCKED, 'a list imported as illegal stays locked under any policy');
  } finally {
    await dns.stop();
  }
});
