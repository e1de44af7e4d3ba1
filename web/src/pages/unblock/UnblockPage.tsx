// Unblock requests: a teacher's own (state, decision, expiry; withdraw a pending one) and, for
// approvers, the queue (approve with an optional comment, decline with a required one) and the
// recent decisions and expiries from the change log.
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ChangeRow, UnblockRequest } from '../../api/types';
import { useAccountName } from '../../components/accountNames';
import { ErrorMessage, Loading, PageHeading, StatusMessage, When } from '../../components/common';
import { href } from '../../router';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { QueueItem } from './QueueItem';
import { RequestTable } from './RequestTable';

export function UnblockPage() {
  const can = useCan();
  const [status, setStatus] = useState<string | null>(null);
  return (
    <>
      <PageHeading title="Unblock requests">Unblock requests</PageHeading>
      <p className="lead">A teacher asks for a blocked site for a group and a period; a second person decides; the site is blocked again when the period ends.</p>
      <StatusMessage text={status} />
      {can('unblock:decide') && <Queue onStatus={setStatus} />}
      {can('unblock:request') && <MyRequests onStatus={setStatus} />}
      {can('changelog:read') && <RecentDecisions />}
    </>
  );
}

function MyRequests({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const [requests, setRequests] = useState<UnblockRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/unblock-requests/mine', { params: { path: { schoolId: school.id } } })).then((r) => setRequests(r.requests), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);

  async function cancel(request: UnblockRequest) {
    try {
      await unwrap(api.POST('/api/schools/{schoolId}/unblock-requests/{requestId}/cancel', { params: { path: { schoolId: school.id, requestId: request.id } } }));
      await load();
      onStatus(`Your request for ${request.site.value} is withdrawn.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <section aria-labelledby="mine-heading">
      <h2 id="mine-heading">My requests</h2>
      <p>
        <a href={href('/requests/unblock')} className="button-link">
          Ask for a site to be unblocked
        </a>
      </p>
      <ErrorMessage error={error} />
      {!requests ? (
        !error && <Loading what="your requests" />
      ) : requests.length === 0 ? (
        <p>You have not asked for any site yet.</p>
      ) : (
        <RequestTable requests={requests} caption="My requests" onCancel={(r) => void cancel(r)} />
      )}
    </section>
  );
}

function Queue({ onStatus }: { onStatus(text: string): void }) {
  const { school } = useSchool();
  const nameOf = useAccountName();
  const [requests, setRequests] = useState<UnblockRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/unblock-requests', { params: { path: { schoolId: school.id } } })).then((r) => setRequests(r.requests), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);
  return (
    <section aria-labelledby="queue-heading">
      <h2 id="queue-heading">Waiting for a decision{requests ? ` (${requests.length})` : ''}</h2>
      <ErrorMessage error={error} />
      {!requests ? (
        !error && <Loading what="the queue" />
      ) : requests.length === 0 ? (
        <p>Nothing is waiting.</p>
      ) : (
        <ul className="cards">
          {requests.map((r) => (
            <li key={r.id} className="card">
              <QueueItem request={r} requester={nameOf(r.requester)} onDecided={(text) => void load().then(() => onStatus(text))} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function RecentDecisions() {
  const { school } = useSchool();
  const nameOf = useAccountName();
  const [changes, setChanges] = useState<ChangeRow[] | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/policy/changes', { params: { path: { schoolId: school.id } } })).then(
      (r) => setChanges(r.changes.filter((c) => (c.kind === 'unblock' || c.kind === 'unblock-expiry') && c.state !== 'pending').slice(0, 10)),
      () => setChanges([]),
    );
  }, [school.id]);
  if (!changes) return null;
  return (
    <section aria-labelledby="unblock-decided-heading">
      <h2 id="unblock-decided-heading">Recent decisions and expiries</h2>
      {changes.length === 0 ? (
        <p>None yet.</p>
      ) : (
        <ul className="decisions">
          {changes.map((c) => (
            <li key={c.changeId}>
              <When iso={c.decidedAt} />: {c.kind === 'unblock-expiry' ? 'Ended' : c.state === 'published' ? `Approved by ${nameOf(c.decidedBy)}` : `Declined by ${nameOf(c.decidedBy)}`}: “{c.reason}”
              {c.decisionComment && `, comment “${c.decisionComment}”`}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
