// The signed-in session for the whole console: loaded from GET /api/session on page load, replaced
// by every sign-in step, cleared on sign-out or when the API says the session has ended.
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, messageOf, setCsrfToken, unwrap, whenSignedOut } from '../api/client';
import type { Permission, SessionView } from '../api/types';

export type SessionState = { status: 'loading' } | { status: 'signed-out'; notice: string | null } | { status: 'signed-in'; view: SessionView };

interface SessionApi {
  readonly state: SessionState;
  /** Takes a session view the API answered with (each sign-in step returns one). */
  accept(view: SessionView): void;
  signOut(): Promise<void>;
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const accept = useCallback((view: SessionView) => {
    setCsrfToken(view.csrfToken);
    setState({ status: 'signed-in', view });
  }, []);

  const ended = useCallback((notice: string | null) => {
    setCsrfToken(null);
    setState({ status: 'signed-out', notice });
  }, []);

  useEffect(() => {
    whenSignedOut(() => ended('Your session has ended. Sign in again.'));
    unwrap(api.GET('/api/session'), { signedOutIsError: true }).then(accept, (e: unknown) =>
      ended(e instanceof ApiError && e.status === 401 ? null : messageOf(e)),
    );
    return () => whenSignedOut(null);
  }, [accept, ended]);

  const signOut = useCallback(async () => {
    try {
      await unwrap(api.DELETE('/api/session'), { signedOutIsError: true });
    } catch {
      // Signed out already, or the server is away: either way this page forgets the session.
    }
    ended('You have signed out.');
    window.location.hash = '#/';
  }, [ended]);

  const value = useMemo(() => ({ state, accept, signOut }), [state, accept, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** The fully signed-in view; only for pages inside the signed-in shell. */
export function useSignedIn(): SessionView {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useSignedIn without a session');
  return state.view;
}

/** Whether the role may do something: the console hides what it may not (the API refuses it anyway). */
export function useCan(): (permission: Permission) => boolean {
  const view = useSignedIn();
  return useCallback((permission: Permission) => view.permissions.includes(permission), [view]);
}
