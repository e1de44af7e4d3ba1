// Who is calling: the session cookie resolved to an account and its session. What the API needs
// of the sign-in use cases is named here; the server passes the console-auth service.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ConsoleAccount, ConsoleSession } from '../core/access/console-account.ts';
import { ErrorCodes, RingfenceError } from '../core/errors.ts';

export interface Principal {
  readonly account: ConsoleAccount;
  readonly session: ConsoleSession;
  /** The raw cookie token (to sign out or finish MFA with); never logged or returned. */
  readonly token: string;
}

export interface SessionResolver {
  resume(token: string, client: string): Promise<{ account: ConsoleAccount; session: ConsoleSession } | null>;
}

export const SESSION_COOKIE = 'ringfence_session';
export const CSRF_HEADER = 'x-csrf-token';

export async function principalOf(request: FastifyRequest, sessions: SessionResolver): Promise<Principal | null> {
  const token = request.cookies[SESSION_COOKIE];
  if (!token || token.length > 200) return null;
  const found = await sessions.resume(token, request.ip);
  return found ? { ...found, token } : null;
}

export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, token: string, maxAgeSeconds: number): void {
  // httpOnly: no script (not even ours) can read it; SameSite=Strict: no other site's page can
  // make the browser send it. Secure whenever the console is served over HTTPS.
  reply.setCookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/', maxAge: maxAgeSeconds });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', path: '/' });
}

function sameString(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Refuses an unsafe request from another origin (Origin or Sec-Fetch-Site say so) and, with a
 * session, one without the session's CSRF token in the X-CSRF-Token header. The cookie's
 * SameSite=Strict is the first line; this is the second.
 */
export function checkCsrf(request: FastifyRequest, principal: Principal | null): void {
  const site = request.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new RingfenceError(ErrorCodes.CSRF_REJECTED, `a ${String(site)} request may not change anything`);
  }
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
    throw new RingfenceError(ErrorCodes.CSRF_REJECTED, 'the request comes from another origin');
  }
  if (!principal) return;
  const given = request.headers[CSRF_HEADER];
  if (typeof given !== 'string' || !sameString(given, principal.session.csrfToken)) {
    throw new RingfenceError(ErrorCodes.CSRF_REJECTED, `the ${CSRF_HEADER} header is missing or does not match the session (GET /api/session gives it)`);
  }
}
