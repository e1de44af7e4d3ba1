// The frame of the pages before sign-in is complete: the product name and one narrow column.
import type { ReactNode } from 'react';
import { useSession } from '../../session/session';

export function AuthFrame({ children }: { children: ReactNode }) {
  const { state, signOut } = useSession();
  return (
    <>
      <header className="site-header">
        <p className="brand">Ringfence</p>
        {state.status === 'signed-in' && (
          <button type="button" className="button-secondary" onClick={() => void signOut()}>
            Sign out
          </button>
        )}
      </header>
      <main id="main" tabIndex={-1} className="narrow">
        {children}
      </main>
    </>
  );
}

/** A code from an authenticator app: digits only, spaces forgiven. */
export function cleanCode(text: string): string {
  return text.replace(/\s+/g, '');
}
