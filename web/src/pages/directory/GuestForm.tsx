// A guest (a visitor, a supply teacher) with an expiry, after which they are no longer known.
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import { ErrorMessage } from '../../components/common';
import { useSchool } from '../../shell/school';

export function GuestForm({ onAdded }: { onAdded(text: string): void }) {
  const { school } = useSchool();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const username = String(form.get('username') ?? '').trim();
    const displayName = String(form.get('displayName') ?? '').trim();
    const expires = String(form.get('expiresAt') ?? '');
    if (!username || !displayName || !expires) return setError('Give the guest a username, a name and when their access ends.');
    setBusy(true);
    setError(null);
    try {
      // datetime-local is the browser's local time; the API takes an instant.
      const guest = await unwrap(api.POST('/api/schools/{schoolId}/guests', { params: { path: { schoolId: school.id } }, body: { username, displayName, expiresAt: new Date(expires).toISOString() } }));
      formElement.reset();
      onAdded(`Guest ${guest.displayName} added.`);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  return (
    <section aria-labelledby="guest-heading" className="panel">
      <h2 id="guest-heading">Add a guest</h2>
      <form className="stack" onSubmit={(e) => void add(e)} noValidate>
        <ErrorMessage error={error} />
        <div className="field">
          <label htmlFor="guest-username">Username</label>
          <input id="guest-username" name="username" autoCapitalize="none" spellCheck={false} />
        </div>
        <div className="field">
          <label htmlFor="guest-name">Name</label>
          <input id="guest-name" name="displayName" />
        </div>
        <div className="field">
          <label htmlFor="guest-expires">Access ends</label>
          <input id="guest-expires" name="expiresAt" type="datetime-local" className="input-medium" />
        </div>
        <button type="submit" disabled={busy}>
          Add guest
        </button>
      </form>
    </section>
  );
}
