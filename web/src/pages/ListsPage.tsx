// The category lists in force (category, entries, import time, locked), "which lists hold this
// site?", and importing a list (for roles with lists:manage).
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../api/client';
import type { ListInForce, Ok } from '../api/types';
import { ErrorMessage, Loading, PageHeading, When } from '../components/common';
import { useCan } from '../session/session';
import { useSchool } from '../shell/school';
import { ListImportPanel } from './lists/ListImportPanel';

export function ListsPage() {
  const { school } = useSchool();
  const [lists, setLists] = useState<Ok<'getSchoolsSchoolIdLists'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const can = useCan();
  const load = useCallback(() => {
    unwrap(api.GET('/api/schools/{schoolId}/lists', { params: { path: { schoolId: school.id } } })).then(setLists, (e: unknown) => setError(messageOf(e)));
  }, [school.id]);
  useEffect(load, [load]);

  return (
    <>
      <PageHeading title="Lists and categories">Lists and categories</PageHeading>
      <p className="lead">The lists of sites the policy’s categories are made from, as in force now.</p>
      <HoldingSearch />
      {can('lists:manage') && <ListImportPanel onImported={load} />}
      <section aria-labelledby="lists-heading">
        <h2 id="lists-heading">Lists in force</h2>
        <ErrorMessage error={error} />
        {!lists ? (
          !error && <Loading what="the lists" />
        ) : (
          <>
            <p>
              Snapshot {lists.snapshotVersion}, made <When iso={lists.createdAt} />: {lists.distinctDomains.toLocaleString('en-GB')} different domains.
            </p>
            {lists.warnings.length > 0 && (
              <ul className="message message-warning">
                {lists.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            )}
            <ListTable lists={lists.lists} caption="Every list in force" />
          </>
        )}
        <p className="hint">Large feeds (UT1) and lists of illegal content are imported with the ringfence command on the server.</p>
      </section>
    </>
  );
}

function HoldingSearch() {
  const { school } = useSchool();
  const [found, setFound] = useState<Ok<'getSchoolsSchoolIdListsHolding'> | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const site = String(new FormData(event.currentTarget).get('site') ?? '').trim();
    setError(null);
    if (!site) return setError('Type a site or address to look for.');
    try {
      setFound(await unwrap(api.GET('/api/schools/{schoolId}/lists/holding', { params: { path: { schoolId: school.id }, query: { site } } })));
    } catch (e) {
      setFound(null);
      setError(messageOf(e));
    }
  }

  return (
    <section aria-labelledby="holding-heading" className="panel">
      <h2 id="holding-heading">Which lists hold this site?</h2>
      <form className="search-row" onSubmit={(e) => void search(e)} noValidate>
        <div className="field">
          <label htmlFor="holding-site">Site, address or URL</label>
          <input id="holding-site" name="site" spellCheck={false} autoCapitalize="none" placeholder="www.example.com" />
        </div>
        <button type="submit">Search</button>
      </form>
      <ErrorMessage error={error} />
      <div aria-live="polite">
        {found &&
          (found.lists.length === 0 ? (
            <p>No list in force holds {found.site}.</p>
          ) : (
            <ListTable lists={found.lists} caption={`Lists holding ${found.site}`} />
          ))}
      </div>
    </section>
  );
}

function ListTable({ lists, caption }: { lists: readonly ListInForce[]; caption: string }) {
  return (
    <table className="responsive">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          <th scope="col">List</th>
          <th scope="col">Category</th>
          <th scope="col">Used to</th>
          <th scope="col" className="number">Domains</th>
          <th scope="col" className="number">URLs</th>
          <th scope="col" className="number">Addresses</th>
          <th scope="col">Imported</th>
          <th scope="col">Locked</th>
        </tr>
      </thead>
      <tbody>
        {lists.map((l) => (
          <tr key={l.id}>
            <th scope="row" data-label="List" className="wrap">{l.id}</th>
            <td data-label="Category">{l.category ?? 'none'}</td>
            <td data-label="Used to">{l.usage}</td>
            <td data-label="Domains" className="number">{l.domains.toLocaleString('en-GB')}</td>
            <td data-label="URLs" className="number">{l.urls.toLocaleString('en-GB')}</td>
            <td data-label="Addresses" className="number">{l.ips.toLocaleString('en-GB')}</td>
            <td data-label="Imported"><When iso={l.importedAt} /></td>
            <td data-label="Locked">{l.locked ? 'Locked: cannot be allowed' : 'No'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
