// Checking the audit log is intact: the hash chain, the seals and the checkpoint.
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';

export function auditRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'POST', url: '/api/audit/verify', summary: 'Verify the audit log', tag: 'audit', access: 'audit:verify',
      response: z.object({
        intact: z.boolean(),
        verified: z.number(),
        problem: z.object({ seq: z.number(), kind: z.string(), message: z.string() }).nullable(),
        warnings: z.array(z.string()),
      }),
      handle: async () => {
        const r = await ctx.verifyAudit();
        return { intact: r.problem === null, verified: r.verified, problem: r.problem, warnings: r.warnings };
      },
    }),
  ];
}
