// Tables of teachers' unblock requests (migration 0005).
import type { ColumnType } from 'kysely';

type Time = ColumnType<Date | string, string, string>;

export interface UnblockRequestsTable {
  id: string;
  school_id: string;
  requester: string;
  site_kind: 'domain' | 'url';
  /** A canonical domain, or `host/path`. */
  site: string;
  group_id: string;
  starts_at: Time;
  ends_at: Time;
  reason: string;
  state: 'pending' | 'approved' | 'declined' | 'cancelled' | 'expired';
  requested_at: Time;
  decided_by: string | null;
  decided_at: Time | null;
  decision_comment: string | null;
  published_version: number | null;
  expired_at: Time | null;
}

export interface UnblockTables {
  unblock_requests: UnblockRequestsTable;
}
