/**
 * `storage = { archive = "postgres", muc_log = "postgres" }` with Prosody's `sql` option, end
 * to end: start-up refuses a PostgreSQL store without `sql` (naming the option), a real server
 * on a real PostgreSQL archives a chat and a room message and answers MAM queries (XEP-0313)
 * from the database, the archive outlives the server, `storage = "sql"` keeps accounts there
 * too, and a database that is down makes queries fail, not the server.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import pg from 'pg';
import { moduleCatalog } from '../../module-catalog.js';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { validateConfig } from '../../server/config/index.js';
import { type RawClient } from '../helpers/raw-client.js';
import { bodiesOf, queryArchive } from '../helpers/mam-raw.js';
import { createInstantRoom, SERVICE } from '../helpers/muc-harness.js';
import { queryRoom, roomStanzaIds, say } from '../helpers/muc-mam.js';
import { isPresence, login } from '../helpers/roster-raw.js';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster.js';
import { DEFAULT_USERS } from '../helpers/test-server.js';
import { trustCertificate } from '../helpers/xmpp-client.js';

let cluster: PostgresCluster;
let dataPath: string;
const servers: RunningServer[] = [];
const clients: RawClient[] = [];

beforeAll(async () => {
  cluster = await startPostgresCluster();
  dataPath = await mkdtemp(join(tmpdir(), 'salon-pg-config-'));
}, 30_000);

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  for (const server of servers.splice(0)) await server.stop();
});

afterAll(async () => {
  await cluster?.stop();
  await rm(dataPath, { recursive: true, force: true });
});

function sqlOption(): Record<string, unknown> {
  return { driver: 'PostgreSQL', database: cluster.database, username: cluster.user, password: cluster.password, host: cluster.host, port: cluster.port };
}

async function start(globals: Record<string, unknown>): Promise<RunningServer & { port: number }> {
  const server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [], https_ports: [], sasl_iterations: 4096, log_level: 'silent',
      data_path: dataPath,
      ...globals,
      hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc')],
    },
    users: { ...DEFAULT_USERS },
    tls: 'test',
  });
  servers.push(server);
  trustCertificate(server.certificate);
  return Object.assign(server, { port: server.c2s!.port });
}

async function connect(port: number, user: string, resource: string): Promise<RawClient> {
  const client = await login(port, user, resource);
  clients.push(client);
  client.send('<presence/>');
  await client.waitFor(isPresence(`${user}@localhost/${resource}`));
  return client;
}

async function archivedRows(archive: string, host = 'localhost'): Promise<Array<{ store: string; with: string }>> {
  const client = new pg.Client({ host: cluster.host, port: cluster.port, user: cluster.user, password: cluster.password, database: cluster.database });
  await client.connect();
  try {
    const result = await client.query<{ store: string; with: string }>('SELECT store, "with" FROM salon_archive WHERE host = $1 AND archive = $2 ORDER BY id', [host, archive]);
    return result.rows;
  } finally {
    await client.end();
  }
}

test('a store given to PostgreSQL without the sql option stops start-up, naming the option', async () => {
  await expect(start({ storage: { archive: 'postgres' } })).rejects.toThrow(/option "sql" is required.*"archive"/);
  await expect(start({ storage: 'sql' })).rejects.toThrow(/option "sql" is required: storage gives every store/);
  await expect(start({ storage: { archive: 'sql' }, sql: { driver: 'SQLite3', database: 'prosody.sqlite' } })).rejects.toThrow(/option "sql.driver": must be "PostgreSQL"/);
  await expect(start({ storage: { archive: 'sql' }, sql: { driver: 'PostgreSQL', url: cluster.url, host: 'db' } })).rejects.toThrow(/url replaces/);
});

test('storage and sql may each be set globally or on a host; the check names the section missing sql', () => {
  const sql = { driver: 'PostgreSQL' as const, host: 'db.example', database: 'salon' };
  const globalSql = validateConfig({ sql, hosts: [VirtualHost('a.example', { storage: { archive: 'sql' } })] }, moduleCatalog, 'salon.config.ts');
  expect(globalSql.ok).toBe(true);
  const hostSql = validateConfig({ hosts: [VirtualHost('a.example', { storage: 'postgres', sql }), VirtualHost('b.example')] }, moduleCatalog, undefined);
  expect(hostSql.ok).toBe(true);
  const missing = validateConfig({
    hosts: [VirtualHost('a.example', { sql }), VirtualHost('b.example', { storage: { muc_log: 'postgres', archive: 'sql' } })],
  }, moduleCatalog, 'salon.config.ts');
  expect(missing.ok ? [] : missing.error).toEqual([{
    file: 'salon.config.ts', host: 'b.example', option: 'sql',
    message: expect.stringContaining('option "sql" is required: storage gives the stores "muc_log", "archive" to PostgreSQL'),
  }]);
});

test('archives in PostgreSQL: a chat is archived there and a MAM query answers from it, across a restart', async () => {
  const config = { storage: { archive: 'postgres', muc_log: 'postgres' }, sql: sqlOption() };
  const first = await start(config);
  const alice = await connect(first.port, 'alice', 'desk');
  const bob = await connect(first.port, 'bob', 'phone');
  alice.send("<message to='bob@localhost' type='chat' id='m1'><body>hello over postgres</body></message>");
  await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === 'hello over postgres');
  expect(bodiesOf(await queryArchive(bob))).toEqual(['hello over postgres']);
  expect(await archivedRows('bob@localhost')).toEqual([{ store: 'archive', with: 'alice@localhost/desk' }]);

  for (const client of clients.splice(0)) client.close();
  await servers.pop()!.stop();
  const second = await start({ ...config, sql: { driver: 'PostgreSQL', url: cluster.url } });
  const bobAgain = await connect(second.port, 'bob', 'laptop');
  expect(bodiesOf(await queryArchive(bobAgain, { with: 'alice@localhost' }))).toEqual(['hello over postgres']);
});

test('room archives in PostgreSQL: a groupchat message is kept there and a MAM query to the room answers from it', async () => {
  const server = await start({ storage: { archive: 'postgres', muc_log: 'postgres' }, sql: sqlOption() });
  const alice = await connect(server.port, 'alice', 'desk');
  await createInstantRoom(alice, 'pgroom', 'Alice');
  const echo = await say(alice, alice, 'pgroom', 'said in a room over postgres');
  const [id] = roomStanzaIds(echo, 'pgroom');
  expect(await archivedRows(`pgroom@${SERVICE}`, SERVICE)).toEqual([{ store: 'muc_log', with: `pgroom@${SERVICE}/Alice` }]);
  const answer = await queryRoom(alice, 'pgroom');
  expect(answer.bodies).toEqual(['said in a room over postgres']);
  expect(answer.ids).toEqual([id]);
});

test('storage = "sql" keeps every store in PostgreSQL: accounts seeded there log in', async () => {
  const server = await start({ storage: 'sql', sql: { driver: 'PostgreSQL', url: cluster.url } });
  await connect(server.port, 'alice', 'desk');
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  try {
    const keys = await client.query<{ store: string; key: string }>("SELECT store, key FROM salon_kv WHERE host = 'localhost' AND key = 'alice'");
    expect(keys.rows.map((row) => row.store)).toContain('accounts');
  } finally {
    await client.end();
  }
});

test('a database that is down does not stop the server: start-up is lazy, queries fail closed', async () => {
  const server = await start({ storage: { archive: 'postgres' }, sql: { ...sqlOption(), port: 1, query_timeout: 2 } });
  const bob = await connect(server.port, 'bob', 'phone');
  const answer = await queryArchive(bob);
  expect(answer.iq.attrs.type).toBe('error');
  expect(answer.iq.getChild('error')?.getChild('internal-server-error', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
  expect(answer.results).toEqual([]);
  // The stream is still up and served.
  bob.send("<iq type='get' id='ping1'><ping xmlns='urn:xmpp:ping'/></iq>");
  const pong = await bob.waitFor((el) => el.name === 'iq' && el.attrs.id === 'ping1');
  expect(pong.attrs.type).toBe('result');
});
