// Signing in and out: password (and a TOTP code for the roles that need one), multi-factor
// enrolment, the one-time sign-in the first administrator gets, and the current session with its
// CSRF token and the permissions the console shows or hides things by.
import { z } from 'zod';
import { permissionsOf, PERMISSION_NAMES } from '../../core/access/permissions.ts';
import { roleTitle } from '../../core/access/roles.ts';
import { SESSION_MAX_MS, type ConsoleAccount, type ConsoleSession } from '../../core/access/console-account.ts';
import type { ConsoleAuthService } from '../../services/console-auth/console-auth-service.ts';
import { clearSessionCookie, setSessionCookie } from '../principal.ts';
import { route, type AnyRoute } from '../route.ts';
import { ConsoleAccount as AccountView } from '../schemas.ts';

export const SessionView = z.object({
  account: AccountView.omit({ disabled: true }).extend({ roleTitle: z.string() }),
  /** What is still needed: enrol an authenticator app, give a code, or nothing. */
  stage: z.enum(['mfa-enrolment', 'mfa-code', 'full']),
  /** Send it back in the X-CSRF-Token header with every request that changes something. */
  csrfToken: z.string(),
  expiresAt: z.string(),
  permissions: z.array(z.enum(PERMISSION_NAMES as [string, ...string[]])),
});

function view(account: ConsoleAccount, session: ConsoleSession): z.input<typeof SessionView> {
  return {
    account: { ...account, scope: [...account.scope], roleTitle: roleTitle(account.role) },
    stage: session.stage,
    csrfToken: session.csrfToken,
    expiresAt: session.expiresAt,
    permissions: session.stage === 'full' ? permissionsOf(account.role) : [],
  };
}

const Code = z.string().min(6).max(10);

export function sessionRoutes(auth: ConsoleAuthService): AnyRoute[] {
  return [
    route({
      method: 'POST', url: '/api/session', summary: 'Sign in', tag: 'session', access: 'public',
      body: z.object({ username: z.string().min(1).max(200), password: z.string().min(1).max(1024), code: Code.optional() }),
      response: SessionView, status: 201,
      handle: async ({ body, request, reply }) => {
        const r = await auth.signIn({ ...body, client: request.ip, userAgent: request.headers['user-agent'] ?? '' });
        setSessionCookie(request, reply, r.token, SESSION_MAX_MS / 1000);
        return view(r.account, r.session);
      },
    }),
    route({
      method: 'POST', url: '/api/session/one-time', summary: 'Sign in with a one-time token and set a password', tag: 'session', access: 'public',
      body: z.object({ token: z.string().min(1).max(200), password: z.string().min(1).max(1024) }),
      response: SessionView, status: 201,
      handle: async ({ body, request, reply }) => {
        const r = await auth.redeemOneTimeSignIn(body.token, body.password, request.ip, request.headers['user-agent'] ?? '');
        setSessionCookie(request, reply, r.token, SESSION_MAX_MS / 1000);
        return view(r.account, r.session);
      },
    }),
    route({
      method: 'GET', url: '/api/session', summary: 'Get the current session', tag: 'session', access: 'session', response: SessionView,
      handle: async ({ principal }) => view(principal!.account, principal!.session),
    }),
    route({
      method: 'DELETE', url: '/api/session', summary: 'Sign out', tag: 'session', access: 'session', response: z.object({ signedOut: z.boolean() }),
      handle: async ({ principal, request, reply }) => {
        const signedOut = await auth.signOut(principal!.token);
        clearSessionCookie(request, reply);
        return { signedOut };
      },
    }),
    route({
      method: 'POST', url: '/api/session/mfa', summary: 'Give the code from the authenticator app', tag: 'session', access: 'session',
      body: z.object({ code: Code }), response: SessionView,
      handle: async ({ principal, body }) => {
        const r = await auth.completeMfa(principal!.token, body.code);
        return view(r.account, r.session);
      },
    }),
    route({
      method: 'POST', url: '/api/session/mfa/enrolment', summary: 'Start enrolling an authenticator app', tag: 'session', access: 'session',
      response: z.object({ secret: z.string(), otpauthUri: z.string() }),
      handle: async ({ principal }) => auth.startMfaEnrolment(principal!.token),
    }),
    route({
      method: 'POST', url: '/api/session/mfa/enrolment/confirm', summary: 'Confirm the authenticator app with a code', tag: 'session', access: 'session',
      body: z.object({ code: Code }), response: SessionView,
      handle: async ({ principal, body }) => {
        const r = await auth.confirmMfaEnrolment(principal!.token, body.code);
        return view(r.account, r.session);
      },
    }),
  ];
}
