// The HTTP API: a Fastify instance running every route through authenticate → validate (zod) →
// authorise → use case → presenter. Any route registered without an access rule fails start-up.
import cookie from '@fastify/cookie';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { roleHas } from '../core/access/permissions.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';
import { replyWithError } from './error-reply.ts';
import { checkCsrf, principalOf, type Principal, type SessionResolver } from './principal.ts';
import { isRaw, UNSAFE_METHODS, type AnyRoute } from './route.ts';
import { parseInput } from './validate.ts';

export interface ApiOptions {
  readonly routes: readonly AnyRoute[];
  readonly sessions: SessionResolver;
  /** Whether the account may see the school (its scope holds the school or the school's trust). */
  readonly schoolVisible: (principal: Principal, schoolId: string) => Promise<boolean>;
  /** Where unexpected errors go (never to the caller). */
  readonly logError: (error: unknown, request: FastifyRequest) => void;
  /** Registers what is served outside /api (the console), after the routes. */
  readonly extra?: (app: FastifyInstance) => Promise<void> | void;
  readonly bodyLimit?: number;
}

const DEFAULT_BODY_LIMIT = 1024 * 1024;

export interface RegisteredRoute {
  readonly method: string;
  readonly url: string;
  /** Null for what is not the API (HEAD twins of GET routes, the console's files). */
  readonly access: string | null;
}

const registeredRoutes = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Every route the app's router holds, as registered (for the roles × routes test). */
export function routesOf(app: FastifyInstance): readonly RegisteredRoute[] {
  return registeredRoutes.get(app) ?? [];
}

export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: false, bodyLimit: options.bodyLimit ?? DEFAULT_BODY_LIMIT, trustProxy: false, return503OnClosing: true, routerOptions: { maxParamLength: 200 } });
  // Only JSON bodies: a cross-site HTML form can send text/plain or form-encoded bodies without a
  // preflight, never application/json.
  app.removeContentTypeParser('text/plain');
  await app.register(cookie);

  const registered: RegisteredRoute[] = [];
  registeredRoutes.set(app, registered);
  app.addHook('onRoute', (r) => {
    const access = (r.config as { access?: unknown } | undefined)?.access;
    for (const method of [r.method].flat()) registered.push({ method: String(method), url: r.url, access: typeof access === 'string' ? access : null });
    if (r.method === 'HEAD' || (r.config as { console?: boolean } | undefined)?.console) return;
    if (typeof access !== 'string') throw new Error(`route ${String(r.method)} ${r.url} has no access rule`);
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    if (request.url.startsWith('/api/')) reply.header('cache-control', 'no-store');
  });
  app.setErrorHandler((error, request, reply) => replyWithError(error, request, reply, options.logError));
  app.setNotFoundHandler((request, reply) =>
    replyWithError(new RingfenceError(ErrorCodes.NOT_FOUND, `no route ${request.method} ${request.url.split('?')[0]}`), request, reply, options.logError),
  );

  for (const spec of options.routes) {
    app.route({
      method: spec.method,
      url: spec.url,
      config: { access: spec.access },
      ...(spec.bodyLimit ? { bodyLimit: spec.bodyLimit } : {}),
      handler: (request, reply) => run(spec, options, request, reply),
    });
  }
  await options.extra?.(app);
  return app;
}

async function run(spec: AnyRoute, options: ApiOptions, request: FastifyRequest, reply: FastifyReply): Promise<unknown> {
  // 1. authenticate, and authorise the role
  const principal = spec.access === 'public' ? null : await principalOf(request, options.sessions);
  if (spec.access !== 'public') {
    if (!principal) throw new RingfenceError(ErrorCodes.NOT_SIGNED_IN, 'sign in first (POST /api/session)');
    if (spec.access !== 'session' && principal.session.stage !== 'full') {
      throw new RingfenceError(ErrorCodes.NOT_SIGNED_IN, 'finish multi-factor sign-in first');
    }
  }
  // The role needs no input, so it is checked first: a role without the permission learns nothing
  // about what the route would accept.
  if (principal && spec.access !== 'public' && spec.access !== 'session' && spec.access !== 'signed-in' && !roleHas(principal.account.role, spec.access)) {
    throw new RingfenceError(ErrorCodes.PERMISSION_DENIED, `the ${principal.account.role} role may not ${spec.summary.charAt(0).toLowerCase()}${spec.summary.slice(1)}`);
  }
  if (UNSAFE_METHODS.has(spec.method)) checkCsrf(request, principal);
  // 2. validate
  const params = parseInput(spec.params, request.params, 'path');
  const query = parseInput(spec.query, request.query, 'query');
  const body = parseInput(spec.body, request.body, 'body');
  // 3. authorise the school
  // A school named anywhere in the request (path, query or body) must be one the account may see.
  const schoolIds = [params, query, body].map((v) => (v as { schoolId?: unknown } | undefined)?.schoolId).filter((v): v is string => typeof v === 'string');
  for (const schoolId of schoolIds) {
    if (principal && !(await options.schoolVisible(principal, schoolId))) {
      // The same answer as for a school that does not exist: scope must not reveal what is outside it.
      throw new RingfenceError(ErrorCodes.NOT_FOUND, 'no such school', schoolId);
    }
  }
  // 4. use case
  const result = await spec.handle({ params, query, body, principal, request, reply });
  if (isRaw(spec.response)) return reply;
  // 5. presenter: only the fields the response schema names
  // A handler may have chosen another status (health answers 503 while starting).
  if (reply.statusCode === 200 && spec.status) reply.code(spec.status);
  if (spec.status === 204) return reply.send();
  return (spec.response as z.ZodType).parse(result);
}
