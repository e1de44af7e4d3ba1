// The stored activity of the DNS server and the proxy: search by user, device, time, category and
// decision (keyset pages, newest first), CSV export streamed page by page, and the retention period.
// Every read is audited (services/activity/audited-reads.ts).
import { Readable } from 'node:stream';
import { z } from 'zod';
import { ACTIVITY_DECISIONS, ACTIVITY_SOURCES } from '../../core/activity/query.ts';
import { exportActivityAudited, searchActivityAudited, setRetentionAudited, type AuditedActivityDeps } from '../../services/activity/audited-reads.ts';
import { summariseActivity } from '../../services/activity/summary.ts';
import { route, type AnyRoute } from '../route.ts';
import { SchoolParams } from '../schemas.ts';

const Filters = z.object({
  user: z.string().max(128).optional(),
  device: z.string().max(128).optional(),
  host: z.string().max(253).optional(),
  category: z.string().max(64).optional(),
  decision: z.enum(ACTIVITY_DECISIONS).optional(),
  source: z.enum(ACTIVITY_SOURCES).optional(),
  /** ISO-8601 with an offset; inclusive. */
  from: z.string().max(40).optional(),
  /** ISO-8601 with an offset; exclusive. */
  to: z.string().max(40).optional(),
});

const Ranked = z.object({ key: z.string(), blocks: z.number() });

const Entry = z.object({
  id: z.string(),
  time: z.string(),
  source: z.enum(['dns', 'proxy']),
  client: z.string(),
  user: z.string().nullable(),
  device: z.string().nullable(),
  groups: z.array(z.string()),
  name: z.string(),
  type: z.string(),
  url: z.string().optional(),
  action: z.enum(['allow', 'block']),
  tier: z.string().nullable(),
  category: z.string().nullable(),
  rule: z.string().nullable(),
  list: z.string().nullable(),
  status: z.number().optional(),
  latencyMs: z.number(),
  bytesIn: z.number().optional(),
  bytesOut: z.number().optional(),
});

export function activityRoutes(deps: AuditedActivityDeps): AnyRoute[] {
  return [
    route({
      method: 'GET', url: '/api/schools/:schoolId/activity', summary: 'Search the activity log', tag: 'activity', access: 'activity:read', params: SchoolParams,
      query: Filters.extend({ limit: z.coerce.number().int().min(1).max(500).optional(), cursor: z.string().max(200).optional() }),
      response: z.object({ entries: z.array(Entry), next: z.string().nullable() }),
      handle: async ({ params, query, principal }) => searchActivityAudited(deps, principal!.account.id, params.schoolId, query),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/activity/export', summary: 'Export the activity log as CSV', tag: 'activity', access: 'activity:export', params: SchoolParams,
      query: Filters,
      response: { contentType: 'text/csv', description: 'Every matching entry, newest first (RFC 4180; cells that a spreadsheet would run as a formula are quoted with a leading apostrophe)' },
      handle: async ({ params, query, principal, reply }) => {
        const chunks = await exportActivityAudited(deps, principal!.account.id, params.schoolId, query);
        await reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="activity-${params.schoolId}.csv"`)
          .send(Readable.from(chunks));
      },
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/activity/summary', summary: 'Summarise activity for the dashboard', tag: 'activity', access: 'activity:read', params: SchoolParams,
      query: z.object({ from: z.string().max(40), to: z.string().max(40) }),
      response: z.object({
        from: z.string(), to: z.string(), bucket: z.enum(['hour', 'day']), requests: z.number(), blocks: z.number(),
        buckets: z.array(z.object({ start: z.string(), requests: z.number(), blocks: z.number() })),
        topCategories: z.array(Ranked), topSites: z.array(Ranked), topUsers: z.array(Ranked), topDevices: z.array(Ranked),
      }),
      handle: async ({ params, query, principal }) => summariseActivity(deps, principal!.account.id, params.schoolId, query.from, query.to),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/activity/settings', summary: 'Get how long activity is kept', tag: 'activity', access: 'activity:read', params: SchoolParams,
      response: z.object({ retentionDays: z.number() }),
      handle: async ({ params }) => ({ retentionDays: await deps.repository.retentionDays(params.schoolId) }),
    }),
    route({
      method: 'PUT', url: '/api/schools/:schoolId/activity/settings', summary: 'Set how long activity is kept', tag: 'activity', access: 'activity:settings', params: SchoolParams,
      body: z.object({ retentionDays: z.number().int() }), response: z.object({ retentionDays: z.number() }),
      handle: async ({ params, body, principal }) => ({ retentionDays: await setRetentionAudited(deps, principal!.account.id, params.schoolId, body.retentionDays) }),
    }),
  ];
}
