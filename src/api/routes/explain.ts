// "Test a request": what the policy in force decides for a user or group, an address, a URL and a
// time, with the rule, tier, category and list that decided it.
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Decision, Id } from '../schemas.ts';

const ExplainBody = z.object({
  schoolId: Id,
  user: z.string().max(128).nullable().optional(),
  group: z.string().max(64).nullable().optional(),
  ip: z.string().max(64).nullable().optional(),
  url: z.string().min(1).max(4096),
  /** ISO-8601 (a local time without offset is read in the school's time zone); now when absent. */
  at: z.string().max(40).nullable().optional(),
});

export function explainRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'POST',
      url: '/api/explain',
      summary: 'Test a request against the policy in force',
      tag: 'policy',
      access: 'policy:explain',
      body: ExplainBody,
      response: z.object({ decision: Decision }),
      handle: async ({ body }) => {
        const explainer = await ctx.explainerFor(body.schoolId, body.user);
        return { decision: explainer.explain(body) };
      },
    }),
  ];
}
