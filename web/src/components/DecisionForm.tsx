// Approve or decline someone else's proposal (a policy change, an unblock request): one comment
// field, needed to decline, and the two buttons. The caller reads which button was pressed from the
// submit event's submitter (value "approve" or "decline").
import type { FormEvent } from 'react';
import { ErrorMessage } from './common';

export function approvePressed(e: FormEvent<HTMLFormElement>): boolean {
  return (e.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'approve';
}

export function DecisionForm(props: { id: string; error: string | null; busy: boolean; onSubmit: (e: FormEvent<HTMLFormElement>) => void }) {
  return (
    <form className="stack" onSubmit={props.onSubmit} noValidate>
      <ErrorMessage error={props.error} />
      <div className="field">
        <label htmlFor={`${props.id}-comment`}>Comment (needed to decline)</label>
        <textarea id={`${props.id}-comment`} name="comment" rows={2} maxLength={1000} />
      </div>
      <div className="button-row">
        <button type="submit" value="approve" disabled={props.busy}>
          Approve
        </button>
        <button type="submit" value="decline" className="button-danger" disabled={props.busy}>
          Decline
        </button>
      </div>
    </form>
  );
}
