// Below the table: what the saved draft changes against the version in force, and submitting it
// with a reason (for a second person's approval, or published at once when approval is off).
import { useState, type FormEvent } from 'react';
import type { Difference } from '../../api/types';
import { ErrorMessage } from '../../components/common';

export function DifferenceList({ differences, dirty, hasDraft }: { differences: readonly Difference[]; dirty: boolean; hasDraft: boolean }) {
  return (
    <section aria-labelledby="changes-heading" className="panel">
      <h2 id="changes-heading">What changes</h2>
      {dirty && <p className="message message-warning">You have changes that are not saved. Save the draft to see everything they change.</p>}
      {!hasDraft ? (
        <p>There is no draft: the table shows the version in force.</p>
      ) : differences.length === 0 ? (
        <p>The saved draft is the same as the version in force.</p>
      ) : (
        <ul className="differences">
          {differences.map((d, i) => (
            <li key={`${d.area}-${d.id ?? ''}-${i}`}>
              <span className={`tag tag-${d.kind}`}>{d.kind}</span> {d.summary}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function SubmitPanel({ requireApproval, disabled, onSubmit }: { requireApproval: boolean; disabled: boolean; onSubmit(reason: string): Promise<string | null> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const reason = String(new FormData(form).get('reason')).trim();
    if (!reason) {
      setError('Give a reason: it is kept in the change log that governors review.');
      return;
    }
    setBusy(true);
    setError(await onSubmit(reason));
    setBusy(false);
    form.reset();
  }

  return (
    <section aria-labelledby="submit-heading" className="panel">
      <h2 id="submit-heading">{requireApproval ? 'Submit for approval' : 'Publish'}</h2>
      <p>{requireApproval ? 'A second person must approve the change before it is enforced.' : 'Second-person approval is off for this school: submitting publishes the change at once.'}</p>
      <ErrorMessage error={error} />
      <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
        <div className="field">
          <label htmlFor="reason">Reason for the change</label>
          <p className="hint" id="reason-hint">
            Say why, for the change log, e.g. “a site a pupil reported”.
          </p>
          <textarea id="reason" name="reason" rows={3} maxLength={1000} required aria-describedby="reason-hint" />
        </div>
        <button type="submit" disabled={busy || disabled}>
          {requireApproval ? 'Submit for approval' : 'Publish now'}
        </button>
      </form>
    </section>
  );
}
