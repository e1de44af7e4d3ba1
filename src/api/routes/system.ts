// Health (for load balancers and `npm start`'s own check) and the OpenAPI document.
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';

const Part = z.object({ status: z.enum(['ok', 'starting', 'down']), detail: z.string().optional() });
const Health = z.object({ status: z.enum(['ok', 'starting', 'degraded']), version: z.string(), parts: z.record(z.string(), Part) });

export function systemRoutes(ctx: ApiContext, document: () => unknown): AnyRoute[] {
  return [
    route({
      method: 'GET',
      url: '/api/health',
      summary: 'Report whether every part is up',
      tag: 'system',
      access: 'public',
      response: Health,
      handle: async ({ reply }) => {
        const health = ctx.health();
        // 503 until everything is up, so a check can simply wait for 200.
        if (health.status !== 'ok') reply.code(503);
        return health;
      },
    }),
    route({
      method: 'GET',
      url: '/api/openapi.json',
      summary: 'Get the OpenAPI document',
      tag: 'system',
      access: 'public',
      response: { contentType: 'application/json', description: 'The OpenAPI 3.0 document of this API' },
      handle: async ({ reply }) => {
        await reply.type('application/json').send(document());
      },
    }),
  ];
}
