// The one way the console talks to the API: openapi-fetch typed by the generated schema. A
// middleware sends the session's CSRF token with every request that changes something.
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

let csrfToken: string | null = null;
let onSignedOut: (() => void) | null = null;

/** Set from every session view the API returns (sign-in, MFA, GET /api/session). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when the API says the session is gone (expired, or signed out elsewhere). */
export function whenSignedOut(callback: (() => void) | null): void {
  onSignedOut = callback;
}

const csrf: Middleware = {
  onRequest({ request }) {
    if (request.method !== 'GET' && request.method !== 'HEAD' && csrfToken) request.headers.set('X-CSRF-Token', csrfToken);
    return request;
  },
};

export const api = createClient<paths>({ baseUrl: window.location.origin, credentials: 'same-origin' });
api.use(csrf);

/** An error the API answered with: `message` is written for people. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** The data of a successful answer, or an ApiError with the API's message. */
export async function unwrap<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>, { signedOutIsError = false } = {}): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'RF_NETWORK', 'The server could not be reached. Check the network and try again.');
  }
  if (result.response.ok) return result.data as T;
  const body = (result.error ?? {}) as ErrorBody;
  const code = body.error?.code ?? 'RF_UNKNOWN';
  const message = body.error?.message ?? `The server answered ${result.response.status}.`;
  if (result.response.status === 401 && code === 'RF_NOT_SIGNED_IN' && !signedOutIsError) onSignedOut?.();
  throw new ApiError(result.response.status, code, message);
}

/** What to show for any error: the API's message, or a plain one. */
export function messageOf(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}
