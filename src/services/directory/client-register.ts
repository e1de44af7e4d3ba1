// What the DNS server and the proxy need from the device register to identify clients: devices,
// networks and the people who own devices, as plain data. Kept on disk as a last-good copy, so the
// clients map is rebuilt (guests expiring on time) even while the database is down.
import { ErrorCodes } from '../../core/errors.ts';
import { buildClientMap } from '../../core/directory/client-map-builder.ts';
import type { ClientMap } from '../../core/directory/client-map.ts';
import type { Device, Network } from '../../core/directory/devices.ts';
import type { DirectoryPerson, UserKind } from '../../core/directory/people.ts';
import { parseEntityId } from '../../core/org/id.ts';
import type { DeviceRepository, DirectoryRepository } from '../ports.ts';

/** A person as the clients map needs them: no display name (the data folder keeps no more than it needs). */
export interface RegisterPerson {
  readonly username: string;
  readonly kind: UserKind;
  readonly yearGroup: number | null;
  readonly expiresAt: string | null;
  readonly groups: readonly string[];
}

export interface ClientRegister {
  readonly schoolId: string;
  readonly devices: readonly Device[];
  readonly networks: readonly Network[];
  /** Only the owners of registered devices. */
  readonly people: readonly RegisterPerson[];
}

/** The school's register as of now, read from the control plane (throws when the database does). */
export async function clientRegisterFor(deps: { readonly devices: DeviceRepository; readonly directory: DirectoryRepository }, schoolId: string): Promise<ClientRegister> {
  const sid = parseEntityId(schoolId, 'school id', ErrorCodes.DIRECTORY_INVALID);
  const [devices, networks, people] = await Promise.all([deps.devices.listDevices(sid), deps.devices.listNetworks(sid), deps.directory.listPeople(sid)]);
  const owners = new Set(devices.map((d) => d.owner).filter((o): o is string => o !== null));
  return {
    schoolId: sid,
    devices,
    networks,
    people: people.filter((p) => owners.has(p.username)).map((p) => ({ username: p.username, kind: p.kind, yearGroup: p.yearGroup, expiresAt: p.expiresAt, groups: p.groups })),
  };
}

/** The clients map the register gives at `now` (the same rules as clientMapFor). */
export function clientMapFromRegister(register: ClientRegister, now: Date): ClientMap {
  const people: DirectoryPerson[] = register.people.map((p) => ({ ...p, displayName: '' }));
  return buildClientMap(register.devices, register.networks, people, now);
}
