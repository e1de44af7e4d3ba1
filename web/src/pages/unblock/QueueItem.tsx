// One request in the approver's queue: approve (comment optional) or decline (comment required).
import { useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { UnblockRequest } from '../../api/types';
import { approvePressed, DecisionForm } from '../../components/DecisionForm';
import { When } from '../../components/common';
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
    const approve = approvePressed(event);
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
        <DecisionForm id={id} error={error} busy={busy} onSubmit={(e) => void decide(e)} />
      )}
    </article>
  );
}
