// Whether one account's reach covers another's: every school or trust in `inner` is one the outer
// scope covers. Used before an account is created or changed, so no one can hand out (or take
// away) access to schools beyond their own.
import { organisationScope, scopeCoversSchool } from '../../core/org/scope.ts';
import type { OrganisationRepository } from '../ports.ts';

export async function scopeWithin(organisations: Pick<OrganisationRepository, 'findOrganisation'>, outer: Iterable<string>, inner: Iterable<string>): Promise<boolean> {
  const covering = organisationScope(outer);
  for (const id of organisationScope(inner)) {
    if (covering.has(id)) continue;
    const organisation = await organisations.findOrganisation(id);
    // A trust or authority is covered only when named itself; a school also through its trust.
    if (!organisation || organisation.kind !== 'school' || !scopeCoversSchool(covering, organisation)) return false;
  }
  return true;
}
