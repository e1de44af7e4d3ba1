// One request in the approver's queue: approve (comment optional) or decline (comment required).
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { UnblockRequest } from '../../api/types';
import { ErrorMessage, When } from '../../components/common';
import { useSignedIn } from '../../session/session';
import { useSchool } from '../../shell/school';

export function QueueItem({ request, requester, onDecided }: { request: UnblockRequest; requester: string; onDecided(text: string): void }) {
  const { school } = useSchool();
  const mine = request.requester === useSignedIn().account.id;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = `unblock-${request.id}`;

  async function decide(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const approve = (event.nativeEvent as SubmitEvent).submitter?.getAttribute('value') === 'approve';
    const comment = String(new FormData(event.currentTarget).get('comment') ?? '').trim();
    if (!approve && !comment) return setError('Say why you are declining: the teacher sees it.');
    setBusy(true);
    setError(null);
    const params = { path: { schoolId: school.id, requestId: request.id } };
    try {
      if (approve) {
        await unwrap(api.POST('/api/schools/{schoolId}/unblock-requests/{requestId}/approve', { params, body: comment ? { comment } : {} }));
        onDecided(`Approved: ${request.site.value} is unblocked for ${request.group}.`);
      } else {
        await unwrap(api.POST('/api/schools/{schoolId}/unblock-requests/{requestId}/decline', { params, body: { comment } }));
        onDecided(`Declined: the request for ${request.site.value}.`);
      }
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby={id}>
      <h3 id={id} className="wrap">
        {request.site.value} for {request.group}
      </h3>
      <p>
        Asked by {requester} <When iso={request.requestedAt} />, until <When iso={request.endsAt} />. Reason: “{request.reason}”
      </p>
      {mine ? (
        <p className="message message-warning">This is your request: someone else must decide it.</p>
      ) : (
        <form className="stack" onSubmit={(e) => void decide(e)} noValidate>
          <ErrorMessage error={error} />
          <div className="field">
            <label htmlFor={`${id}-comment`}>Comment (needed to decline)</label>
            <textarea id={`${id}-comment`} name="comment" rows={2} maxLength={1000} />
          </div>
          <div className="button-row">
            <button type="submit" value="approve" disabled={busy}>
              Approve
            </button>
            <button type="submit" value="decline" className="button-danger" disabled={busy}>
              Decline
            </button>
          </div>
        </form>
      )}
    </article>
  );
}
