// The clients map from the device register and the school's networks, for the DNS server and the
// proxy (they take the same ClientMap as from a clients file). A device's own address comes first:
// its owner's groups, else the device's group, else its class's group. Then networks, most specific
// block first, each giving its default group.
import { AddressSet } from '../policy/address-set.ts';
import { ClientMap, type ClientIdentity, type ClientRule } from './client-map.ts';
import { accessLevelOf, deviceClass } from './device-classes.ts';
import type { Device, Network } from './devices.ts';
import { groupsOf, type DirectoryPerson } from './people.ts';

const freeze = (user: string | null, groups: readonly string[], source: string): ClientIdentity =>
  Object.freeze({ user, groups: Object.freeze([...groups]), source });

/** The groups a device's traffic is filtered as at `now`; [] when nothing gives it any. */
export function deviceGroups(device: Device, owner: DirectoryPerson | null, now: Date): string[] {
  // A device the policy allows no network access gets no group: it is filtered as nobody in
  // particular, and stopping it joining the network is for the network (NAC), not for filtering.
  if (accessLevelOf(device.classId) === 'no network access') return [];
  if (owner) return groupsOf(owner, now);
  if (device.group) return [device.group];
  const fallback = deviceClass(device.classId).defaultGroup;
  return fallback ? [fallback] : [];
}

export function buildClientMap(devices: readonly Device[], networks: readonly Network[], people: readonly DirectoryPerson[], now: Date): ClientMap {
  const byName = new Map(people.map((p) => [p.username, p]));
  const rules: ClientRule[] = [];
  const seen = new Set<string>();
  for (const device of [...devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (device.address === null || seen.has(device.address)) continue; // first registered wins
    seen.add(device.address);
    const owner = device.owner ? (byName.get(device.owner) ?? null) : null;
    const groups = deviceGroups(device, owner, now);
    // An expired guest's device keeps no user either: nothing it does is attributed to a lapsed login.
    const user = owner && groups.length > 0 ? owner.username : null;
    rules.push({ where: new AddressSet([device.address]), identity: freeze(user, groups, `device:${device.label}`) });
  }
  const ordered = [...networks].sort((a, b) => prefixOf(b.cidr) - prefixOf(a.cidr) || (a.cidr < b.cidr ? -1 : 1));
  for (const network of ordered) {
    rules.push({ where: new AddressSet([network.cidr]), identity: freeze(null, [network.defaultGroup], `network:${network.site}:${network.cidr}`) });
  }
  return new ClientMap(rules);
}

function prefixOf(cidr: string): number {
  return Number(cidr.slice(cidr.indexOf('/') + 1));
}
