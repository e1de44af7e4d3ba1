// The category lists in force: sources, categories, counts and import times, and which lists hold
// a site.
import { z } from 'zod';
import { listsHolding, listsInForce } from '../../services/lists/lists-in-force.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { SchoolParams } from '../schemas.ts';

const List = z.object({ id: z.string(), category: z.string().nullable(), usage: z.string(), locked: z.boolean(), domains: z.number(), urls: z.number(), ips: z.number(), importedAt: z.string() });

export function listRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'GET', url: '/api/schools/:schoolId/lists', summary: 'List the category lists in force', tag: 'lists', access: 'policy:read', params: SchoolParams,
      response: z.object({ snapshotVersion: z.number(), createdAt: z.string(), distinctDomains: z.number(), lists: z.array(List), warnings: z.array(z.string()) }),
      handle: async ({ params }) => listsInForce(await ctx.engineFor(params.schoolId)),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/lists/holding', summary: 'Find which lists hold a site', tag: 'lists', access: 'policy:read', params: SchoolParams,
      query: z.object({ site: z.string().min(1).max(4096) }),
      response: z.object({ site: z.string(), lists: z.array(List) }),
      handle: async ({ params, query }) => ({ site: query.site, lists: listsHolding(await ctx.engineFor(params.schoolId), query.site) }),
    }),
  ];
}
