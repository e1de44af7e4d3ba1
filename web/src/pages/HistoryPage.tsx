// Published versions, newest first, each with what it changed against the one before; a rollback
// to the previous version is asked for with a reason and goes through approval like any change.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../api/client';
import type { VersionEntry } from '../api/types';
import { ErrorMessage, Loading, PageHeading, StatusMessage, When } from '../components/common';
import { useCan } from '../session/session';
import { useSchool } from '../shell/school';

export function HistoryPage() {
  const can = useCan();
  const { school } = useSchool();
  const [versions, setVersions] = useState<VersionEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/policy/versions', { params: { path: { schoolId: school.id } } })).then((r) => setVersions(r.versions), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);

  if (!versions) return error ? <ErrorMessage error={error} /> : <Loading what="the policy history" />;
  const [inForce, previous] = versions;
  return (
    <>
      <PageHeading title="History">Policy history</PageHeading>
      <StatusMessage text={status} />
      {can('policy:edit') && inForce && previous && (
        <RollbackForm
          from={inForce.version.version}
          to={previous.version.version}
          onDone={(text) => {
            setStatus(text);
            void load();
          }}
        />
      )}
      <ol className="cards versions" reversed>
        {versions.map(({ version, diff }, i) => (
          <li key={version.version} className="card">
            <article aria-labelledby={`version-${version.version}`}>
              <h2 id={`version-${version.version}`}>
                Version {version.version}
                {i === 0 && <span className="tag tag-current">in force</span>}
              </h2>
              <p>
                Published <When iso={version.publishedAt} />
                {version.parentVersion !== null && <>, replacing version {version.parentVersion}</>}.
              </p>
              {diff === null ? (
                <p>The first version.</p>
              ) : diff.length === 0 ? (
                <p>No differences from the version before.</p>
              ) : (
                <ul className="differences">
                  {diff.map((d, j) => (
                    <li key={j}>
                      <span className={`tag tag-${d.kind}`}>{d.kind}</span> {d.summary}
                    </li>
                  ))}
                </ul>
              )}
            </article>
          </li>
        ))}
      </ol>
    </>
  );
}

function RollbackForm({ from, to, onDone }: { from: number; to: number; onDone(text: string): void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { school } = useSchool();

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const reason = String(new FormData(event.currentTarget).get('reason')).trim();
    if (!reason) {
      setError('Give a reason for the rollback: it is kept in the change log.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const r = await unwrap(api.POST('/api/schools/{schoolId}/policy/rollback', { params: { path: { schoolId: school.id } }, body: { reason } }));
      setOpen(false);
      onDone(r.published ? `Rolled back: version ${r.published.version} is in force.` : 'Rollback submitted. It waits in Approvals for a second person.');
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  if (!open) {
    return (
      <p>
        <button type="button" className="button-secondary" onClick={() => setOpen(true)}>
          Roll back to version {to}
        </button>
      </p>
    );
  }
  return (
    <section aria-labelledby="rollback-heading" className="panel">
      <h2 id="rollback-heading">Roll back version {from} to version {to}</h2>
      <ErrorMessage error={error} />
      <form onSubmit={(e) => void submit(e)} className="stack" noValidate>
        <div className="field">
          <label htmlFor="rollback-reason">Reason for the rollback</label>
          <textarea id="rollback-reason" name="reason" rows={2} maxLength={1000} required autoFocus />
        </div>
        <div className="button-row">
          <button type="submit" disabled={busy}>
            Ask to roll back
          </button>
          <button type="button" className="button-secondary" onClick={() => setOpen(false)}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
