/**
 * Rosters (with pending requests), offline messages and blocklists survive a restart with the
 * default json-file storage: a real server is stopped and started again on the same data dir.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import {
  BLOCKING, ask, befriend, getRoster, isPresence, isPush, isSubscriptionStanza, itemsOf, login, sync,
} from '../helpers/roster-raw.js';
import { trustCertificate } from '../helpers/xmpp-client.js';

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'carol@localhost': 'carol-secret' };

let dataPath: string;
let server: RunningServer | undefined;
const clients: RawClient[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-roster-'));
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  await rm(dataPath, { recursive: true, force: true });
});

/** A server on the temporary data dir with the configured (json-file) storage. */
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

async function online(port: number, user: string, resource: string): Promise<RawClient> {
  const client = await login(port, user, resource);
  clients.push(client);
  await getRoster(client);
  client.send('<presence/>');
  await client.waitFor(isPresence(`${user}@localhost/${resource}`));
  return client;
}

test('rosters, pending requests, offline messages and blocklists survive a restart', async () => {
  let port = await start();
  const alice = await online(port, 'alice', 'desk');
  const bob = await online(port, 'bob', 'phone');
  await befriend(alice, 'alice', bob, 'bob');
  await ask(alice, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='Bobby'><group>Work</group></item></query></iq>`);
  alice.send("<presence to='carol@localhost' type='subscribe'><status>it is alice</status></presence>");
  await alice.waitFor(isPush('carol@localhost', 'none', 'subscribe'));
  await ask(alice, (id) => `<iq type='set' id='${id}'><block xmlns='${BLOCKING}'><item jid='eve@example.org'/></block></iq>`);
  bob.close();
  await alice.waitFor(isPresence('bob@localhost/phone', 'unavailable'));
  alice.send("<message to='bob@localhost' type='chat'><body>while you were out</body></message>");
  await sync(alice);
  const version = String((await getRoster(alice)).getChild('query', 'jabber:iq:roster')?.attrs.ver);
  for (const client of clients.splice(0)) client.close();
  await server!.stop();
  expect((await readdir(join(dataPath))).length).toBeGreaterThan(0);

  port = await start();
  const alice2 = await online(port, 'alice', 'desk');
  // The version survives: the cached copy is current.
  const current = await getRoster(alice2, version);
  expect(current.getChild('query')).toBeUndefined();
  const items = itemsOf(await getRoster(alice2));
  expect(items.get('bob@localhost')).toEqual({ subscription: 'both', ask: undefined, name: 'Bobby', groups: ['Work'] });
  expect(items.get('carol@localhost')).toEqual({ subscription: 'none', ask: 'subscribe', name: undefined, groups: [] });
  const list = await ask(alice2, (id) => `<iq type='get' id='${id}'><blocklist xmlns='${BLOCKING}'/></iq>`);
  expect(list.getChild('blocklist', BLOCKING)?.getChildren('item').map((i) => i.attrs.jid)).toEqual(['eve@example.org']);

  const bob2 = await online(port, 'bob', 'phone');
  const kept = await bob2.waitFor((el) => el.name === 'message');
  expect(kept.getChildText('body')).toBe('while you were out');
  expect(kept.getChild('delay', 'urn:xmpp:delay')).toBeDefined();
  await bob2.waitFor(isPresence('alice@localhost/desk'));

  const carol = await online(port, 'carol', 'home');
  const request = await carol.waitFor(isSubscriptionStanza('subscribe', 'alice@localhost'));
  expect(request.getChildText('status')).toBe('it is alice');
});
