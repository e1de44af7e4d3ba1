// The device register (SCHOOL-POLICY 2.2 classes with their access levels) and the networks of the
// school's sites. After each change enforcement is told, so the DNS server and proxy identify
// clients from the register at once.
import { z } from 'zod';
import { addNetwork, listDevices, listNetworks, registerDevice, removeDevice, removeNetwork, updateDevice, updateNetwork } from '../../services/directory/devices.ts';
import type { ApiContext } from '../context.ts';
import { route, type AnyRoute } from '../route.ts';
import { Id, Ok, SchoolParams } from '../schemas.ts';

const DeviceInput = z.object({
  classId: z.string().max(64),
  label: z.string().max(128),
  mac: z.string().max(32).nullable().optional(),
  address: z.string().max(64).nullable().optional(),
  owner: z.string().max(128).nullable().optional(),
  group: z.string().max(64).nullable().optional(),
});
const Device = z.object({
  id: z.string(),
  classId: z.string(),
  label: z.string(),
  mac: z.string().nullable(),
  address: z.string().nullable(),
  owner: z.string().nullable(),
  group: z.string().nullable(),
  access: z.string().optional(),
});
const NetworkInput = z.object({ cidr: z.string().max(64), site: z.string().max(128), defaultGroup: z.string().max(64) });
const Network = z.object({ id: z.string(), cidr: z.string(), site: z.string(), defaultGroup: z.string() });
const DeviceParams = SchoolParams.extend({ deviceId: Id });
const NetworkParams = SchoolParams.extend({ networkId: Id });

export function deviceRoutes(ctx: ApiContext): AnyRoute[] {
  const deps = (actor: string) => ({ devices: ctx.devices, directory: ctx.directory, ids: ctx.ids, clock: ctx.clock, audit: ctx.audit, actor });
  const changed = <T>(schoolId: string, value: T): T => {
    ctx.onClientsChanged(schoolId);
    return value;
  };
  return [
    route({ method: 'GET', url: '/api/schools/:schoolId/devices', summary: 'List registered devices', tag: 'devices', access: 'devices:read', params: SchoolParams, response: z.object({ devices: z.array(Device) }), handle: async ({ params }) => ({ devices: await listDevices(ctx, params.schoolId) }) }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/devices', summary: 'Register a device', tag: 'devices', access: 'devices:manage', params: SchoolParams, body: DeviceInput, response: Device, status: 201,
      handle: async ({ params, body, principal }) => changed(params.schoolId, await registerDevice(deps(principal!.account.id), params.schoolId, body)),
    }),
    route({
      method: 'PUT', url: '/api/schools/:schoolId/devices/:deviceId', summary: 'Change a registered device', tag: 'devices', access: 'devices:manage', params: DeviceParams, body: DeviceInput, response: Device,
      handle: async ({ params, body, principal }) => changed(params.schoolId, await updateDevice(deps(principal!.account.id), params.schoolId, params.deviceId, body)),
    }),
    route({
      method: 'DELETE', url: '/api/schools/:schoolId/devices/:deviceId', summary: 'Remove a device from the register', tag: 'devices', access: 'devices:manage', params: DeviceParams, response: Ok,
      handle: async ({ params, principal }) => {
        await removeDevice(deps(principal!.account.id), params.schoolId, params.deviceId);
        return changed(params.schoolId, { ok: true as const });
      },
    }),
    route({ method: 'GET', url: '/api/schools/:schoolId/networks', summary: 'List the school’s networks', tag: 'devices', access: 'devices:read', params: SchoolParams, response: z.object({ networks: z.array(Network) }), handle: async ({ params }) => ({ networks: await listNetworks(ctx, params.schoolId) }) }),
    route({
      method: 'POST', url: '/api/schools/:schoolId/networks', summary: 'Add a network', tag: 'devices', access: 'devices:manage', params: SchoolParams, body: NetworkInput, response: Network, status: 201,
      handle: async ({ params, body, principal }) => changed(params.schoolId, await addNetwork(deps(principal!.account.id), params.schoolId, body)),
    }),
    route({
      method: 'PUT', url: '/api/schools/:schoolId/networks/:networkId', summary: 'Change a network', tag: 'devices', access: 'devices:manage', params: NetworkParams, body: NetworkInput, response: Network,
      handle: async ({ params, body, principal }) => changed(params.schoolId, await updateNetwork(deps(principal!.account.id), params.schoolId, params.networkId, body)),
    }),
    route({
      method: 'DELETE', url: '/api/schools/:schoolId/networks/:networkId', summary: 'Remove a network', tag: 'devices', access: 'devices:manage', params: NetworkParams, response: Ok,
      handle: async ({ params, principal }) => {
        await removeNetwork(deps(principal!.account.id), params.schoolId, params.networkId);
        return changed(params.schoolId, { ok: true as const });
      },
    }),
  ];
}
