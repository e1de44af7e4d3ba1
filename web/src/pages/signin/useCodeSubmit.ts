// Sending a code from the authenticator app (at sign-in, or to confirm a new app): the form's code,
// cleaned, goes to `send`; the session it answers with is taken, or its error shown.
import { useState, type FormEvent } from 'react';
import { messageOf } from '../../api/client';
import type { SessionView } from '../../api/types';
import { useSession } from '../../session/session';
import { cleanCode } from './AuthFrame';

export function useCodeSubmit(send: (code: string) => Promise<SessionView>) {
  const { accept } = useSession();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const code = cleanCode(String(new FormData(event.currentTarget).get('code')));
    setBusy(true);
    setError(null);
    try {
      accept(await send(code));
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }
  return { error, setError, busy, submit };
}
