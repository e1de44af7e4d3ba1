// The dashboard: requests and blocks over time, what was blocked most and for whom, unblock
// requests waiting, recent policy changes and when the policy is next due for review. Each panel
// shows only for roles that may read what it shows.
import { useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ChangeRow, PolicyVersion, UnblockRequest } from '../../api/types';
import { useAccountName } from '../../components/accountNames';
import { ErrorMessage, Loading, PageHeading, When } from '../../components/common';
import { href } from '../../router';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { ActivityPanel } from './ActivityPanel';

export function DashboardPage() {
  const can = useCan();
  return (
    <>
      <PageHeading title="Dashboard">Dashboard</PageHeading>
      {can('activity:read') && <ActivityPanel />}
      <div className="panel-grid">
        {can('unblock:decide') && <PendingRequests />}
        {can('changelog:read') && <RecentChanges />}
        {can('policy:read') && <ReviewDue />}
      </div>
    </>
  );
}

function PendingRequests() {
  const { school } = useSchool();
  const [requests, setRequests] = useState<UnblockRequest[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/unblock-requests', { params: { path: { schoolId: school.id } } })).then((r) => setRequests(r.requests), (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  return (
    <section aria-labelledby="dash-pending" className="panel">
      <h2 id="dash-pending">Unblock requests waiting</h2>
      <ErrorMessage error={error} />
      {!requests ? (
        !error && <Loading what="unblock requests" />
      ) : requests.length === 0 ? (
        <p>None waiting.</p>
      ) : (
        <ul>
          {requests.slice(0, 5).map((r) => (
            <li key={r.id}>
              {r.site.value} for {r.group}, until <When iso={r.endsAt} />
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={href('/unblock')}>Go to unblock requests{requests ? ` (${requests.length} waiting)` : ''}</a>
      </p>
    </section>
  );
}

const STATE_WORDS: Record<string, string> = { pending: 'waiting', published: 'published', declined: 'declined' };

function RecentChanges() {
  const { school } = useSchool();
  const nameOf = useAccountName();
  const [changes, setChanges] = useState<ChangeRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/policy/changes', { params: { path: { schoolId: school.id } } })).then((r) => setChanges(r.changes), (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  return (
    <section aria-labelledby="dash-changes" className="panel">
      <h2 id="dash-changes">Recent policy changes</h2>
      <ErrorMessage error={error} />
      {!changes ? (
        !error && <Loading what="policy changes" />
      ) : changes.length === 0 ? (
        <p>No changes yet.</p>
      ) : (
        <ul>
          {changes.slice(0, 5).map((c) => (
            <li key={c.changeId}>
              <When iso={c.decidedAt ?? c.submittedAt} />: “{c.reason}” by {nameOf(c.author)}, {STATE_WORDS[c.state] ?? c.state}
              {c.publishedVersion !== null && ` as version ${c.publishedVersion}`}
            </li>
          ))}
        </ul>
      )}
      <p>
        <a href={href('/approvals')}>Changes waiting and recent decisions</a>
      </p>
    </section>
  );
}

/** One year after the version in force was published: there is no review calendar yet. */
function ReviewDue() {
  const { school } = useSchool();
  const [current, setCurrent] = useState<PolicyVersion | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    unwrap(api.GET('/api/schools/{schoolId}/policy', { params: { path: { schoolId: school.id } } })).then((r) => setCurrent(r.current), (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  const due = current ? new Date(Date.parse(current.publishedAt)) : null;
  if (due) due.setFullYear(due.getFullYear() + 1);
  const overdue = due !== null && due.getTime() < Date.now();
  return (
    <section aria-labelledby="dash-review" className="panel">
      <h2 id="dash-review">Policy review</h2>
      <ErrorMessage error={error} />
      {current === undefined ? (
        !error && <Loading what="the policy" />
      ) : current === null || !due ? (
        <p>No policy has been published yet.</p>
      ) : (
        <>
          <p className={overdue ? 'message message-warning' : undefined}>
            {overdue ? 'Overdue: was due ' : 'Next due '}
            <strong>
              <When iso={due.toISOString()} />
            </strong>
          </p>
          <p className="hint">
            One year after version {current.version}, the version in force, was published (<When iso={current.publishedAt} />). The console has no review calendar yet, so this is a
            reminder only.
          </p>
        </>
      )}
    </section>
  );
}
