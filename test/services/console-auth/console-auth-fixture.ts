// The console-auth service on a real database, with real argon2id, a real AES-GCM box, a real
// audit log, and a clock the test moves. Codes come from otplib, as an authenticator app makes them.
import { randomBytes } from 'node:crypto';
import { generate } from 'otplib';
import { createResponsibleBody, createSchool } from '../../../src/services/org/organisations.ts';
import { ConsoleAuthService } from '../../../src/services/console-auth/console-auth-service.ts';
import { AesGcmSecretBox } from '../../../src/storage/crypto/secret-box.ts';
import { SqlConsoleAccountRepository } from '../../../src/storage/sql/console-account-repository.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { CountingHasher, TestClock } from '../accounts/fixtures.ts';
import { auditFixture } from '../audit/audit-fixture.ts';

export const PASSWORD = 'correct horse battery';

export async function consoleAuthFixture(database: TestDatabase) {
  const clock = new TestClock(Date.parse('2025-09-01T08:00:10.000Z'));
  const ids = uuidV7Source(clock);
  const organisations = new SqlOrganisationRepository(database);
  const orgDeps = { repository: organisations, ids, clock };
  const trust = await createResponsibleBody(orgDeps, { kind: 'trust', name: 'Trust A' });
  const school = await createSchool(orgDeps, { name: 'School A', responsibleBodyId: trust.id });
  const otherSchool = await createSchool(orgDeps, { name: 'School B' });
  const audit = await auditFixture(database);
  const hasher = new CountingHasher();
  const repository = new SqlConsoleAccountRepository(database);
  const service = new ConsoleAuthService({ accounts: repository, organisations, hasher, secrets: new AesGcmSecretBox(randomBytes(32)), audit: audit.log, ids, clock });
  return {
    service, repository, clock, hasher, trust, school, otherSchool,
    /** The code an authenticator app shows now (or `stepsAhead` steps later). */
    code(secret: string, stepsAhead = 0): Promise<string> {
      return generate({ secret, epoch: Math.floor(clock.now().getTime() / 1000) + stepsAhead * 30 });
    },
    async auditActions(): Promise<string[]> {
      return (await audit.repository.entriesAfter(0, 1000)).map((e) => e.action);
    },
    async auditEntries() {
      return audit.repository.entriesAfter(0, 1000);
    },
  };
}
