// Importing a category list from the console: the upload answers 202 with a job id at once, and
// the console polls the job (lines read, lists compiled) until it is done or failed.
import { z } from 'zod';
import { ErrorCodes, RingfenceError } from '../../core/errors.ts';
import { TEXT_LIST_FORMATS } from '../../services/lists/import-text.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Id, SchoolParams } from '../schemas.ts';

/** Text as large as a big single-file list; the body limit leaves room for JSON escaping. */
const MAX_TEXT_CHARS = 50 * 1024 * 1024;
const IMPORT_BODY_LIMIT = 64 * 1024 * 1024;

const ImportBody = z.object({
  /** The list's id, e.g. "school/extra-gaming"; a console list of that name is replaced. */
  name: z.string().min(1).max(100),
  /** A category of the school's policy, not one of the locked tier. */
  category: z.string().min(1).max(64),
  usage: z.enum(['block', 'allow']),
  format: z.enum(TEXT_LIST_FORMATS),
  text: z.string().max(MAX_TEXT_CHARS),
});

const BadLine = z.object({ line: z.number(), text: z.string(), reason: z.string() });

const Job = z.object({
  id: z.string(),
  name: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  stage: z.enum(['waiting', 'reading', 'compiling', 'reloading', 'finished']),
  done: z.number(),
  total: z.number().nullable(),
  startedAt: z.string(),
  result: z
    .object({
      id: z.string(),
      category: z.string(),
      usage: z.string(),
      domains: z.number(),
      urls: z.number(),
      ips: z.number(),
      lines: z.number(),
      bad: z.number(),
      badLines: z.array(BadLine),
      snapshotVersion: z.number(),
      /** False when DNS and the proxy kept the previous snapshot (they pick the new one up on their next reload). */
      inForce: z.boolean(),
    })
    .optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});

export function listImportRoutes(ctx: ApiContext): AnyRoute[] {
  return [
    route({
      method: 'POST', url: '/api/schools/:schoolId/lists/imports', summary: 'Start importing a category list', tag: 'lists', access: 'lists:manage', params: SchoolParams,
      body: ImportBody, bodyLimit: IMPORT_BODY_LIMIT, status: 202,
      response: z.object({ jobId: z.string() }),
      handle: async ({ params, body, principal }) => {
        const current = await ctx.policy.currentVersion(params.schoolId);
        if (!current) throw new RingfenceError(ErrorCodes.POLICY_CHANGE_UNKNOWN, 'the school has no published policy yet', params.schoolId);
        return ctx.listImports.start(params.schoolId, principal!.account.id, current.document, body);
      },
    }),
    route({
      method: 'GET', url: '/api/schools/:schoolId/lists/imports/:jobId', summary: 'Follow a category list import', tag: 'lists', access: 'lists:manage',
      params: z.object({ schoolId: Id, jobId: Id }),
      response: Job,
      handle: async ({ params }) => ctx.listImports.get(params.schoolId, params.jobId),
    }),
  ];
}
