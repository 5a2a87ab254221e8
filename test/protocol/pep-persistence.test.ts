/**
 * PEP nodes survive a restart with the default json-file storage (a real server stopped and
 * started again on the same data dir), and leave with the account.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { silentLogger } from '../../server/log/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, errorCondition, login } from '../helpers/roster-raw.js';
import { trustCertificate } from '../helpers/xmpp-client.js';
import { getItems, itemsOf, ownerIq, publish, publishOptions } from '../helpers/pep-raw.js';

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' };
const NODE = 'urn:xmpp:avatar:metadata';

let dataPath: string;
let server: RunningServer | undefined;
const clients: RawClient[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-pep-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  await rm(dataPath, { recursive: true, force: true });
});

async function start(): Promise<number> {
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], sasl_iterations: 4096,
      data_path: dataPath, hosts: [VirtualHost('localhost')],
    },
    logger: silentLogger(),
    users: USERS,
    tls: 'test',
  });
  trustCertificate(server.certificate);
  return server.c2s!.port;
}

async function online(port: number, user: string): Promise<RawClient> {
  const client = await login(port, user, 'pep');
  clients.push(client);
  return client;
}

const info = (id: string): string => `<item id='${id}'><metadata xmlns='${NODE}'><info id='${id}' bytes='13' type='image/png'/></metadata></item>`;

test('items and node configuration are read back after a restart; removing the account removes them', async () => {
  let port = await start();
  let alice = await online(port, 'alice');
  for (const id of ['a', 'b', 'c']) await publish(alice, NODE, info(id), publishOptions({ 'pubsub#access_model': 'open', 'pubsub#max_items': '2' }));
  for (const client of clients.splice(0)) client.close();
  await server!.stop();

  port = await start();
  alice = await online(port, 'alice');
  const bob = await online(port, 'bob');
  // Bob has no subscription: the node is still open, and still keeps two items.
  expect(itemsOf(await getItems(bob, 'alice@localhost', NODE)).map((item) => item.attrs.id)).toEqual(['b', 'c']);
  const form = await ownerIq(alice, 'get', `<configure node='${NODE}'/>`);
  const maxItems = form.getChild('pubsub')?.getChild('configure')?.getChild('x')?.getChildren('field').find((f) => f.attrs.var === 'pubsub#max_items');
  expect(maxItems?.getChildText('value')).toBe('2');

  const store = coreOf(server!).storage.open<unknown>('localhost', 'pep');
  expect(await store.get('alice')).toBeDefined();
  const removed = await ask(alice, (id) => `<iq type='set' id='${id}' to='localhost'><query xmlns='jabber:iq:register'><remove/></query></iq>`);
  expect(removed.attrs.type).toBe('result');
  // No account, no service (RFC 6121 §8.5.1); and the stored nodes are gone.
  expect(errorCondition(await getItems(bob, 'alice@localhost', NODE))).toBe('service-unavailable');
  // user-deleted is a notification: wait for its handler's storage work.
  const deadline = Date.now() + 3000;
  while ((await store.get('alice')) !== undefined && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await store.get('alice')).toBeUndefined();
});
