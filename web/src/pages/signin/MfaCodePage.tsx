// The second step for roles that need one: the six-digit code from the authenticator app.
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage, PageHeading } from '../../components/common';
import { useSession } from '../../session/session';
import { AuthFrame, cleanCode } from './AuthFrame';

export function MfaCodePage() {
  const { accept } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = cleanCode(String(new FormData(event.currentTarget).get('code')));
    setBusy(true);
    setError(null);
    try {
      accept(await unwrap(api.POST('/api/session/mfa', { body: { code } })));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <AuthFrame>
      <PageHeading title="Enter your code">Enter the code from your authenticator app</PageHeading>
      <ErrorMessage error={error} />
      <form onSubmit={(e) => void submit(e)} className="stack">
        <div className="field">
          <label htmlFor="code">Six-digit code</label>
          <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,10}" required className="input-short" />
        </div>
        <button type="submit" disabled={busy}>
          Continue
        </button>
      </form>
    </AuthFrame>
  );
}
