// The activity log explorer: filters, newest first, keyset pages ("older" follows the API's cursor;
// a stack of the cursors used goes back), and the same filters exported as CSV.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { ActivityEntry } from '../../api/types';
import { ErrorMessage, Loading, PageHeading, When } from '../../components/common';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { ActivityFilters, type Filters } from './ActivityFilters';

const PAGE_SIZE = 50;

export function ActivityPage() {
  const can = useCan();
  const { school } = useSchool();
  const [filters, setFilters] = useState<Filters>({});
  // cursors[i] opened page i; the first page has none.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [page, setPage] = useState<{ entries: ActivityEntry[]; next: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const cursor = cursors[cursors.length - 1];

  const load = useCallback(() => {
    setError(null);
    setPage(null);
    unwrap(api.GET('/api/schools/{schoolId}/activity', { params: { path: { schoolId: school.id }, query: { ...filters, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } } })).then(setPage, (e: unknown) =>
      setError(messageOf(e)),
    );
  }, [school.id, filters, cursor]);
  useEffect(load, [load]);

  function search(next: Filters) {
    setFilters(next);
    setCursors([undefined]);
  }

  const exportHref = `/api/schools/${encodeURIComponent(school.id)}/activity/export?${new URLSearchParams(filters as Record<string, string>).toString()}`;
  return (
    <>
      <PageHeading title="Activity">Activity</PageHeading>
      <p className="lead">Every request the DNS server and the web proxy decided, newest first. Each search is recorded in the audit log.</p>
      <ActivityFilters onSearch={search} />
      {can('activity:export') && (
        <p>
          <a href={exportHref} download className="button-link">
            Export these entries as CSV
          </a>
        </p>
      )}
      <ErrorMessage error={error} />
      <section aria-labelledby="entries-heading" aria-busy={!page && !error}>
        <h2 id="entries-heading">Entries, page {cursors.length}</h2>
        {!page ? (
          !error && <Loading what="activity" />
        ) : page.entries.length === 0 ? (
          <p>Nothing matches these filters.</p>
        ) : (
          <EntryTable entries={page.entries} />
        )}
        <nav aria-label="Pages of entries" className="button-row">
          <button type="button" className="button-secondary" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
            Newer
          </button>
          <button type="button" className="button-secondary" disabled={!page?.next} onClick={() => page?.next && setCursors([...cursors, page.next])}>
            Older
          </button>
        </nav>
      </section>
    </>
  );
}

function EntryTable({ entries }: { entries: readonly ActivityEntry[] }) {
  return (
    <table className="responsive activity">
      <caption className="visually-hidden">Activity entries</caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Decision</th>
          <th scope="col">Site</th>
          <th scope="col">Who</th>
          <th scope="col">Category</th>
          <th scope="col">Source</th>
          <th scope="col">Why</th>
        </tr>
      </thead>
      <tbody>
        {entries.map((e) => (
          <tr key={e.id}>
            <td data-label="Time"><When iso={e.time} /></td>
            <td data-label="Decision" className={`action action-${e.action}`}>{e.action === 'block' ? 'Blocked' : 'Allowed'}</td>
            <th scope="row" data-label="Site" className="wrap">{e.url ?? e.name}</th>
            <td data-label="Who" className="wrap">{[e.user, e.device, e.client].filter(Boolean).join(' · ')}</td>
            <td data-label="Category">{e.category ?? '–'}</td>
            <td data-label="Source">{e.source === 'dns' ? 'DNS' : 'Proxy'}</td>
            <td data-label="Why" className="wrap">{[e.tier, e.rule, e.list].filter(Boolean).join(' · ') || '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
