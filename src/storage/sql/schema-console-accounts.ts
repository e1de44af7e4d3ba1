// Tables of console accounts, their scopes, sessions and one-time sign-ins. Times as in schema.ts:
// written as ISO text, read as Date (PostgreSQL) or text (SQLite); bigints as string or number.
import type { ColumnType } from 'kysely';
import type { Role } from '../../core/access/roles.ts';
import type { SessionStage } from '../../core/access/console-account.ts';

type Time = ColumnType<Date | string, string, string>;
type OptionalTime = ColumnType<Date | string | null, string | null, string | null>;

export interface ConsoleAccountsTable {
  id: string;
  /** Canonical; unique. */
  username: string;
  display_name: string;
  email: string | null;
  role: Role;
  password_hash: string | null;
  /** Sealed (AES-256-GCM), never plain. */
  totp_secret: string | null;
  totp_last_step: ColumnType<string | number | null, number | null, number | null>;
  mfa_enrolled_at: OptionalTime;
  disabled_at: OptionalTime;
  created_at: Time;
  updated_at: Time;
}

export interface ConsoleAccountScopesTable {
  account_id: string;
  organisation_id: string;
}

export interface ConsoleSessionsTable {
  /** SHA-256 (hex) of the token. */
  id: string;
  account_id: string;
  csrf_token: string;
  stage: SessionStage;
  pending_totp_secret: string | null;
  created_at: Time;
  last_seen_at: Time;
  client_address: string;
  user_agent: string;
}

export interface ConsoleOneTimeSignInsTable {
  id: string;
  account_id: string;
  created_at: Time;
  expires_at: Time;
  used_at: OptionalTime;
}

export interface ConsoleAccountTables {
  console_accounts: ConsoleAccountsTable;
  console_account_scopes: ConsoleAccountScopesTable;
  console_sessions: ConsoleSessionsTable;
  console_one_time_sign_ins: ConsoleOneTimeSignInsTable;
}
