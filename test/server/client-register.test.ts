// Clients identified from the device register by a running DNS server, on every database: a device
// or network written is enforced after refreshClients(); the clients file comes first; with the
// database down the last good copy stays in force, also across a cold start.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Policy, Rule } from '../../src/core/policy/schema.ts';
import { clientRegisterFor } from '../../src/services/directory/client-register.ts';
import { addNetwork, registerDevice, type DeviceDeps } from '../../src/services/directory/devices.ts';
import { applyImport, previewImport } from '../../src/services/directory/roster.ts';
import { createSchool } from '../../src/services/org/organisations.ts';
import { ClientRegisterSync } from '../../src/server/client-register.ts';
import { EnforcementGroup } from '../../src/server/live-policy.ts';
import { clientRegisterPath } from '../../src/storage/files/last-good-clients.ts';
import { loadDefaultPack } from '../../src/storage/files/pack-files.ts';
import { openAuditLog } from '../../src/storage/sql/audit-store.ts';
import { SqlDeviceRepository } from '../../src/storage/sql/device-repository.ts';
import { SqlDirectoryRepository } from '../../src/storage/sql/directory-repository.ts';
import { SqlOrganisationRepository } from '../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../src/storage/sql/uuid-source.ts';
import { fixtureAddress } from '../support/dns-fixture.ts';
import { eachDialect } from '../support/databases.ts';
import { BLOCKED, livePolicy, newDataDir, startLiveDns } from './live-support.ts';

const NAME = 'pupils-only-block.example.test';
/** The default pack plus one rule: pupils in key stage 2 may not reach NAME. */
const policy: Policy = (() => {
  const pack = loadDefaultPack();
  const rule: Rule = { id: 'ks2-test-block', name: 'KS2 test block', who: { users: [], groups: ['pupils-ks2'] }, what: { categories: [], lists: [], domains: [NAME], urls: [] }, where: 'anywhere', when: 'always', action: 'block', verdict: 'U', alert: false, expires: null };
  return { ...pack, rules: [rule, ...pack.rules] };
})();

await eachDialect('clients from the device register', (dialect) => {
  test('a device or network written is identified by dig after refreshClients(); the clients file first; the last good copy survives the database', async () => {
    await using database = await dialect.open();
    const clock = { now: () => new Date() };
    const ids = uuidV7Source(clock);
    const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids, clock }, { name: 'Primary School A' });
    const audit = await openAuditLog(database, { keyPath: join(database.dir, 'keys', 'audit.key'), clock });
    const deps: DeviceDeps = { devices: new SqlDeviceRepository(database), directory: new SqlDirectoryRepository(database), ids, clock, audit, actor: 'system' };
    await applyImport(deps, await previewImport(deps, school.id, 'pupil', 'pupil.a,Pupil A,Year 4\n'));

    const dataDir = newDataDir();
    const clientsFile = join(dataDir, 'clients.csv');
    writeFileSync(clientsFile, '127.0.0.3,staff\n');
    const group = new EnforcementGroup();
    const said: string[] = [];
    await livePolicy(dataDir, school.id, group, said).publish({ schoolId: school.id, version: 1, publishedAt: clock.now().toISOString() }, policy);
    let databaseUp = true;
    const sync = new ClientRegisterSync({
      dataDir, enforcements: group, clock, say: (l) => said.push(l),
      read: async () => {
        if (!databaseUp) throw new Error('connection refused');
        return clientRegisterFor(deps, school.id);
      },
    });
    const dns = await startLiveDns(dataDir, group, { clients: clientsFile });
    try {
      assert.equal(await dns.answer(NAME, '127.0.0.2'), fixtureAddress(NAME), 'nobody in particular before the register knows the address');
      await registerDevice(deps, school.id, { classId: 'school-owned-single-user', label: 'Pupil A laptop', address: '127.0.0.2', owner: 'pupil.a' });
      assert.equal((await sync.refreshClients()).kind, 'reloaded');
      assert.equal(await dns.answer(NAME, '127.0.0.2'), BLOCKED, "the device's owner is in key stage 2");
      assert.equal(await dns.answer(NAME, '127.0.0.4'), fixtureAddress(NAME));
      await addNetwork(deps, school.id, { cidr: '127.0.0.0/29', site: 'Junior block', defaultGroup: 'pupils-ks2' });
      await sync.refreshClients();
      assert.equal(await dns.answer(NAME, '127.0.0.4'), BLOCKED, "the pupils' network");
      assert.equal(await dns.answer(NAME, '127.0.0.3'), fixtureAddress(NAME), 'the clients file comes before the register');
      assert.equal(await dns.answer(NAME, '127.0.0.9'), fixtureAddress(NAME), 'outside the network');
      assert.equal((await sync.refreshClients()).kind, 'unchanged');

      databaseUp = false;
      const down = await sync.refreshClients();
      assert.deepEqual([down.kind, down.kind === 'database-unavailable' && down.reloaded], ['database-unavailable', false]);
      assert.match(said.at(-1)!, /cannot read the device register from the database \(connection refused\); identifying clients by the last good copy/);
      assert.equal(await dns.answer(NAME, '127.0.0.2'), BLOCKED, 'the last good register stays in force');
      // A damaged copy met on a reload is reported; the register read before stays in force.
      const path = clientRegisterPath(dataDir);
      writeFileSync(path, readFileSync(path, 'utf8').replace('127.0.0.0/29', '127.0.1.0/29'));
      assert.equal(await dns.dns.service.reload(), true);
      assert.ok(dns.said.some((l) => /skipped a damaged client register: .*fails its checksum .*; the one read before stays in force/.test(l)), dns.said.join('\n'));
      assert.equal(await dns.answer(NAME, '127.0.0.4'), BLOCKED);
      databaseUp = true;
      assert.equal((await sync.refreshClients()).kind, 'reloaded', 'the damaged copy is rewritten once the database answers');
      assert.equal(said.at(-1), 'the device register can be read again');
    } finally {
      await dns.stop();
    }
    databaseUp = false;
    const cold = await startLiveDns(dataDir, new EnforcementGroup(), { clients: clientsFile });
    try {
      assert.equal(await cold.answer(NAME, '127.0.0.4'), BLOCKED, 'a cold start identifies clients by the last good copy');
      assert.match(cold.said.at(-1)!, /1 from the clients file, 2 from the device register/);
    } finally {
      await cold.stop();
    }
  });
});
