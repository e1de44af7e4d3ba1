// The approvals queue: pending policy changes from the change-control log. A second person
// approves with a comment or declines with a reason; the author sees their own as waiting.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../api/client';
import type { ChangeRow } from '../api/types';
import { useAccountName } from '../components/accountNames';
import { approvePressed, DecisionForm } from '../components/DecisionForm';
import { ErrorMessage, Loading, PageHeading, StatusMessage, When } from '../components/common';
import { useCan, useSignedIn } from '../session/session';
import { useSchool } from '../shell/school';

const KIND_NAMES: Record<string, string> = { change: 'Policy change', rollback: 'Rollback', unblock: 'Unblock request', 'unblock-expiry': 'End of an unblock' };

export function ApprovalsPage() {
  const { school } = useSchool();
  const [changes, setChanges] = useState<ChangeRow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const nameOf = useAccountName();

  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/policy/changes', { params: { path: { schoolId: school.id } } })).then((r) => setChanges(r.changes), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);

  if (!changes) return error ? <ErrorMessage error={error} /> : <Loading what="the approvals queue" />;
  const pending = changes.filter((c) => c.state === 'pending');
  const decided = changes.filter((c) => c.state !== 'pending').slice(0, 10);
  return (
    <>
      <PageHeading title="Approvals">Approvals</PageHeading>
      <p className="lead">Every change to filtering needs a second person: the author cannot approve their own.</p>
      <StatusMessage text={status} />
      <section aria-labelledby="pending-heading">
        <h2 id="pending-heading">Waiting for approval ({pending.length})</h2>
        {pending.length === 0 && <p>Nothing is waiting.</p>}
        <ul className="cards">
          {pending.map((c) => (
            <li key={c.changeId} className="card">
              <PendingChange change={c} author={nameOf(c.author)} onDecided={(text) => void load().then(() => setStatus(text))} />
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="decided-heading">
        <h2 id="decided-heading">Recently decided</h2>
        {decided.length === 0 ? (
          <p>No decisions yet.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Change</th>
                <th scope="col">Reason</th>
                <th scope="col">Outcome</th>
                <th scope="col">Decided</th>
              </tr>
            </thead>
            <tbody>
              {decided.map((c) => (
                <tr key={c.changeId}>
                  <td>{KIND_NAMES[c.kind] ?? c.kind} by {nameOf(c.author)}</td>
                  <td>{c.reason}</td>
                  <td>
                    {c.state === 'published' ? `Published as version ${c.publishedVersion}` : 'Declined'}
                    {c.decidedBy && ` by ${nameOf(c.decidedBy)}`}
                    {c.decisionComment && `: “${c.decisionComment}”`}
                  </td>
                  <td>
                    <When iso={c.decidedAt} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}

function PendingChange({ change, author, onDecided }: { change: ChangeRow; author: string; onDecided(text: string): void }) {
  const can = useCan();
  const mine = change.author === useSignedIn().account.id;
  const { school } = useSchool();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const headingId = `change-${change.changeId}`;

  async function decide(event: FormEvent<HTMLFormElement>, approve: boolean) {
    event.preventDefault();
    const comment = String(new FormData(event.currentTarget).get('comment') ?? '').trim();
    if (!approve && !comment) {
      setError('Say why you are declining: the author and the change log see it.');
      return;
    }
    setBusy(true);
    setError(null);
    const params = { path: { schoolId: school.id, changeId: change.changeId } };
    try {
      if (approve) {
        const v = await unwrap(api.POST('/api/schools/{schoolId}/policy/changes/{changeId}/approve', { params, body: comment ? { comment } : {} }));
        onDecided(`Approved: version ${v.version} is in force now.`);
      } else {
        await unwrap(api.POST('/api/schools/{schoolId}/policy/changes/{changeId}/decline', { params, body: { comment } }));
        onDecided('Declined. The author can see your reason.');
      }
    } catch (e) {
      setError(messageOf(e));
      setBusy(false);
    }
  }

  return (
    <article aria-labelledby={headingId}>
      <h3 id={headingId}>
        {KIND_NAMES[change.kind] ?? change.kind} by {author}
      </h3>
      <p>
        Submitted <When iso={change.submittedAt} />. Reason: “{change.reason}”
      </p>
      <h4>What it changes</h4>
      <ul className="differences">
        {change.what.map((w, i) => (
          <li key={i}>{w}</li>
        ))}
      </ul>
      {mine ? (
        <p className="message message-warning">This is your change: it is waiting for a second person to approve it.</p>
      ) : can('policy:approve') ? (
        <DecisionForm id={headingId} error={error} busy={busy} onSubmit={(e) => void decide(e, approvePressed(e))} />
      ) : (
        <p>Waiting for a second person to approve it.</p>
      )}
    </article>
  );
}
