// Tables of the directory: users, groups, memberships, devices, networks. Every row belongs to a
// school. Times as in schema.ts: written as ISO text, read as Date (PostgreSQL) or text (SQLite).
import type { ColumnType } from 'kysely';

type Time = ColumnType<Date | string, string, string>;

export interface DirectoryUsersTable {
  id: string;
  school_id: string;
  /** Lower-case; unique per school. */
  username: string;
  display_name: string;
  kind: 'staff' | 'pupil' | 'guest';
  year_group: number | null;
  expires_at: ColumnType<Date | string | null, string | null, string | null>;
  created_at: Time;
  updated_at: Time;
}

export interface DirectoryGroupsTable {
  id: string;
  school_id: string;
  name: string;
}

export interface DirectoryMembershipsTable {
  user_id: string;
  group_id: string;
}

export interface DevicesTable {
  id: string;
  school_id: string;
  class_id: string;
  label: string;
  mac: string | null;
  address: string | null;
  owner_id: string | null;
  group_name: string | null;
  created_at: Time;
}

export interface NetworksTable {
  id: string;
  school_id: string;
  cidr: string;
  site: string;
  default_group: string;
  created_at: Time;
}

export interface DirectoryTables {
  directory_users: DirectoryUsersTable;
  directory_groups: DirectoryGroupsTable;
  directory_memberships: DirectoryMembershipsTable;
  devices: DevicesTable;
  networks: NetworksTable;
}
