// The device register and the networks of each school's sites in SQL. Devices point at their owner
// by id; the service speaks usernames, so they are resolved here.
import type { Selectable } from 'kysely';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import type { DeviceClassId } from '../../core/directory/device-classes.ts';
import type { Device, Network } from '../../core/directory/devices.ts';
import type { DeviceRepository } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { NetworksTable } from './schema-directory.ts';
import { compareCodeUnits, isUniqueViolation } from './values.ts';

const byId = (a: { id: string }, b: { id: string }) => compareCodeUnits(a.id, b.id);

function toNetwork(row: Selectable<NetworksTable>): Network {
  return { id: row.id, schoolId: row.school_id, cidr: row.cidr, site: row.site, defaultGroup: row.default_group };
}

export class SqlDeviceRepository implements DeviceRepository {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async insertDevice(device: Device, at: string): Promise<void> {
    const ownerId = await this.#ownerId(device);
    await this.#conflicts(`MAC address ${quoteInput(device.mac ?? '')}`, device.mac, () =>
      this.#database.db
        .insertInto('devices')
        .values({ id: device.id, school_id: device.schoolId, class_id: device.classId, label: device.label, mac: device.mac, address: device.address, owner_id: ownerId, group_name: device.group, created_at: at })
        .execute(),
    );
  }

  async updateDevice(device: Device): Promise<Device | null> {
    if (!isEntityId(device.id) || !isEntityId(device.schoolId)) return null;
    const ownerId = await this.#ownerId(device);
    const result = await this.#conflicts(`MAC address ${quoteInput(device.mac ?? '')}`, device.mac, () =>
      this.#database.db
        .updateTable('devices')
        .set({ class_id: device.classId, label: device.label, mac: device.mac, address: device.address, owner_id: ownerId, group_name: device.group })
        .where('id', '=', device.id)
        .where('school_id', '=', device.schoolId)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0 ? device : null;
  }

  async removeDevice(schoolId: string, id: string): Promise<boolean> {
    if (!isEntityId(id) || !isEntityId(schoolId)) return false;
    const result = await this.#database.db.deleteFrom('devices').where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listDevices(schoolId: string): Promise<Device[]> {
    if (!isEntityId(schoolId)) return [];
    const rows = await this.#database.db
      .selectFrom('devices')
      .leftJoin('directory_users', 'directory_users.id', 'devices.owner_id')
      .select(['devices.id', 'devices.school_id', 'devices.class_id', 'devices.label', 'devices.mac', 'devices.address', 'devices.group_name', 'directory_users.username'])
      .where('devices.school_id', '=', schoolId)
      .execute();
    return rows
      .map((r) => ({ id: r.id, schoolId: r.school_id, classId: r.class_id as DeviceClassId, label: r.label, mac: r.mac, address: r.address, owner: r.username ?? null, group: r.group_name }))
      .sort(byId);
  }

  async insertNetwork(network: Network, at: string): Promise<void> {
    await this.#conflicts(`network ${quoteInput(network.cidr)}`, network.cidr, () =>
      this.#database.db
        .insertInto('networks')
        .values({ id: network.id, school_id: network.schoolId, cidr: network.cidr, site: network.site, default_group: network.defaultGroup, created_at: at })
        .execute(),
    );
  }

  async updateNetwork(network: Network): Promise<Network | null> {
    if (!isEntityId(network.id) || !isEntityId(network.schoolId)) return null;
    const result = await this.#conflicts(`network ${quoteInput(network.cidr)}`, network.cidr, () =>
      this.#database.db
        .updateTable('networks')
        .set({ cidr: network.cidr, site: network.site, default_group: network.defaultGroup })
        .where('id', '=', network.id)
        .where('school_id', '=', network.schoolId)
        .executeTakeFirst(),
    );
    return Number(result.numUpdatedRows) > 0 ? network : null;
  }

  async removeNetwork(schoolId: string, id: string): Promise<boolean> {
    if (!isEntityId(id) || !isEntityId(schoolId)) return false;
    const result = await this.#database.db.deleteFrom('networks').where('id', '=', id).where('school_id', '=', schoolId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listNetworks(schoolId: string): Promise<Network[]> {
    if (!isEntityId(schoolId)) return [];
    return (await this.#database.db.selectFrom('networks').selectAll().where('school_id', '=', schoolId).execute()).map(toNetwork).sort(byId);
  }

  async #ownerId(device: Device): Promise<string | null> {
    if (device.owner === null) return null;
    const row = await this.#database.db.selectFrom('directory_users').select('id').where('school_id', '=', device.schoolId).where('username', '=', device.owner).executeTakeFirst();
    if (!row) throw new RingfenceError(ErrorCodes.DIRECTORY_UNKNOWN, `there is no ${quoteInput(device.owner)} in this school's directory to own the device`, device.owner);
    return row.id;
  }

  async #conflicts<T>(what: string, input: string | null, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (e) {
      if (isUniqueViolation(e)) throw new RingfenceError(ErrorCodes.DIRECTORY_CONFLICT, `the school already has a record with ${what}`, input ?? undefined);
      throw e;
    }
  }
}
