// Enrolling an authenticator app: a QR code to scan, the secret as text for typing in by hand, and
// a code from the app to prove it works.
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage, Loading, PageHeading } from '../../components/common';
import { QrCode } from '../../components/QrCode';
import { AuthFrame } from './AuthFrame';
import { useCodeSubmit } from './useCodeSubmit';

/** The secret in groups of four, easier to copy by hand. */
function grouped(secret: string): string {
  return secret.replace(/(.{4})(?=.)/g, '$1 ');
}

export function MfaEnrolmentPage() {
  const [enrolment, setEnrolment] = useState<{ secret: string; otpauthUri: string } | null>(null);
  const { error, setError, busy, submit } = useCodeSubmit((code) => unwrap(api.POST('/api/session/mfa/enrolment/confirm', { body: { code } })));

  useEffect(() => {
    unwrap(api.POST('/api/session/mfa/enrolment')).then(setEnrolment, (e: unknown) => setError(messageOf(e)));
  }, []);

  return (
    <AuthFrame>
      <PageHeading title="Set up your authenticator app">Set up your authenticator app</PageHeading>
      <p>Your role can change what the school filters or see reports about pupils, so signing in needs a code from an authenticator app as well as your password.</p>
      <ErrorMessage error={error} />
      {!enrolment && !error && <Loading what="your new secret" />}
      {enrolment && (
        <>
          <ol className="steps">
            <li>
              <p>Open your authenticator app and scan this QR code.</p>
              <QrCode text={enrolment.otpauthUri} label="QR code to add Ringfence to your authenticator app" />
            </li>
            <li>
              <p>If you cannot scan it, type this secret into the app instead:</p>
              <p className="secret" data-testid="totp-secret">
                {grouped(enrolment.secret)}
              </p>
            </li>
            <li>
              <form onSubmit={(e) => void submit(e)} className="stack">
                <div className="field">
                  <label htmlFor="code">Enter the six-digit code the app now shows</label>
                  <input id="code" name="code" inputMode="numeric" autoComplete="one-time-code" pattern="[0-9 ]{6,10}" required className="input-short" />
                </div>
                <button type="submit" disabled={busy}>
                  Confirm and continue
                </button>
              </form>
            </li>
          </ol>
        </>
      )}
    </AuthFrame>
  );
}
