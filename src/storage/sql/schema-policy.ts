// Tables of the policy in storage: per-school settings, the open draft, change requests, published
// versions. Documents are canonical JSON text of a validated Policy.
import type { ColumnType } from 'kysely';

type Time = ColumnType<Date | string, string, string>;

export interface PolicySettingsTable {
  school_id: string;
  /** 1 = publishing needs a second person's approval (the default), 0 = publishes at once. */
  require_approval: number;
  updated_at: Time;
}

export interface PolicyDraftsTable {
  school_id: string;
  document: string;
  based_on_version: number | null;
  author: string;
  updated_at: Time;
}

export interface PolicyChangesTable {
  id: string;
  school_id: string;
  kind: 'change' | 'rollback' | 'unblock' | 'unblock-expiry';
  state: 'pending' | 'published' | 'declined';
  document: string;
  reason: string;
  author: string;
  based_on_version: number | null;
  submitted_at: Time;
  decided_by: string | null;
  decided_at: Time | null;
  decision_comment: string | null;
  published_version: number | null;
}

export interface PolicyVersionsTable {
  school_id: string;
  version: number;
  document: string;
  parent_version: number | null;
  change_id: string;
  published_at: Time;
}

export interface PolicyTables {
  policy_settings: PolicySettingsTable;
  policy_drafts: PolicyDraftsTable;
  policy_changes: PolicyChangesTable;
  policy_versions: PolicyVersionsTable;
}
