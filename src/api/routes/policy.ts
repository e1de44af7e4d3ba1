// The school's policy under change control: the version in force and its history with diffs, the
// draft and its "what changes" preview, submitting with a reason, a second person's approval or
// refusal, one-step rollback, the change-control log, and the approval setting.
import { z } from 'zod';
import { Policy } from '../../core/policy/schema.ts';
import { changeLog, history } from '../../services/policy-change/policy-history.ts';
import { rollback, saveDraft, setRequiresApproval, submit, type PolicyChangeDeps } from '../../services/policy-change/policy-changes.ts';
import { approveInSchool, declineInSchool, previewDraft } from '../../services/policy-change/school-changes.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Id, SchoolParams } from '../schemas.ts';

const Difference = z.object({ area: z.string(), kind: z.string(), id: z.string().nullable(), fields: z.array(z.string()), summary: z.string() });
const Version = z.object({ version: z.number(), parentVersion: z.number().nullable(), changeId: z.string(), publishedAt: z.string(), document: Policy });
const VersionSummary = Version.omit({ document: true });
const Change = z.object({
  id: z.string(),
  kind: z.string(),
  state: z.string(),
  reason: z.string(),
  author: z.string(),
  basedOnVersion: z.number().nullable(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionComment: z.string().nullable(),
  publishedVersion: z.number().nullable(),
});
const Reason = z.object({ reason: z.string().max(1000) });
const ChangeParams = SchoolParams.extend({ changeId: Id });

export function policyRoutes(ctx: ApiContext): AnyRoute[] {
  const deps: PolicyChangeDeps = { repository: ctx.policy, audit: ctx.audit, ids: ctx.ids, clock: ctx.clock, onPublished: ctx.onPublished };
  const submitted = z.object({ change: Change, published: VersionSummary.nullable() });
  return [
    route({
      method: 'GET', url: '/api/schools/:schoolId/policy', summary: 'Get the published policy in force', tag: 'policy', access: 'policy:read', params: SchoolParams,
      response: z.object({ current: Version.nullable(), requireApproval: z.boolean() }),
      handle: async ({ params }) => ({ current: await ctx.policy.currentVersion(params.schoolId), requireApproval: await ctx.policy.requiresApproval(params.schoolId) }),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/policy/versions', summary: 'List published versions with their diffs', tag: 'policy', access: 'policy:read', params: SchoolParams,
      response: z.object({ versions: z.array(z.object({ version: VersionSummary, diff: z.array(Difference).nullable() })) }),
      handle: async ({ params }) => ({ versions: await history(ctx.policy, params.schoolId) }),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/policy/draft', summary: 'Get the draft and what it would change', tag: 'policy', access: 'policy:read', params: SchoolParams,
      response: z.object({ draft: z.object({ document: Policy, basedOnVersion: z.number().nullable(), author: z.string(), updatedAt: z.string() }).nullable(), differences: z.array(Difference) }),
      handle: async ({ params }) => {
        const [draft, preview] = await Promise.all([ctx.policy.findDraft(params.schoolId), previewDraft(ctx.policy, params.schoolId)]);
        return { draft, differences: preview?.differences ?? [] };
      },
    }),
    route({
      method: 'PUT', url: '/api/schools/:schoolId/policy/draft', summary: 'Save the draft policy', tag: 'policy', access: 'policy:edit', params: SchoolParams,
      body: z.object({ document: Policy }), response: z.object({ basedOnVersion: z.number().nullable(), updatedAt: z.string() }),
      handle: async ({ params, body, principal }) => saveDraft(deps, params.schoolId, principal!.account.id, body.document),
    }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/policy/draft/submit', summary: 'Submit the draft with a reason', tag: 'policy', access: 'policy:edit', params: SchoolParams,
      body: Reason, response: submitted, status: 201,
      handle: async ({ params, body, principal }) => submit(deps, params.schoolId, principal!.account.id, body.reason),
    }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/policy/rollback', summary: 'Ask to roll back to the previous version', tag: 'policy', access: 'policy:edit', params: SchoolParams,
      body: Reason, response: submitted, status: 201,
      handle: async ({ params, body, principal }) => rollback(deps, params.schoolId, principal!.account.id, body.reason),
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/policy/changes', summary: 'Read the change-control log', tag: 'policy', access: 'changelog:read', params: SchoolParams,
      response: z.object({ changes: z.array(z.object({ changeId: z.string(), kind: z.string(), state: z.string(), author: z.string(), what: z.array(z.string()), submittedAt: z.string(), decidedAt: z.string().nullable(), reason: z.string(), decidedBy: z.string().nullable(), decisionComment: z.string().nullable(), publishedVersion: z.number().nullable() })) }),
      handle: async ({ params }) => ({ changes: await changeLog(ctx.policy, params.schoolId) }),
    }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/policy/changes/:changeId/approve', summary: 'Approve someone else’s policy change', tag: 'policy', access: 'policy:approve', params: ChangeParams,
      body: z.object({ comment: z.string().max(1000).optional() }), response: VersionSummary,
      handle: async ({ params, body, principal }) => approveInSchool(deps, params.schoolId, params.changeId, { accountId: principal!.account.id, mayApprove: true }, body.comment),
    }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/policy/changes/:changeId/decline', summary: 'Decline someone else’s policy change', tag: 'policy', access: 'policy:approve', params: ChangeParams,
      body: z.object({ comment: z.string().max(1000) }), response: Change,
      handle: async ({ params, body, principal }) => declineInSchool(deps, params.schoolId, params.changeId, { accountId: principal!.account.id, mayApprove: true }, body.comment),
    }),
    route({
      method: 'PUT', url: '/api/schools/:schoolId/policy/settings', summary: 'Turn second-person approval on or off', tag: 'policy', access: 'policy:settings', params: SchoolParams,
      body: z.object({ requireApproval: z.boolean() }), response: z.object({ requireApproval: z.boolean() }),
      handle: async ({ params, body, principal }) => {
        await setRequiresApproval(deps, params.schoolId, principal!.account.id, body.requireApproval);
        return { requireApproval: body.requireApproval };
      },
    }),
  ];
}
