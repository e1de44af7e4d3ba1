// What an account may see: a set of organisation ids. A school's id covers that school; a trust's
// or local authority's id covers every school it holds (including schools that join it later).
import { ErrorCodes } from '../errors.ts';
import { parseEntityId } from './id.ts';
import type { School } from './organisation.ts';

export type OrganisationScope = ReadonlySet<string>;

/** Validates and normalises the ids (lower case); bad ids are refused rather than silently dropped. */
export function organisationScope(ids: Iterable<string>): OrganisationScope {
  const scope = new Set<string>();
  for (const id of ids) scope.add(parseEntityId(id, 'organisation id', ErrorCodes.ORGANISATION_INVALID));
  return scope;
}

export function scopeCoversSchool(scope: OrganisationScope, school: Pick<School, 'id' | 'responsibleBodyId'>): boolean {
  return scope.has(school.id) || (school.responsibleBodyId !== null && scope.has(school.responsibleBodyId));
}
