// The directory: the school's people and their groups, pupil and staff list imports (preview
// first) and guests with an expiry.
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { Person } from '../../api/types';
import { ErrorMessage, Loading, PageHeading, StatusMessage, When } from '../../components/common';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { GuestForm } from './GuestForm';
import { ImportPanel } from './ImportPanel';

const KIND_WORDS = { staff: 'Staff', pupil: 'Pupil', guest: 'Guest' } as const;

export function DirectoryPage() {
  const can = useCan();
  const { school } = useSchool();
  const [people, setPeople] = useState<Person[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [kind, setKind] = useState<'all' | Person['kind']>('all');

  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/people', { params: { path: { schoolId: school.id } } })).then((r) => setPeople(r.people), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);
  const changed = (text: string) => void load().then(() => setStatus(text));
  const shown = people?.filter((p) => kind === 'all' || p.kind === kind) ?? [];

  return (
    <>
      <PageHeading title="Directory">Directory</PageHeading>
      <p className="lead">The pupils, staff and guests the filter knows, and the groups that decide what each may reach.</p>
      <StatusMessage text={status} />
      {can('directory:manage') && (
        <div className="panel-grid">
          <ImportPanel onImported={changed} />
          <GuestForm onAdded={changed} />
        </div>
      )}
      <section aria-labelledby="people-heading">
        <h2 id="people-heading">People{people ? ` (${people.length})` : ''}</h2>
        <div className="field input-medium">
          <label htmlFor="people-kind">Show</label>
          <select id="people-kind" value={kind} onChange={(e) => setKind(e.target.value as typeof kind)}>
            <option value="all">Everyone</option>
            <option value="pupil">Pupils</option>
            <option value="staff">Staff</option>
            <option value="guest">Guests</option>
          </select>
        </div>
        <ErrorMessage error={error} />
        {!people ? (
          !error && <Loading what="the directory" />
        ) : shown.length === 0 ? (
          <p>Nobody to show. Import a pupil or staff list to fill the directory.</p>
        ) : (
          <table className="responsive">
            <caption className="visually-hidden">People in the directory</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Username</th>
                <th scope="col">Kind</th>
                <th scope="col">Year</th>
                <th scope="col">Groups</th>
                <th scope="col">Expires</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id}>
                  <th scope="row" data-label="Name">{p.displayName}</th>
                  <td data-label="Username" className="wrap">{p.username}</td>
                  <td data-label="Kind">{KIND_WORDS[p.kind]}</td>
                  <td data-label="Year">{p.yearGroup ?? '–'}</td>
                  <td data-label="Groups">{p.groups.join(', ') || 'none'}</td>
                  <td data-label="Expires"><When iso={p.expiresAt} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
