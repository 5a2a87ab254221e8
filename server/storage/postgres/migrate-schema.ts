/**
 * Brings a database to the current schema, once, at the driver's first use: one transaction
 * that takes an advisory lock (two servers starting together migrate one after the other),
 * creates `salon_schema_version` if missing, and applies the migrations it does not list. A
 * failure rolls everything back; a database already current costs one short transaction.
 */
import type { PoolClient } from 'pg';
import { CURRENT_SCHEMA_VERSION, MIGRATIONS, type Migration } from './schema-migrations.js';

/** Any constant key will do, as long as only schema changes use it. */
const MIGRATION_LOCK_KEY = 0x5a105c4e;

/** Thrown when the database was migrated by a newer Salon than this one. */
export class SchemaTooNewError extends Error {
  override readonly name = 'SchemaTooNewError';
}

/** Applies the missing migrations; resolves to the versions applied ([] when already current). */
export async function migrateSchema(client: PoolClient, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  const applied: number[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(`CREATE TABLE IF NOT EXISTS salon_schema_version (
      version integer PRIMARY KEY,
      description text NOT NULL,
      applied_at timestamptz NOT NULL DEFAULT now()
    )`);
    const result = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM salon_schema_version');
    const current = result.rows[0]?.version ?? 0;
    if (current > CURRENT_SCHEMA_VERSION) {
      throw new SchemaTooNewError(`the database's schema is version ${current}, newer than this Salon's ${CURRENT_SCHEMA_VERSION}`);
    }
    for (const migration of migrations) {
      if (migration.version <= current) continue;
      for (const statement of migration.statements) await client.query(statement);
      await client.query('INSERT INTO salon_schema_version (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
      applied.push(migration.version);
    }
    await client.query('COMMIT');
  } catch (error) {
    // The connection may be gone already; the original error is the one worth reporting.
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return applied;
}
