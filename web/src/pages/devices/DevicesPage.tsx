// The device register (kind of device, owner, group and the access level the policy gives it) and
// the networks of the school's sites. Changes reach the DNS server and the proxy at once.
import { useCallback, useEffect, useState } from 'react';
import { api, messageOf, unwrap } from '../../api/client';
import type { Device, DeviceInput } from '../../api/types';
import { ErrorMessage, Loading, PageHeading, StatusMessage } from '../../components/common';
import { useCan } from '../../session/session';
import { useSchool } from '../../shell/school';
import { classTitle, DeviceForm } from './DeviceForm';
import { NetworksSection } from './NetworksSection';

export function DevicesPage() {
  const can = useCan();
  const manage = can('devices:manage');
  const { school } = useSchool();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const schoolPath = { schoolId: school.id };

  const load = useCallback(
    () => unwrap(api.GET('/api/schools/{schoolId}/devices', { params: { path: { schoolId: school.id } } })).then((r) => setDevices(r.devices), (e: unknown) => setError(messageOf(e))),
    [school.id],
  );
  useEffect(() => void load(), [load]);

  async function add(input: DeviceInput) {
    const d = await unwrap(api.POST('/api/schools/{schoolId}/devices', { params: { path: schoolPath }, body: input }));
    await load();
    setStatus(`${d.label} registered.`);
  }
  async function change(device: Device, input: DeviceInput) {
    await unwrap(api.PUT('/api/schools/{schoolId}/devices/{deviceId}', { params: { path: { ...schoolPath, deviceId: device.id } }, body: input }));
    setEditing(null);
    await load();
    setStatus(`${input.label} saved.`);
  }
  async function remove(device: Device) {
    if (!window.confirm(`Remove ${device.label} from the register?`)) return;
    try {
      await unwrap(api.DELETE('/api/schools/{schoolId}/devices/{deviceId}', { params: { path: { ...schoolPath, deviceId: device.id } } }));
      await load();
      setStatus(`${device.label} removed.`);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <>
      <PageHeading title="Devices and networks">Devices and networks</PageHeading>
      <p className="lead">The device register decides each device’s access level (SCHOOL-POLICY 2.2); the networks say which group an unknown device on each site is in.</p>
      <StatusMessage text={status} />
      <ErrorMessage error={error} />
      {manage && (
        <section aria-labelledby="device-add-heading" className="panel">
          <h2 id="device-add-heading">Register a device</h2>
          <DeviceForm device={null} onSave={add} />
        </section>
      )}
      <section aria-labelledby="devices-heading">
        <h2 id="devices-heading">Device register{devices ? ` (${devices.length})` : ''}</h2>
        {!devices ? (
          !error && <Loading what="the device register" />
        ) : devices.length === 0 ? (
          <p>No devices registered yet.</p>
        ) : (
          <ul className="cards">
            {devices.map((d) => (
              <li key={d.id} className="card">
                {editing === d.id ? (
                  <DeviceForm device={d} onSave={(input) => change(d, input)} onCancel={() => setEditing(null)} />
                ) : (
                  <article aria-labelledby={`device-${d.id}-name`}>
                    <h3 id={`device-${d.id}-name`}>{d.label}</h3>
                    <dl className="facts">
                      <dt>Kind</dt>
                      <dd>{classTitle(d.classId)}</dd>
                      <dt>Access</dt>
                      <dd data-testid="device-access">{d.access ?? 'unknown'}</dd>
                      <dt>Addresses</dt>
                      <dd>{[d.mac, d.address].filter(Boolean).join(', ') || 'none'}</dd>
                      <dt>Owner</dt>
                      <dd>{d.owner ?? 'none'}</dd>
                      <dt>Group</dt>
                      <dd>{d.group ?? 'from its owner or kind'}</dd>
                    </dl>
                    {manage && (
                      <div className="button-row">
                        <button type="button" className="button-secondary" onClick={() => setEditing(d.id)}>
                          Change<span className="visually-hidden"> {d.label}</span>
                        </button>
                        <button type="button" className="button-danger" onClick={() => void remove(d)}>
                          Remove<span className="visually-hidden"> {d.label}</span>
                        </button>
                      </div>
                    )}
                  </article>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <NetworksSection manage={manage} onStatus={setStatus} />
    </>
  );
}
