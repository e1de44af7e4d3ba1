// Every error the API answers with has one shape: { error: { code, message, input?, details? } }.
// Codes come from the catalog (core/errors.ts); statuses from http-status.ts. Unexpected errors
// are logged and answered with a bare 500, never their message or stack.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ErrorCodes, isRingfenceError } from '../core/errors.ts';
import { statusForCode } from './http-status.ts';

export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly input?: string; readonly details?: unknown };
}

const INTERNAL = 'RF_INTERNAL';

/** Fastify's own errors (bad JSON, body too large, wrong media type) with the status they carry. */
function fastifyError(error: unknown): { status: number; code: string; message: string } | null {
  const e = error as { statusCode?: unknown; code?: unknown; message?: unknown };
  if (typeof e?.statusCode !== 'number' || e.statusCode < 400 || e.statusCode >= 500 || typeof e.code !== 'string' || !e.code.startsWith('FST_')) return null;
  const code = e.statusCode === 415 || e.statusCode === 413 ? ErrorCodes.BODY_UNSUPPORTED : ErrorCodes.REQUEST_INVALID;
  return { status: e.statusCode, code, message: String(e.message) };
}

export function replyWithError(error: unknown, request: FastifyRequest, reply: FastifyReply, logError: (error: unknown, request: FastifyRequest) => void): FastifyReply {
  if (isRingfenceError(error)) {
    const status = statusForCode(error.code) ?? 500;
    if (status >= 500) logError(error, request);
    const body: ErrorBody = {
      error: status === 500 ? { code: error.code, message: 'the server could not do this; the network manager can find why in its log' } : { code: error.code, message: error.message, ...(error.input !== undefined ? { input: error.input } : {}), ...(error.details ? { details: error.details } : {}) },
    };
    if (status === 429 && typeof error.details?.retryAfterSeconds === 'number') reply.header('retry-after', String(Math.ceil(error.details.retryAfterSeconds)));
    return reply.code(status).type('application/json').send(body);
  }
  const known = fastifyError(error);
  if (known) return reply.code(known.status).type('application/json').send({ error: { code: known.code, message: known.message } });
  logError(error, request);
  return reply.code(500).type('application/json').send({ error: { code: INTERNAL, message: 'the server could not do this; the network manager can find why in its log' } });
}
