// The OpenAPI 3.0 document, generated from the same route list the app runs, so it cannot drift:
// paths, parameters, bodies and responses from the zod schemas, and each route's access rule as
// `x-access` (the permission the console uses to show or hide what a role cannot do).
import { z } from 'zod';
import { PERMISSIONS } from '../core/access/permissions.ts';
import { SESSION_COOKIE } from './principal.ts';
import { isRaw, type AnyRoute } from './route.ts';

type Json = Record<string, unknown>;

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): Json {
  return z.toJSONSchema(schema, { target: 'openapi-3.0', io, unrepresentable: 'any' }) as Json;
}

/** /api/schools/:schoolId/devices → /api/schools/{schoolId}/devices */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const json = schemaOf(schema, 'input') as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: where,
    required: where === 'path' || (json.required ?? []).includes(name),
    schema: s,
    ...(typeof s.description === 'string' ? { description: s.description } : {}),
  }));
}

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string', description: 'A stable code from the error catalog, e.g. RF_REQUEST_INVALID' }, message: { type: 'string' }, input: { type: 'string' }, details: {} },
    },
  },
};

function operation(r: AnyRoute): Json {
  const success = String(r.status ?? 200);
  const response = isRaw(r.response)
    ? { description: r.response.description, content: { [r.response.contentType]: { schema: { type: 'string' } } } }
    : r.status === 204
      ? { description: 'Done' }
      : { description: 'OK', content: { 'application/json': { schema: schemaOf(r.response as z.ZodType, 'output') } } };
  return {
    summary: r.summary,
    tags: [r.tag],
    operationId: `${r.method.toLowerCase()}${openApiPath(r.url).replace(/[{}]/g, '').split('/').filter(Boolean).slice(1).map((p) => p[0]!.toUpperCase() + p.slice(1)).join('').replace(/[^A-Za-z0-9]/g, '')}`,
    'x-access': r.access,
    ...(r.access in PERMISSIONS ? { 'x-roles': PERMISSIONS[r.access as keyof typeof PERMISSIONS] } : {}),
    ...(r.access === 'public' ? { security: [] } : {}),
    parameters: [...parameters(r.params, 'path'), ...parameters(r.query, 'query')],
    ...(r.body ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.body, 'input') } } } } : {}),
    responses: { [success]: response, default: { description: 'An error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
  };
}

export function openApiDocument(routes: readonly AnyRoute[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const r of routes) {
    const path = openApiPath(r.url);
    (paths[path] ??= {})[r.method.toLowerCase()] = operation(r);
  }
  return {
    openapi: '3.0.3',
    info: {
      title: 'Ringfence API',
      version,
      description: `Sign in with POST /api/session; the session is an httpOnly cookie (${SESSION_COOKIE}). Requests that change anything need the session's CSRF token in the X-CSRF-Token header.`,
    },
    paths,
    components: {
      schemas: { Error: ERROR },
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE } },
    },
    security: [{ session: [] }],
  };
}
