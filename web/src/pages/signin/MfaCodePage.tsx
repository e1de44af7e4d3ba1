// The second step for roles that need one: the six-digit code from the authenticator app.
import { api, unwrap } from '../../api/client';
import { ErrorMessage, PageHeading } from '../../components/common';
import { AuthFrame } from './AuthFrame';
import { useCodeSubmit } from './useCodeSubmit';

export function MfaCodePage() {
  const { error, busy, submit } = useCodeSubmit((code) => unwrap(api.POST('/api/session/mfa', { body: { code } })));

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
