// A route is data: method, path, who may call it, zod schemas for what comes in and what goes out,
// and a thin handler that calls one use case. The app (app.ts) runs every route through the same
// steps: authenticate → validate → authorise → use case → presenter (the response schema, which
// strips every field it does not name). The OpenAPI document and the roles × routes test are
// generated from the same list.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import type { Permission } from '../core/access/permissions.ts';
import type { Principal } from './principal.ts';

/**
 * Who may call a route:
 * - 'public': anyone (health, sign-in, the OpenAPI document);
 * - 'session': any session, even one still in the middle of multi-factor sign-in;
 * - 'signed-in': a fully signed-in account of any role (its own profile, its own requests);
 * - a permission: a fully signed-in account whose role holds it (core/access/permissions.ts).
 */
export type Access = 'public' | 'session' | 'signed-in' | Permission;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType ? z.output<S> : undefined;
/** What a handler may return for a response schema: the same shape, read-only arrays accepted. */
type Presentable<T> = T extends readonly (infer U)[] ? readonly Presentable<U>[] : T extends object ? { readonly [K in keyof T]: Presentable<T[K]> } : T;

export interface RouteContext<P, Q, B> {
  readonly params: P;
  readonly query: Q;
  readonly body: B;
  /** Null only on public routes. */
  readonly principal: Principal | null;
  readonly request: FastifyRequest;
  readonly reply: FastifyReply;
}

/** A route that answers with a file or a stream (CSV export) instead of JSON. */
export interface RawResponse {
  readonly contentType: string;
  readonly description: string;
}

export interface RouteSpec<P extends Schema | undefined = Schema | undefined, Q extends Schema | undefined = Schema | undefined, B extends Schema | undefined = Schema | undefined, R extends Schema | RawResponse = Schema | RawResponse> {
  readonly method: Method;
  /** Fastify path syntax: /api/schools/:schoolId/devices. A :schoolId must be visible to the account. */
  readonly url: string;
  readonly summary: string;
  readonly tag: string;
  readonly access: Access;
  readonly params?: P;
  readonly query?: Q;
  readonly body?: B;
  readonly response: R;
  /** Status on success (200 unless given). */
  readonly status?: 200 | 201 | 202 | 204;
  /** Largest request body in bytes (the app's default otherwise). */
  readonly bodyLimit?: number;
  readonly handle: (ctx: RouteContext<Out<P>, Out<Q>, Out<B>>) => Promise<R extends z.ZodType ? Presentable<z.input<R>> : void>;
}

/** Keeps each route's types checked where it is written; the list of routes is then untyped. */
export function route<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined, R extends Schema | RawResponse>(spec: RouteSpec<P, Q, B, R>): AnyRoute {
  return spec as unknown as AnyRoute;
}

export type AnyRoute = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined, Schema | RawResponse> & {
  readonly handle: (ctx: RouteContext<any, any, any>) => Promise<unknown>;
};

export function isRaw(response: Schema | RawResponse): response is RawResponse {
  return typeof (response as RawResponse).contentType === 'string';
}

export const UNSAFE_METHODS: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
