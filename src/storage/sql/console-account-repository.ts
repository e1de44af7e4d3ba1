// Console accounts, their scope rows, sessions and one-time sign-ins in SQL. Conditional updates
// (`… where used_at is null`, `… where totp_last_step < ?`) make the one-shot things one-shot even
// when two requests race, on both databases, without holding a transaction open across awaits.
import type { Kysely, Selectable, Updateable } from 'kysely';
import type { SessionStage, StoredConsoleAccount, StoredConsoleSession } from '../../core/access/console-account.ts';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';
import { isEntityId } from '../../core/org/id.ts';
import type { ConsoleAccountChanges, ConsoleAccountRepository, OneTimeSignInRecord } from '../../services/ports.ts';
import type { Database } from './database.ts';
import type { DatabaseSchema } from './schema.ts';
import type { ConsoleAccountsTable, ConsoleOneTimeSignInsTable, ConsoleSessionsTable } from './schema-console-accounts.ts';
import { compareCodeUnits, isUniqueViolation, timeText, toNumber } from './values.ts';

const optionalTime = (value: Date | string | null): string | null => (value === null ? null : timeText(value));

function toAccount(row: Selectable<ConsoleAccountsTable>, scope: string[]): StoredConsoleAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    email: row.email,
    role: row.role,
    scope: scope.sort(compareCodeUnits),
    passwordHash: row.password_hash,
    totpSecretSealed: row.totp_secret,
    totpLastStep: row.totp_last_step === null ? null : toNumber(row.totp_last_step),
    mfaEnrolledAt: optionalTime(row.mfa_enrolled_at),
    disabledAt: optionalTime(row.disabled_at),
    createdAt: timeText(row.created_at),
    updatedAt: timeText(row.updated_at),
  };
}

function toSession(row: Selectable<ConsoleSessionsTable>): StoredConsoleSession {
  return {
    id: row.id,
    accountId: row.account_id,
    csrfToken: row.csrf_token,
    stage: row.stage,
    pendingTotpSecretSealed: row.pending_totp_secret,
    createdAt: timeText(row.created_at),
    lastSeenAt: timeText(row.last_seen_at),
    clientAddress: row.client_address,
    userAgent: row.user_agent,
  };
}

function toOneTimeSignIn(row: Selectable<ConsoleOneTimeSignInsTable>): OneTimeSignInRecord {
  return { id: row.id, accountId: row.account_id, createdAt: timeText(row.created_at), expiresAt: timeText(row.expires_at), usedAt: optionalTime(row.used_at) };
}

export class SqlConsoleAccountRepository implements ConsoleAccountRepository {
  readonly #db: Kysely<DatabaseSchema>;

  constructor(database: Database) {
    this.#db = database.db;
  }

  async insertAccount(account: StoredConsoleAccount): Promise<void> {
    try {
      await this.#db.transaction().execute(async (trx) => {
        await trx
          .insertInto('console_accounts')
          .values({
            id: account.id,
            username: account.username,
            display_name: account.displayName,
            email: account.email,
            role: account.role,
            password_hash: account.passwordHash,
            totp_secret: account.totpSecretSealed,
            totp_last_step: account.totpLastStep,
            mfa_enrolled_at: account.mfaEnrolledAt,
            disabled_at: account.disabledAt,
            created_at: account.createdAt,
            updated_at: account.updatedAt,
          })
          .execute();
        const scope = [...new Set(account.scope)];
        if (scope.length > 0) await trx.insertInto('console_account_scopes').values(scope.map((id) => ({ account_id: account.id, organisation_id: id }))).execute();
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new RingfenceError(ErrorCodes.ACCOUNT_EXISTS, `there is already a console account ${quoteInput(account.username)}`, account.username);
      throw e;
    }
  }

  async findAccount(id: string): Promise<StoredConsoleAccount | null> {
    if (!isEntityId(id)) return null;
    const row = await this.#db.selectFrom('console_accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? (await this.#withScopes([row]))[0]! : null;
  }

  async findAccountByUsername(username: string): Promise<StoredConsoleAccount | null> {
    const row = await this.#db.selectFrom('console_accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return row ? (await this.#withScopes([row]))[0]! : null;
  }

  async countAccounts(): Promise<number> {
    const row = await this.#db.selectFrom('console_accounts').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    return toNumber(row.n);
  }

  async listAccounts(filter: { readonly scopeAnyOf?: readonly string[] } = {}): Promise<StoredConsoleAccount[]> {
    let query = this.#db.selectFrom('console_accounts').selectAll();
    if (filter.scopeAnyOf !== undefined) {
      const ids = filter.scopeAnyOf.filter(isEntityId);
      if (ids.length === 0) return [];
      query = query.where('id', 'in', (eb) => eb.selectFrom('console_account_scopes').select('account_id').where('organisation_id', 'in', ids));
    }
    const accounts = await this.#withScopes(await query.execute());
    // Sorted here, not by ORDER BY: the two databases collate text differently.
    return accounts.sort((a, b) => compareCodeUnits(a.username, b.username));
  }

  async updateAccount(id: string, changes: ConsoleAccountChanges): Promise<StoredConsoleAccount | null> {
    if (!isEntityId(id)) return null;
    const set: Updateable<ConsoleAccountsTable> = { updated_at: changes.updatedAt };
    if (changes.passwordHash !== undefined) set.password_hash = changes.passwordHash;
    if (changes.disabledAt !== undefined) set.disabled_at = changes.disabledAt;
    if (changes.totpSecretSealed !== undefined) set.totp_secret = changes.totpSecretSealed;
    if (changes.totpLastStep !== undefined) set.totp_last_step = changes.totpLastStep;
    if (changes.mfaEnrolledAt !== undefined) set.mfa_enrolled_at = changes.mfaEnrolledAt;
    await this.#db.updateTable('console_accounts').set(set).where('id', '=', id).execute();
    return this.findAccount(id);
  }

  async claimTotpStep(id: string, step: number): Promise<boolean> {
    if (!isEntityId(id)) return false;
    const result = await this.#db
      .updateTable('console_accounts')
      .set({ totp_last_step: step })
      .where('id', '=', id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async insertSession(session: StoredConsoleSession): Promise<void> {
    await this.#db
      .insertInto('console_sessions')
      .values({
        id: session.id,
        account_id: session.accountId,
        csrf_token: session.csrfToken,
        stage: session.stage,
        pending_totp_secret: session.pendingTotpSecretSealed,
        created_at: session.createdAt,
        last_seen_at: session.lastSeenAt,
        client_address: session.clientAddress,
        user_agent: session.userAgent,
      })
      .execute();
  }

  async findSession(id: string): Promise<StoredConsoleSession | null> {
    const row = await this.#db.selectFrom('console_sessions').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toSession(row) : null;
  }

  async touchSession(id: string, lastSeenAt: string, clientAddress: string): Promise<void> {
    await this.#db.updateTable('console_sessions').set({ last_seen_at: lastSeenAt, client_address: clientAddress }).where('id', '=', id).execute();
  }

  async advanceSession(id: string, from: SessionStage, stage: SessionStage): Promise<boolean> {
    const result = await this.#db
      .updateTable('console_sessions')
      .set({ stage, pending_totp_secret: null })
      .where('id', '=', id)
      .where('stage', '=', from)
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async setPendingTotpSecret(id: string, sealed: string | null): Promise<void> {
    await this.#db.updateTable('console_sessions').set({ pending_totp_secret: sealed }).where('id', '=', id).execute();
  }

  async deleteSession(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom('console_sessions').where('id', '=', id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async deleteSessionsOf(accountId: string): Promise<number> {
    if (!isEntityId(accountId)) return 0;
    const result = await this.#db.deleteFrom('console_sessions').where('account_id', '=', accountId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteStaleSessions(idleBefore: string, createdBefore: string): Promise<number> {
    const result = await this.#db
      .deleteFrom('console_sessions')
      .where((eb) => eb.or([eb('last_seen_at', '<', idleBefore), eb('created_at', '<', createdBefore)]))
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async insertOneTimeSignIn(record: OneTimeSignInRecord): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('console_one_time_sign_ins').where('account_id', '=', record.accountId).where('used_at', 'is', null).execute();
      await trx
        .insertInto('console_one_time_sign_ins')
        .values({ id: record.id, account_id: record.accountId, created_at: record.createdAt, expires_at: record.expiresAt, used_at: record.usedAt })
        .execute();
    });
  }

  async findOneTimeSignIn(id: string): Promise<OneTimeSignInRecord | null> {
    const row = await this.#db.selectFrom('console_one_time_sign_ins').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toOneTimeSignIn(row) : null;
  }

  async markOneTimeSignInUsed(id: string, at: string): Promise<boolean> {
    const result = await this.#db.updateTable('console_one_time_sign_ins').set({ used_at: at }).where('id', '=', id).where('used_at', 'is', null).executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async #withScopes(rows: Selectable<ConsoleAccountsTable>[]): Promise<StoredConsoleAccount[]> {
    if (rows.length === 0) return [];
    const scopes = new Map<string, string[]>(rows.map((r) => [r.id, []]));
    const scopeRows = await this.#db.selectFrom('console_account_scopes').select(['account_id', 'organisation_id']).where('account_id', 'in', [...scopes.keys()]).execute();
    for (const s of scopeRows) scopes.get(s.account_id)!.push(s.organisation_id);
    return rows.map((row) => toAccount(row, scopes.get(row.id)!));
  }
}
