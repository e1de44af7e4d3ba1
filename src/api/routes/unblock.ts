// Teachers' unblock requests: ask (from the block page's link or the console), see one's own,
// withdraw a pending one; approvers see the queue and approve or decline with a comment.
import { z } from 'zod';
import { listForRequester, listQueue, requestUnblock, type UnblockDeps } from '../../services/unblock/unblock-requests.ts';
import { approveInSchool, cancelInSchool, declineInSchool, unblockFormChoices } from '../../services/unblock/school-unblocks.ts';
import { route, type AnyRoute } from '../route.ts';
import { Id, SchoolParams } from '../schemas.ts';

const Request = z.object({
  id: z.string(),
  requester: z.string(),
  site: z.object({ kind: z.enum(['domain', 'url']), value: z.string() }),
  group: z.string(),
  startsAt: z.string(),
  endsAt: z.string(),
  reason: z.string(),
  state: z.enum(['pending', 'approved', 'declined', 'cancelled', 'expired']),
  requestedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  publishedVersion: z.number().nullable(),
  expiredAt: z.string().nullable(),
});
const Result = z.object({ request: Request, publishedVersion: z.number().nullable(), emailed: z.number(), emailFailures: z.number() });
const RequestParams = SchoolParams.extend({ requestId: Id });

const result = (r: Awaited<ReturnType<typeof requestUnblock>>) => ({ request: r.request, publishedVersion: r.version?.version ?? null, emailed: r.notification.sent.length, emailFailures: r.notification.failed.length });

export function unblockRoutes(deps: UnblockDeps): AnyRoute[] {
  const base = '/api/schools/:schoolId/unblock-requests';
  return [
    route({
      method: 'GET', url: `${base}/form`, summary: 'Get the groups and period ends an unblock request can choose', tag: 'unblock', access: 'unblock:request', params: SchoolParams,
      response: z.object({ groups: z.array(z.object({ id: z.string(), title: z.string() })), ends: z.object({ endOfToday: z.string(), endOfWeek: z.string(), endOfTerm: z.string().nullable() }) }),
      handle: async ({ params }) => unblockFormChoices(deps, params.schoolId),
    }),
    route({
      method: 'POST', url: base, summary: 'Ask for a site to be unblocked for a group for a period', tag: 'unblock', access: 'unblock:request', params: SchoolParams,
      body: z.object({ site: z.string().min(1).max(2000), group: z.string().min(1).max(64), startsAt: z.string().max(40).nullable().optional(), endsAt: z.string().min(1).max(40), reason: z.string().max(1000) }),
      response: Result, status: 201,
      handle: async ({ params, body, principal }) => result(await requestUnblock(deps, params.schoolId, principal!.account.id, body)),
    }),
    route({
      method: 'GET', url: `${base}/mine`, summary: 'List my unblock requests', tag: 'unblock', access: 'unblock:request', params: SchoolParams,
      response: z.object({ requests: z.array(Request) }),
      handle: async ({ params, principal }) => ({ requests: await listForRequester(deps, params.schoolId, principal!.account.id) }),
    }),
    route({
      method: 'GET', url: base, summary: 'List unblock requests waiting for a decision', tag: 'unblock', access: 'unblock:decide', params: SchoolParams,
      response: z.object({ requests: z.array(Request) }),
      handle: async ({ params }) => ({ requests: await listQueue(deps, params.schoolId) }),
    }),
    route({
      method: 'POST', url: `${base}/:requestId/approve`, summary: 'Approve someone else’s unblock request', tag: 'unblock', access: 'unblock:decide', params: RequestParams,
      body: z.object({ comment: z.string().max(1000).nullable().optional() }), response: Result,
      handle: async ({ params, body, principal }) => result(await approveInSchool(deps, params.schoolId, params.requestId, principal!.account.id, body.comment)),
    }),
    route({
      method: 'POST', url: `${base}/:requestId/decline`, summary: 'Decline someone else’s unblock request', tag: 'unblock', access: 'unblock:decide', params: RequestParams,
      body: z.object({ comment: z.string().max(1000) }), response: Result,
      handle: async ({ params, body, principal }) => result(await declineInSchool(deps, params.schoolId, params.requestId, principal!.account.id, body.comment)),
    }),
    route({
      method: 'POST', url: `${base}/:requestId/cancel`, summary: 'Withdraw my pending unblock request', tag: 'unblock', access: 'unblock:request', params: RequestParams,
      response: Request,
      handle: async ({ params, principal }) => cancelInSchool(deps, params.schoolId, params.requestId, principal!.account.id),
    }),
  ];
}
