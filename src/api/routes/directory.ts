// The school's directory: people and their groups, pupil and staff list imports (preview first,
// then apply), and guests with an expiry.
import { z } from 'zod';
import { addGuest, applyImport, previewImport } from '../../services/directory/roster.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Instant, SchoolParams } from '../schemas.ts';

const Person = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  kind: z.enum(['staff', 'pupil', 'guest']),
  yearGroup: z.number().nullable(),
  expiresAt: z.string().nullable(),
  groups: z.array(z.string()),
});

const PersonFields = Person.omit({ id: true });

const ImportBody = z.object({
  kind: z.enum(['pupil', 'staff']),
  /** The CSV file's text: pupils "username, display name, year group"; staff "username, display name, groups". */
  csv: z.string().max(8 * 1024 * 1024),
  /** Remove people of this kind who are not in the file. */
  replace: z.boolean().default(false),
});

const Preview = z.object({
  kind: z.enum(['pupil', 'staff']),
  replace: z.boolean(),
  add: z.array(PersonFields),
  change: z.array(z.object({ before: PersonFields, after: PersonFields, fields: z.array(z.string()) })),
  unchanged: z.array(z.string()),
  remove: z.array(z.string()),
  notInFile: z.array(z.string()),
  errors: z.array(z.object({ line: z.number(), text: z.string(), message: z.string() })),
});

const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export function directoryRoutes(ctx: ApiContext): AnyRoute[] {
  const deps = (actor: string) => ({ directory: ctx.directory, ids: ctx.ids, clock: ctx.clock, audit: ctx.audit, actor });
  return [
    route({
      method: 'GET',
      url: '/api/schools/:schoolId/people',
      summary: 'List the school’s people and their groups',
      tag: 'directory',
      access: 'directory:read',
      params: SchoolParams,
      response: z.object({ people: z.array(Person) }),
      handle: async ({ params }) => ({ people: await ctx.directory.listPeople(params.schoolId) }),
    }),
    route({
      method: 'POST',
      url: '/api/schools/:schoolId/imports/preview',
      summary: 'Preview a pupil or staff list import',
      tag: 'directory',
      access: 'directory:manage',
      params: SchoolParams,
      body: ImportBody,
      bodyLimit: IMPORT_BODY_LIMIT,
      response: Preview,
      handle: async ({ params, body }) => previewImport(ctx, params.schoolId, body.kind, body.csv, { replace: body.replace }),
    }),
    route({
      method: 'POST',
      url: '/api/schools/:schoolId/imports',
      summary: 'Import a pupil or staff list',
      tag: 'directory',
      access: 'directory:manage',
      params: SchoolParams,
      body: ImportBody,
      bodyLimit: IMPORT_BODY_LIMIT,
      response: z.object({ added: z.number(), changed: z.number(), removed: z.number() }),
      handle: async ({ params, body, principal }) => {
        const preview = await previewImport(ctx, params.schoolId, body.kind, body.csv, { replace: body.replace });
        return applyImport(deps(principal!.account.id), preview);
      },
    }),
    route({
      method: 'POST',
      url: '/api/schools/:schoolId/guests',
      summary: 'Add a guest with an expiry',
      tag: 'directory',
      access: 'directory:manage',
      params: SchoolParams,
      body: z.object({ username: z.string().min(1).max(128), displayName: z.string().min(1).max(200), expiresAt: Instant }),
      response: Person,
      status: 201,
      handle: async ({ params, body, principal }) => addGuest(deps(principal!.account.id), params.schoolId, body),
    }),
  ];
}
