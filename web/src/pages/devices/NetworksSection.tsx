// The networks of the school's sites: an address range, the site's name, and the group a device
// nobody registered is in there.
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { Network } from '../../api/types';
import { ErrorMessage, Loading } from '../../components/common';
import { useSchool } from '../../shell/school';

export function NetworksSection({ manage, onStatus }: { manage: boolean; onStatus(text: string): void }) {
  const { school } = useSchool();
  const [networks, setNetworks] = useState<Network[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const path = { schoolId: school.id };

  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/networks', { params: { path: { schoolId: school.id } } })).then((r) => setNetworks(r.networks), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    const field = (name: string) => String(form.get(name) ?? '').trim();
    setBusy(true);
    setError(null);
    try {
      const n = await unwrap(api.POST('/api/schools/{schoolId}/networks', { params: { path }, body: { cidr: field('cidr'), site: field('site'), defaultGroup: field('defaultGroup') } }));
      formElement.reset();
      await load();
      onStatus(`Network ${n.cidr} added.`);
    } catch (e) {
      setError(messageOf(e));
    }
    setBusy(false);
  }

  async function remove(network: Network) {
    if (!window.confirm(`Remove the network ${network.cidr}?`)) return;
    try {
      await unwrap(api.DELETE('/api/schools/{schoolId}/networks/{networkId}', { params: { path: { ...path, networkId: network.id } } }));
      await load();
      onStatus(`Network ${network.cidr} removed.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <section aria-labelledby="networks-heading">
      <h2 id="networks-heading">Networks</h2>
      <ErrorMessage error={error} />
      {!networks ? (
        !error && <Loading what="the networks" />
      ) : networks.length === 0 ? (
        <p>No networks yet.</p>
      ) : (
        <table className="responsive">
          <caption className="visually-hidden">Networks</caption>
          <thead>
            <tr>
              <th scope="col">Address range</th>
              <th scope="col">Site</th>
              <th scope="col">Group of unregistered devices</th>
              {manage && <th scope="col"><span className="visually-hidden">Actions</span></th>}
            </tr>
          </thead>
          <tbody>
            {networks.map((n) => (
              <tr key={n.id}>
                <th scope="row" data-label="Range">{n.cidr}</th>
                <td data-label="Site">{n.site}</td>
                <td data-label="Group">{n.defaultGroup}</td>
                {manage && (
                  <td>
                    <button type="button" className="button-danger button-small" onClick={() => void remove(n)}>
                      Remove<span className="visually-hidden"> {n.cidr}</span>
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {manage && (
        <form className="panel" onSubmit={(e) => void add(e)} aria-labelledby="network-add-heading">
          <h3 id="network-add-heading">Add a network</h3>
          <div className="form-grid">
            <div className="field">
              <label htmlFor="network-cidr">Address range</label>
              <input id="network-cidr" name="cidr" placeholder="10.20.0.0/16" spellCheck={false} required />
            </div>
            <div className="field">
              <label htmlFor="network-site">Site</label>
              <input id="network-site" name="site" required />
            </div>
            <div className="field">
              <label htmlFor="network-group">Group of unregistered devices</label>
              <input id="network-group" name="defaultGroup" spellCheck={false} autoCapitalize="none" required />
            </div>
          </div>
          <button type="submit" disabled={busy}>
            Add network
          </button>
        </form>
      )}
    </section>
  );
}
