// Creating and changing organisations: validation in the core, ids and times from ports, checks
// that need the stored data (the trust or authority a school joins must exist) here.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import {
  validateResponsibleBodyInput,
  validateSchoolChanges,
  validateSchoolInput,
  type ResponsibleBody,
  type ResponsibleBodyInput,
  type School,
  type SchoolInput,
} from '../../core/org/organisation.ts';
import { organisationScope } from '../../core/org/scope.ts';
import { parseEntityId } from '../../core/org/id.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, IdSource, OrganisationRepository } from '../ports.ts';

export interface OrganisationDeps {
  readonly repository: OrganisationRepository;
  readonly ids: IdSource;
  readonly clock: Clock;
  /** Who acts, and where the change is recorded; left out only by first-start and tests. */
  readonly audit?: { readonly log: Pick<AuditLog, 'append'>; readonly actor: string };
}

async function record(deps: Pick<OrganisationDeps, 'audit'>, schoolId: string | null, action: string, target: string, details: Record<string, string | null>): Promise<void> {
  await deps.audit?.log.append({ schoolId, actor: deps.audit.actor, action, target, details });
}

export async function createResponsibleBody(deps: OrganisationDeps, input: ResponsibleBodyInput): Promise<ResponsibleBody> {
  const body: ResponsibleBody = { ...validateResponsibleBodyInput(input), id: deps.ids.newId(), createdAt: deps.clock.now().toISOString() };
  await deps.repository.insertResponsibleBody(body);
  await record(deps, null, 'organisation.created', `organisation:${body.id}`, { kind: body.kind, name: body.name });
  return body;
}

export async function createSchool(deps: OrganisationDeps, input: SchoolInput): Promise<School> {
  const fields = validateSchoolInput(input);
  if (fields.responsibleBodyId !== null) await requireResponsibleBody(deps.repository, fields.responsibleBodyId);
  const school: School = { kind: 'school', ...fields, id: deps.ids.newId(), createdAt: deps.clock.now().toISOString() };
  await deps.repository.insertSchool(school);
  await record(deps, school.id, 'school.created', `school:${school.id}`, { name: school.name, responsibleBodyId: school.responsibleBodyId });
  return school;
}

/** Renames, re-references, moves a school between trusts or authorities (or out of one). */
export async function updateSchool(deps: Pick<OrganisationDeps, 'repository' | 'audit'>, id: string, changes: Partial<SchoolInput>): Promise<School> {
  const schoolId = parseEntityId(id, 'school id', ErrorCodes.ORGANISATION_INVALID);
  const fields = validateSchoolChanges(changes);
  if (fields.responsibleBodyId) await requireResponsibleBody(deps.repository, fields.responsibleBodyId);
  const school = await deps.repository.updateSchool(schoolId, fields);
  if (!school) throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `there is no school with id ${quoteInput(id)}`, id);
  await record(deps, school.id, 'school.updated', `school:${school.id}`, { name: school.name, reference: school.reference, timeZone: school.timeZone });
  return school;
}

/** The schools an account with these organisation ids may see (ids validated first). */
export async function schoolsVisibleTo(repository: OrganisationRepository, organisationIds: Iterable<string>): Promise<School[]> {
  return repository.schoolsVisibleTo(organisationScope(organisationIds));
}

async function requireResponsibleBody(repository: OrganisationRepository, id: string): Promise<void> {
  const found = await repository.findOrganisation(id);
  if (!found || found.kind === 'school') {
    const what = found ? 'is a school, not a trust or local authority' : 'does not exist';
    throw new RingfenceError(ErrorCodes.ORGANISATION_UNKNOWN, `trust or local authority ${quoteInput(id)} ${what}`, id);
  }
}
