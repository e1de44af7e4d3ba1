// Tables of the directory: users, groups, memberships, devices, networks.
export interface DirectoryTables {}
