/**
 * Prosody's `sql` option as the PostgreSQL driver reads it (`sql = { driver = "PostgreSQL",
 * database = "prosody", username = "prosody", password = "secret", host = "localhost" }`), plus
 * Salon's `url`, `pool_size` and `query_timeout`, turned into the pool's settings. Settings left
 * out fall back to libpq's environment variables (PGHOST, PGUSER, PGPASSWORD, …), as psql does.
 */
import type { PoolConfig } from 'pg';

/** The validated `sql` option (server/config/core-options.ts holds its schema). */
export interface SqlSettings {
  readonly driver: 'PostgreSQL';
  readonly database?: string | undefined;
  readonly username?: string | undefined;
  readonly password?: string | undefined;
  /** A host name, an address, or a directory holding the server's unix socket. */
  readonly host?: string | undefined;
  readonly port?: number | undefined;
  /** [Salon] `postgres://user:password@host:port/database`, instead of the five fields above. */
  readonly url?: string | undefined;
  /** [Salon] Most connections open at once. */
  readonly pool_size?: number | undefined;
  /** [Salon] Seconds a statement may run (and a connection may take to open) before it fails. */
  readonly query_timeout?: number | undefined;
}

export const DEFAULT_POOL_SIZE = 10;
export const DEFAULT_QUERY_TIMEOUT_S = 10;

/** The pool configuration for `settings`: bounded, every wait with a deadline. */
export function poolConfigOf(settings: SqlSettings): PoolConfig {
  const timeoutMs = (settings.query_timeout ?? DEFAULT_QUERY_TIMEOUT_S) * 1000;
  const config: PoolConfig = {
    max: settings.pool_size ?? DEFAULT_POOL_SIZE,
    // Waiting for a connection (opening one, or a free one from a busy pool) has a deadline too.
    connectionTimeoutMillis: timeoutMs,
    idleTimeoutMillis: 30_000,
    // The server cancels a statement past the deadline; the client gives up a little later
    // still, for when the server or the network no longer answers at all.
    statement_timeout: timeoutMs,
    query_timeout: timeoutMs + 2_000,
    idle_in_transaction_session_timeout: timeoutMs,
    keepAlive: true,
    application_name: 'salon',
  };
  // The schema refuses `url` beside the other connection fields (pg would let the url win).
  if (settings.url !== undefined) config.connectionString = settings.url;
  if (settings.database !== undefined) config.database = settings.database;
  if (settings.username !== undefined) config.user = settings.username;
  if (settings.password !== undefined) config.password = settings.password;
  if (settings.host !== undefined) config.host = settings.host;
  if (settings.port !== undefined) config.port = settings.port;
  return config;
}

/** Where the driver connects, for messages: never the password. */
export function describeTarget(settings: SqlSettings): string {
  if (settings.url !== undefined) {
    const url = URL.canParse(settings.url) ? new URL(settings.url) : undefined;
    if (url !== undefined) return `${url.hostname}:${url.port || 5432}${url.pathname}`;
  }
  return `${settings.host ?? process.env.PGHOST ?? 'localhost'}:${settings.port ?? 5432}/${settings.database ?? ''}`;
}
