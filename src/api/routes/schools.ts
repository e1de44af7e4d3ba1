// Schools, trusts and local authorities: the schools an account may see, and changes to them.
import { z } from 'zod';
import { scopeCoversSchool, organisationScope } from '../../core/org/scope.ts';
import { createResponsibleBody, createSchool, schoolsVisibleTo, updateSchool } from '../../services/org/organisations.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Id, School, SchoolParams } from '../schemas.ts';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { RESPONSIBLE_BODY_KINDS } from '../../core/org/organisation.ts';

const SchoolInput = z.object({
  name: z.string().min(1).max(200),
  reference: z.string().max(50).nullable().optional(),
  timeZone: z.string().max(64).optional(),
  responsibleBodyId: Id.nullable().optional(),
});

const ResponsibleBody = z.object({ id: z.string(), kind: z.string(), name: z.string(), createdAt: z.string() });

export function schoolRoutes(ctx: ApiContext): AnyRoute[] {
  const deps = (actor: string) => ({ repository: ctx.organisations, ids: ctx.ids, clock: ctx.clock, audit: { log: ctx.audit, actor } });
  return [
    route({
      method: 'GET',
      url: '/api/schools',
      summary: 'List the schools this account may see',
      tag: 'schools',
      access: 'schools:read',
      response: z.object({ schools: z.array(School) }),
      handle: async ({ principal }) => ({ schools: await schoolsVisibleTo(ctx.organisations, principal!.account.scope) }),
    }),
    route({
      method: 'GET',
      url: '/api/schools/:schoolId',
      summary: 'Get a school',
      tag: 'schools',
      access: 'schools:read',
      params: SchoolParams,
      response: School,
      handle: async ({ params }) => {
        const school = await findSchool(ctx, params.schoolId);
        if (!school) throw new RingfenceError(ErrorCodes.NOT_FOUND, 'no such school', params.schoolId);
        return school;
      },
    }),
    route({
      method: 'POST',
      url: '/api/trusts',
      summary: 'Create a trust or local authority',
      tag: 'schools',
      access: 'schools:create',
      body: z.object({ kind: z.enum(RESPONSIBLE_BODY_KINDS), name: z.string().min(1).max(200) }),
      response: ResponsibleBody,
      status: 201,
      handle: async ({ body, principal }) => createResponsibleBody(deps(principal!.account.id), body),
    }),
    route({
      method: 'POST',
      url: '/api/schools',
      summary: 'Create a school',
      tag: 'schools',
      access: 'schools:create',
      body: SchoolInput,
      response: School,
      status: 201,
      handle: async ({ body, principal }) => {
        // A trust administrator creates schools inside their own trust only.
        const scope = organisationScope(principal!.account.scope);
        if (!body.responsibleBodyId || !scope.has(body.responsibleBodyId)) {
          throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, 'a new school must belong to a trust or local authority this account administers', body.responsibleBodyId ?? undefined);
        }
        return createSchool(deps(principal!.account.id), body);
      },
    }),
    route({
      method: 'PATCH',
      url: '/api/schools/:schoolId',
      summary: 'Change a school’s name, reference or time zone',
      tag: 'schools',
      access: 'schools:update',
      params: SchoolParams,
      body: SchoolInput.omit({ responsibleBodyId: true }).partial(),
      response: School,
      handle: async ({ params, body, principal }) => updateSchool(deps(principal!.account.id), params.schoolId, body),
    }),
  ];
}

/** Whether the account's scope covers the school (unknown schools are not visible). */
export async function schoolVisible(ctx: Pick<ApiContext, 'organisations'>, scope: readonly string[], schoolId: string): Promise<boolean> {
  const school = await findSchool(ctx, schoolId.toLowerCase());
  return school !== null && scopeCoversSchool(organisationScope(scope), school);
}

async function findSchool(ctx: Pick<ApiContext, 'organisations'>, id: string) {
  const organisation = await ctx.organisations.findOrganisation(id);
  return organisation?.kind === 'school' ? organisation : null;
}
