// Sign in with a username and password; roles that need a second factor then give a code (or
// enrol an authenticator app), which the session's stage decides.
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage, PageHeading } from '../../components/common';
import { useSession } from '../../session/session';
import { AuthFrame } from './AuthFrame';

export function SignInPage({ notice }: { notice: string | null }) {
  const { accept } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    try {
      accept(await unwrap(api.POST('/api/session', { body: { username: String(form.get('username')), password: String(form.get('password')) } }), { signedOutIsError: true }));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthFrame>
      <PageHeading title="Sign in">Sign in</PageHeading>
      {notice && <p className="message message-ok">{notice}</p>}
      <ErrorMessage error={error} />
      <form onSubmit={(e) => void submit(e)} className="stack">
        <div className="field">
          <label htmlFor="username">Username</label>
          <input id="username" name="username" autoComplete="username" required autoCapitalize="none" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="password">Password</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </AuthFrame>
  );
}
