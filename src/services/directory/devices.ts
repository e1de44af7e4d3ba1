// The device register and the networks of a school's sites, and the clients map the DNS server and
// the proxy identify clients by. Every change is audited.
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { parseEntityId } from '../../core/org/id.ts';
import { accessLevelOf, type AccessLevel } from '../../core/directory/device-classes.ts';
import { validateDevice, validateNetwork, type Device, type DeviceInput, type Network } from '../../core/directory/devices.ts';
import { buildClientMap } from '../../core/directory/client-map-builder.ts';
import type { ClientMap } from '../../core/directory/client-map.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { Clock, DeviceRepository, DirectoryRepository, IdSource } from '../ports.ts';

export interface DeviceDeps {
  readonly devices: DeviceRepository;
  readonly directory: DirectoryRepository;
  readonly ids: IdSource;
  readonly clock: Clock;
  readonly audit: Pick<AuditLog, 'append'>;
  readonly actor: string;
}

export interface NetworkInput {
  readonly cidr: string;
  readonly site: string;
  readonly defaultGroup: string;
}

const school = (id: string) => parseEntityId(id, 'school id', ErrorCodes.DIRECTORY_INVALID);

function unknown(what: string, id: string): RingfenceError {
  return new RingfenceError(ErrorCodes.DIRECTORY_UNKNOWN, `the school has no ${what} with id ${quoteInput(id)}`, id);
}

async function audit(deps: DeviceDeps, schoolId: string, action: string, target: string, details: Record<string, string | null>): Promise<void> {
  await deps.audit.append({ schoolId, actor: deps.actor, action, target, details });
}

function deviceDetails(d: Device): Record<string, string | null> {
  return { class: d.classId, access: accessLevelOf(d.classId), label: d.label, mac: d.mac, address: d.address, owner: d.owner, group: d.group };
}

export async function registerDevice(deps: DeviceDeps, schoolId: string, input: DeviceInput): Promise<Device & { readonly access: AccessLevel }> {
  const device: Device = { ...validateDevice(input), id: deps.ids.newId(), schoolId: school(schoolId) };
  await deps.devices.insertDevice(device, deps.clock.now().toISOString());
  await audit(deps, device.schoolId, 'device.registered', `device:${device.id}`, deviceDetails(device));
  return { ...device, access: accessLevelOf(device.classId) };
}

export async function updateDevice(deps: DeviceDeps, schoolId: string, id: string, input: DeviceInput): Promise<Device> {
  const device: Device = { ...validateDevice(input), id, schoolId: school(schoolId) };
  const updated = await deps.devices.updateDevice(device);
  if (!updated) throw unknown('device', id);
  await audit(deps, device.schoolId, 'device.updated', `device:${id}`, deviceDetails(updated));
  return updated;
}

export async function removeDevice(deps: DeviceDeps, schoolId: string, id: string): Promise<void> {
  const sid = school(schoolId);
  if (!(await deps.devices.removeDevice(sid, id))) throw unknown('device', id);
  await audit(deps, sid, 'device.removed', `device:${id}`, {});
}

export async function listDevices(deps: Pick<DeviceDeps, 'devices'>, schoolId: string): Promise<(Device & { readonly access: AccessLevel })[]> {
  return (await deps.devices.listDevices(school(schoolId))).map((d) => ({ ...d, access: accessLevelOf(d.classId) }));
}

export async function addNetwork(deps: DeviceDeps, schoolId: string, input: NetworkInput): Promise<Network> {
  const network: Network = { ...validateNetwork(input), id: deps.ids.newId(), schoolId: school(schoolId) };
  await deps.devices.insertNetwork(network, deps.clock.now().toISOString());
  await audit(deps, network.schoolId, 'network.added', `network:${network.id}`, { cidr: network.cidr, site: network.site, defaultGroup: network.defaultGroup });
  return network;
}

export async function updateNetwork(deps: DeviceDeps, schoolId: string, id: string, input: NetworkInput): Promise<Network> {
  const network: Network = { ...validateNetwork(input), id, schoolId: school(schoolId) };
  const updated = await deps.devices.updateNetwork(network);
  if (!updated) throw unknown('network', id);
  await audit(deps, network.schoolId, 'network.updated', `network:${id}`, { cidr: network.cidr, site: network.site, defaultGroup: network.defaultGroup });
  return updated;
}

export async function removeNetwork(deps: DeviceDeps, schoolId: string, id: string): Promise<void> {
  const sid = school(schoolId);
  if (!(await deps.devices.removeNetwork(sid, id))) throw unknown('network', id);
  await audit(deps, sid, 'network.removed', `network:${id}`, {});
}

export async function listNetworks(deps: Pick<DeviceDeps, 'devices'>, schoolId: string): Promise<Network[]> {
  return deps.devices.listNetworks(school(schoolId));
}

/** Who each client address is, as of now (guests who have expired are in no group). */
export async function clientMapFor(deps: Pick<DeviceDeps, 'devices' | 'directory' | 'clock'>, schoolId: string): Promise<ClientMap> {
  const sid = school(schoolId);
  const [devices, networks, people] = await Promise.all([deps.devices.listDevices(sid), deps.devices.listNetworks(sid), deps.directory.listPeople(sid)]);
  return buildClientMap(devices, networks, people, deps.clock.now());
}
