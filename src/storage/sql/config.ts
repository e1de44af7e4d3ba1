// Which database to use: SQLite in the data folder by default, PostgreSQL when DATABASE_URL is set.
import { isAbsolute, join } from 'node:path';
import { ErrorCodes, RingfenceError, quoteInput } from '../../core/errors.ts';

export type DatabaseConfig =
  | { readonly kind: 'sqlite'; /** Absolute path of the database file. */ readonly file: string }
  | { readonly kind: 'postgres'; /** postgres:// or postgresql:// connection URL. */ readonly url: string };

export const SQLITE_FILE_NAME = 'ringfence.db';

function invalid(message: string, input: string): RingfenceError {
  return new RingfenceError(ErrorCodes.DATABASE_CONFIG_INVALID, message, input);
}

/** DATABASE_URL when set (and not blank), else DATA/ringfence.db. */
export function databaseConfigFromEnv(env: Readonly<Record<string, string | undefined>>, dataDir: string): DatabaseConfig {
  const url = env.DATABASE_URL?.trim();
  if (url) return validateDatabaseConfig({ kind: 'postgres', url });
  return validateDatabaseConfig({ kind: 'sqlite', file: join(dataDir, SQLITE_FILE_NAME) });
}

export function validateDatabaseConfig(config: DatabaseConfig): DatabaseConfig {
  if (config.kind === 'sqlite') {
    if (!isAbsolute(config.file)) throw invalid(`SQLite database file ${quoteInput(config.file)} must be an absolute path`, config.file);
    return config;
  }
  if (config.kind !== 'postgres') throw invalid(`database kind ${quoteInput(String((config as { kind: unknown }).kind))} is neither "sqlite" nor "postgres"`, String((config as { kind: unknown }).kind));
  let parsed: URL;
  try {
    parsed = new URL(config.url);
  } catch {
    throw invalid(`DATABASE_URL ${quoteInput(redactUrl(config.url))} is not a URL (expected postgres://USER@HOST:PORT/DATABASE)`, redactUrl(config.url));
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw invalid(`DATABASE_URL ${quoteInput(redactUrl(config.url))} must start with postgres:// or postgresql:// (SQLite needs no URL: unset DATABASE_URL)`, redactUrl(config.url));
  }
  return config;
}

/** The URL with any password replaced, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** Where the data is, for messages: the file, or the URL without its password. */
export function describeDatabase(config: DatabaseConfig): string {
  return config.kind === 'sqlite' ? `SQLite ${config.file}` : `PostgreSQL ${redactUrl(config.url)}`;
}
