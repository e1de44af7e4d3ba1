// A school, accounts (by role) and the policy change use cases wired to a real database and audit log.
import { createSchool } from '../../../src/services/org/organisations.ts';
import type { PolicyChangeDeps } from '../../../src/services/policy-change/policy-changes.ts';
import type { Policy } from '../../../src/core/policy/schema.ts';
import { SqlOrganisationRepository } from '../../../src/storage/sql/organisation-repository.ts';
import { SqlPolicyRepository } from '../../../src/storage/sql/policy-repository.ts';
import { uuidV7Source } from '../../../src/storage/sql/uuid-source.ts';
import type { TestDatabase } from '../../support/databases.ts';
import { auditFixture, type AuditFixture } from '../audit/audit-fixture.ts';

export interface PolicyChangeFixture {
  readonly deps: PolicyChangeDeps;
  readonly repository: SqlPolicyRepository;
  readonly audit: AuditFixture;
  readonly schoolId: string;
  /** Account ids by role. */
  readonly itLead: string;
  readonly safeguardingLead: string;
  readonly headteacher: string;
  /** What onPublished was called with, in order. */
  readonly published: { schoolId: string; version: number; document: Policy }[];
  auditActions(): Promise<string[]>;
}

export async function policyChangeFixture(database: TestDatabase): Promise<PolicyChangeFixture> {
  let ms = Date.parse('2025-09-01T08:00:00.000Z');
  const clock = { now: () => new Date((ms += 1000)) };
  const ids = uuidV7Source(clock);
  const school = await createSchool({ repository: new SqlOrganisationRepository(database), ids, clock }, { name: 'Primary School A' });
  const audit = await auditFixture(database);
  const repository = new SqlPolicyRepository(database);
  const published: PolicyChangeFixture['published'] = [];
  const deps: PolicyChangeDeps = { repository, audit: audit.log, ids, clock, onPublished: (schoolId, version, document) => void published.push({ schoolId, version, document }) };
  return {
    deps, repository, audit, schoolId: school.id, published,
    itLead: ids.newId(), safeguardingLead: ids.newId(), headteacher: ids.newId(),
    async auditActions() {
      return (await audit.repository.entriesAfter(0, 1000)).map((e) => e.action);
    },
  };
}
