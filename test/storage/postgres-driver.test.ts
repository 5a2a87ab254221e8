/**
 * The PostgreSQL storage driver beyond the archive contract, on a real PostgreSQL: the schema
 * migrations (fresh database, re-run, concurrent first use, a newer schema), the key-value
 * stores, and failing closed: an unreachable or stopped database rejects operations with a
 * `PostgresStorageError` and the driver works again once PostgreSQL is back.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import pg from 'pg';
import { createPostgresDriver, createStorageDriver, newArchiveId, PostgresStorageError, type SqlSettings } from '../../server/storage/index.js';
import { migrateSchema, SchemaTooNewError } from '../../server/storage/postgres/migrate-schema.js';
import { CURRENT_SCHEMA_VERSION } from '../../server/storage/postgres/schema-migrations.js';
import { COUNT_CAP } from '../../server/storage/postgres/archive-query-sql.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.js';

let cluster: PostgresCluster;
let databases = 0;

beforeAll(async () => {
  cluster = await startPostgresCluster();
}, 30_000);

afterAll(async () => {
  await cluster?.stop();
});

function settings(database = cluster.database, extra: Partial<SqlSettings> = {}): SqlSettings {
  return { driver: 'PostgreSQL', host: cluster.host, port: cluster.port, username: cluster.user, password: cluster.password, database, ...extra };
}

async function withClient<T>(database: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** A new, empty database. */
async function freshDatabase(): Promise<string> {
  const name = `fresh_${++databases}`;
  await withClient(cluster.database, (client) => client.query(`CREATE DATABASE ${name}`));
  return name;
}

const item = (withJid: string, stanza = '<message/>') => ({ id: newArchiveId(), when: Date.now(), with: withJid, stanza });

describe('schema migrations', () => {
  test('a fresh database gets the current schema at the first operation; running again changes nothing', async () => {
    const database = await freshDatabase();
    const driver = createPostgresDriver(settings(database));
    const tablesBefore = await withClient(database, (c) => c.query("SELECT tablename FROM pg_tables WHERE tablename LIKE 'salon_%'"));
    expect(tablesBefore.rows).toEqual([]); // creating the driver touched nothing
    await driver.openArchive('localhost', 'archive').append('alice@localhost', item('bob@localhost'));
    await driver.close();
    const versions = await withClient(database, (c) => c.query<{ version: number }>('SELECT version FROM salon_schema_version ORDER BY version'));
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
    expect(CURRENT_SCHEMA_VERSION).toBe(2);
    const indexes = await withClient(database, (c) => c.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'salon_archive'"));
    expect(indexes.rows.map((r) => r.indexdef.replace(/^.* USING btree /, '')).sort()).toEqual([
      '(host, store, "when")', '(host, store, archive, "when")', '(host, store, archive, id)', '(host, store, archive, with_bare, id)',
    ]);
    const idCollation = await withClient(database, (c) => c.query<{ collation_name: string }>(
      "SELECT collation_name FROM information_schema.columns WHERE table_name = 'salon_archive' AND column_name = 'id'"));
    expect(idCollation.rows[0]?.collation_name).toBe('C');
    const pool = new pg.Pool({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database, max: 1 });
    const client = await pool.connect();
    try {
      expect(await migrateSchema(client)).toEqual([]);
    } finally {
      client.release();
      await pool.end();
    }
    const after = await withClient(database, (c) => c.query('SELECT count(*)::int AS n FROM salon_schema_version'));
    expect(after.rows[0]).toEqual({ n: 2 });
    const reopened = createPostgresDriver(settings(database));
    const page = await reopened.openArchive('localhost', 'archive').query('alice@localhost', { limit: 10 });
    expect(typeof page === 'object' && page.items.length).toBe(1);
    await reopened.close();
  });

  test('servers starting together on a fresh database migrate it once', async () => {
    const database = await freshDatabase();
    const drivers = Array.from({ length: 4 }, () => createPostgresDriver(settings(database)));
    await Promise.all(drivers.map((driver, i) => driver.openArchive('localhost', 'archive').append(`u${i}@localhost`, item('bob@localhost'))));
    await Promise.all(drivers.map((driver) => driver.close()));
    const versions = await withClient(database, (c) => c.query<{ version: number }>('SELECT version FROM salon_schema_version ORDER BY version'));
    expect(versions.rows.map((r) => r.version)).toEqual([1, 2]);
  });

  test('a database migrated by a newer version is refused, not touched', async () => {
    const database = await freshDatabase();
    await withClient(database, async (c) => {
      await c.query('CREATE TABLE salon_schema_version (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      await c.query("INSERT INTO salon_schema_version (version, description) VALUES (99, 'from the future')");
    });
    const driver = createPostgresDriver(settings(database));
    const failure = await driver.openArchive('localhost', 'archive').get('alice@localhost', 'x').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(PostgresStorageError);
    expect((failure as Error).cause).toBeInstanceOf(SchemaTooNewError);
    expect((failure as Error).message).toContain('version 99');
    await driver.close();
  });
});

describe('archive queries at scale', () => {
  test('the count is exact up to COUNT_CAP and left out beyond; a bare JID matches every resource', async () => {
    const driver = createPostgresDriver(settings());
    const store = driver.openArchive('big.localhost', 'archive');
    await store.append('warm@localhost', item('bob@localhost')); // migrated
    await withClient(cluster.database, (c) => c.query(
      `INSERT INTO salon_archive (host, store, archive, id, "when", "with", stanza)
        SELECT 'big.localhost', 'archive', 'alice@localhost', lpad(to_hex(n), 22, '0'), n,
          CASE WHEN n % 2 = 0 THEN 'bob@localhost/r' || (n % 3) ELSE 'carol@localhost' END, '<message/>'
        FROM generate_series(1, $1::int) AS n`, [COUNT_CAP + 2]));
    const all = await store.query('alice@localhost', { limit: 3, fromEnd: true });
    expect(typeof all === 'object' && [all.count, all.complete, all.items.map((i) => i.when)]).toEqual([undefined, false, [COUNT_CAP, COUNT_CAP + 1, COUNT_CAP + 2]]);
    const bobs = await store.query('alice@localhost', { limit: 2, with: 'bob@localhost' });
    expect(typeof bobs === 'object' && [bobs.count, bobs.items.map((i) => i.with)]).toEqual([(COUNT_CAP + 2) / 2, ['bob@localhost/r2', 'bob@localhost/r1']]);
    const r0 = await store.query('alice@localhost', { limit: 1, with: 'bob@localhost/r0', fromEnd: true });
    expect(typeof r0 === 'object' && [r0.count, r0.items.map((i) => i.when)]).toEqual([Math.floor((COUNT_CAP + 2) / 6), [COUNT_CAP + 2]]);
    await driver.close();
  });
});

describe('group commit', () => {
  test('appends in flight together are committed together, and one bad item fails alone', async () => {
    const driver = createPostgresDriver(settings());
    const store = driver.openArchive('batch.localhost', 'archive');
    const together = Array.from({ length: 60 }, (_, i) => item(`peer${i}@localhost`));
    await Promise.all(together.map((it) => store.append('dave@localhost', it)));
    // Rows written by one transaction share its id (xmin): the first append went alone, the
    // others queued behind it and were committed in one more transaction.
    const transactions = await withClient(cluster.database, (c) => c.query<{ n: number }>(
      "SELECT count(DISTINCT xmin::text)::int AS n FROM salon_archive WHERE host = 'batch.localhost' AND archive = 'dave@localhost'"));
    expect(transactions.rows[0]!.n).toBeLessThanOrEqual(3);
    const first = item('bob@localhost');
    await store.append('alice@localhost', first);
    const items = Array.from({ length: 60 }, (_, i) => item(`peer${i}@localhost`));
    items[30] = { ...items[30]!, id: first.id }; // already in the archive: the primary key refuses it
    const outcomes = await Promise.allSettled(items.map((it) => store.append('alice@localhost', it)));
    expect(outcomes.map((o) => o.status).filter((status) => status === 'rejected')).toHaveLength(1);
    expect(outcomes[30]).toMatchObject({ status: 'rejected', reason: expect.any(PostgresStorageError) });
    const page = await store.query('alice@localhost', { limit: 100 });
    expect(typeof page === 'object' && page.count).toBe(60);
    await driver.close();
  });
});

describe('key-value stores', () => {
  test('values round-trip per host and store; keys, overwrite and delete', async () => {
    const driver = createPostgresDriver(settings());
    const accounts = driver.open<{ name: string; n: number[] }>('kv.localhost', 'accounts');
    const other = driver.open<{ name: string; n: number[] }>('kv2.localhost', 'accounts');
    await accounts.set('alice', { name: 'Alice \u{1F600}', n: [1, 2] });
    await accounts.set('bob', { name: 'Bob', n: [] });
    await accounts.set('alice', { name: 'Alice', n: [3] });
    expect(await accounts.get('alice')).toEqual({ name: 'Alice', n: [3] });
    expect(await other.get('alice')).toBeUndefined();
    expect(await driver.open('kv.localhost', 'roster').get('alice')).toBeUndefined();
    expect(await accounts.keys()).toEqual(['alice', 'bob']);
    await accounts.delete('alice');
    expect(await accounts.get('alice')).toBeUndefined();
    expect(await accounts.keys()).toEqual(['bob']);
    await driver.close();
  });

  test('storage = "sql" gives every store to PostgreSQL, logs included', async () => {
    const router = createStorageDriver('sql', '/nonexistent', settings());
    if (!router.ok) throw new Error(router.error);
    expect(router.value.driverFor('offline')).toBe('postgres');
    const log = router.value.openLog!<{ body: string }>('log.localhost', 'offline');
    await log.append('alice', { body: 'one' });
    await log.append('alice', { body: 'two' });
    expect(await log.read('alice')).toEqual([{ body: 'one' }, { body: 'two' }]);
    await router.value.close();
    expect(createStorageDriver({ archive: 'postgres' }, '/nonexistent')).toEqual({
      ok: false, error: expect.stringContaining('store "archive" needs the "sql" option'),
    });
  });
});

describe('failing closed', () => {
  test('an unreachable database rejects operations, without the password in the message', async () => {
    const driver = createPostgresDriver({ ...settings(), port: 1, password: 'do-not-show' });
    const store = driver.openArchive('localhost', 'archive');
    const failures = await Promise.all([
      store.append('alice@localhost', item('bob@localhost')).catch((e: unknown) => e),
      store.query('alice@localhost', { limit: 5 }).catch((e: unknown) => e),
      driver.open('localhost', 'roster').get('alice').catch((e: unknown) => e),
    ]);
    for (const failure of failures) {
      expect(failure).toBeInstanceOf(PostgresStorageError);
      expect((failure as Error).message).toContain('127.0.0.1:1');
      expect((failure as Error).message).not.toContain('do-not-show');
    }
    await driver.close();
  });

  test('a statement stuck behind a lock fails at query_timeout', async () => {
    const driver = createPostgresDriver(settings(cluster.database, { query_timeout: 0.5 }));
    const store = driver.openArchive('locked.localhost', 'archive');
    await store.append('alice@localhost', item('bob@localhost')); // migrated, connected
    await withClient(cluster.database, async (c) => {
      await c.query('BEGIN');
      await c.query('LOCK TABLE salon_archive IN ACCESS EXCLUSIVE MODE');
      const started = Date.now();
      const failure = await store.query('alice@localhost', { limit: 5 }).catch((e: unknown) => e);
      expect(failure).toBeInstanceOf(PostgresStorageError);
      expect((failure as Error).message).toMatch(/statement timeout/);
      expect(Date.now() - started).toBeLessThan(5_000);
      await c.query('ROLLBACK');
    });
    const page = await store.query('alice@localhost', { limit: 5 });
    expect(typeof page === 'object' && page.items.length).toBe(1);
    await driver.close();
  });

  test('PostgreSQL stopped: operations reject cleanly; restarted: the driver works again', async () => {
    const driver = createPostgresDriver(settings());
    const store = driver.openArchive('restart.localhost', 'archive');
    const kept = item('bob@localhost');
    await store.append('alice@localhost', kept);
    await cluster.halt();
    try {
      const failures = await Promise.all([
        store.append('alice@localhost', item('bob@localhost')).catch((e: unknown) => e),
        store.query('alice@localhost', { limit: 5 }).catch((e: unknown) => e),
        store.append('alice@localhost', item('bob@localhost')).catch((e: unknown) => e),
      ]);
      for (const failure of failures) expect(failure).toBeInstanceOf(PostgresStorageError);
    } finally {
      await cluster.resume();
    }
    const later = item('carol@localhost');
    await store.append('alice@localhost', later);
    const page = await store.query('alice@localhost', { limit: 10 });
    expect(typeof page === 'object' && page.items.map((i) => i.id)).toEqual([kept.id, later.id]);
    await driver.close();
  });
});
