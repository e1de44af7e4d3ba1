// The first administrator's one-time sign-in (the link `npm start` prints, #/welcome/<token>):
// choose a password, then enrol an authenticator app.
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage, PageHeading } from '../../components/common';
import { useSession } from '../../session/session';
import { AuthFrame } from './AuthFrame';

export function WelcomePage({ token }: { token: string }) {
  const { accept } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const password = String(form.get('password'));
    if (password !== String(form.get('confirm'))) {
      setError('The two passwords are not the same. Type the same password twice.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const view = await unwrap(api.POST('/api/session/one-time', { body: { token, password } }), { signedOutIsError: true });
      window.location.hash = '#/';
      accept(view);
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthFrame>
      <PageHeading title="Welcome">Welcome to Ringfence</PageHeading>
      <p>This link signs you in once. Choose a password for your account; next you will set up an authenticator app.</p>
      <ErrorMessage error={error} />
      <form onSubmit={(e) => void submit(e)} className="stack">
        <div className="field">
          <label htmlFor="password">New password</label>
          <p className="hint" id="password-hint">
            Use a long passphrase: several words you will remember.
          </p>
          <input id="password" name="password" type="password" autoComplete="new-password" required aria-describedby="password-hint" />
        </div>
        <div className="field">
          <label htmlFor="confirm">Type the password again</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
        </div>
        <button type="submit" disabled={busy}>
          Set password and continue
        </button>
      </form>
    </AuthFrame>
  );
}
