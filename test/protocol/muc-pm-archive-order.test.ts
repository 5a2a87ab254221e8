/**
 * MUC private messages wait for their archive commits like routed messages, on the default
 * storage (LMDB commits on a temporary data directory): a client's private messages, groupchat
 * messages and chats reach the recipient in the order sent, and each private message is in the
 * recipient's archive once, under the stanza id it was delivered with.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import { idsOf, queryArchive, stanzaIds } from '../helpers/mam-raw.js';
import { createInstantRoom, enter, login, users } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';

const ROOM = 'order@conference.localhost';

let dataPath: string;
let server: RunningServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-pm-order-'));
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [0], https_ports: [], http_interfaces: ['127.0.0.1'],
      data_path: dataPath, sasl_iterations: 4096,
      hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc')],
    },
    users: users('alice', 'bob'),
    logger: silentLogger(),
    tls: 'test',
  });
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
  await rm(dataPath, { recursive: true, force: true });
});

async function connect(user: string, resource: string): Promise<RawClient> {
  const client = await login(server.c2s!.port, user, resource);
  clients.push(client);
  // Available, so that a chat to the bare JID is delivered rather than kept offline.
  client.send('<presence/>');
  await client.waitFor((el) => el.name === 'presence' && el.attrs.from === `${user}@localhost/${resource}`);
  return client;
}

test('private messages, groupchat and chats from one client arrive in order; each private message is archived once', async () => {
  const alice = await connect('alice', 'desk');
  const bob = await connect('bob', 'phone');
  await createInstantRoom(alice, 'order', 'Alice');
  await enter(bob, 'order', 'Bob');
  const seen = bob.received.length;
  const expected: string[] = [];
  const rounds = 10;
  for (let round = 0; round < rounds; round++) {
    alice.send(
      `<message to='${ROOM}/Bob' type='chat'><body>${round}-pm</body></message>`
        + `<message to='${ROOM}' type='groupchat'><body>${round}-room</body></message>`
        + `<message to='bob@localhost' type='chat'><body>${round}-chat</body></message>`,
    );
    expected.push(`${round}-pm`, `${round}-room`, `${round}-chat`);
  }
  const last = await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === `${rounds - 1}-chat`, 10_000, seen);
  expect(last).toBeDefined();
  const got = bob.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('body') !== undefined);
  expect(got.map((el) => el.getChildText('body'))).toEqual(expected);

  const privateOnes = got.filter((el) => el.attrs.from === `${ROOM}/Alice`);
  const delivered = privateOnes.flatMap((el) => stanzaIds(el, 'bob@localhost'));
  expect(delivered).toHaveLength(rounds);
  expect(idsOf(await queryArchive(bob, { with: `${ROOM}/Alice` }))).toEqual(delivered);
  expect(idsOf(await queryArchive(alice, { with: `${ROOM}/Bob` }))).toHaveLength(rounds);
});
