/**
 * A client's messages overlap while they wait for their archive commits
 * (server/stream/input-release.ts), on the default storage (LMDB commits on a temporary data
 * directory): they still reach their recipients in the order they were sent, messages that are
 * not archived and messages to a room included; XEP-0198 counts each one only once handled, and a
 * resumption answers with a count that covers what the old connection sent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { silentLogger } from '../../server/log/index.js';
import { bodiesOf, idsOf, queryArchive, stanzaIds } from '../helpers/mam-raw.js';
import { ask, enter, login, MUC_OWNER, users } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';
import { sync } from '../helpers/roster-raw.js';
import { authenticate, resume, SM, smLogin } from '../helpers/sm-raw.js';

const ROOM = 'lobby@conference.localhost';
const COMPOSING = "<composing xmlns='http://jabber.org/protocol/chatstates'/>";

let dataPath: string;
let server: RunningServer;
let port: number;
const clients: RawClient[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-input-release-'));
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
  port = server.c2s!.port;
});

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
  await rm(dataPath, { recursive: true, force: true });
});

async function online(user: string, resource: string): Promise<RawClient> {
  const client = await login(port, user, resource);
  clients.push(client);
  client.send('<presence/>');
  await client.waitFor((el) => el.name === 'presence' && el.attrs.from === `${user}@localhost/${resource}`);
  return client;
}

/** What bob got from alice, directly or through the room, in arrival order: body, or `(composing)`. */
function fromAlice(bob: RawClient): string[] {
  return bob.received
    .filter((el) => el.name === 'message' && (String(el.attrs.from).startsWith('alice@localhost') || el.attrs.from === `${ROOM}/alice`))
    .filter((el) => el.getChild('subject') === undefined)
    .map((el) => el.getChildText('body') ?? '(composing)');
}

async function until(check: () => boolean, what: () => unknown, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${JSON.stringify(what())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('messages waiting for their archive commits', () => {
  test('arrive in the order sent, with the ones not archived and the ones through a room', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await enter(bob, 'lobby', 'bob');
    // An instant room (XEP-0045 §10.1.2): unlocked for alice to join.
    await ask(bob, (id) => `<iq type='set' id='${id}' to='${ROOM}'><query xmlns='${MUC_OWNER}'><x xmlns='jabber:x:data' type='submit'/></query></iq>`);
    await enter(alice, 'lobby', 'alice');
    const rounds = 15; // 45 archived messages: one page (the server's largest is 50)
    const expected: string[] = [];
    let burst = '';
    for (let round = 0; round < rounds; round++) {
      // Each burst arrives in one write: the first message waits for its commit while the next
      // ones are read. A chat state is not archived, a room message is not on bob's host's way,
      // a full-JID message is routed as `message/full`: none may overtake the message before it.
      burst +=
        `<message to='bob@localhost' type='chat'><body>${round}-a</body></message>` +
        `<message to='bob@localhost' type='chat'>${COMPOSING}</message>` +
        `<message to='bob@localhost/phone' type='chat'><body>${round}-b</body></message>` +
        `<message to='${ROOM}' type='groupchat'><body>${round}-room</body></message>` +
        `<message to='bob@localhost' type='chat'><body>${round}-c</body></message>`;
      expected.push(`${round}-a`, '(composing)', `${round}-b`, `${round}-room`, `${round}-c`);
    }
    alice.send(burst);
    await until(() => fromAlice(bob).length >= expected.length, () => fromAlice(bob));
    expect(fromAlice(bob)).toEqual(expected);

    // Bob's archive has the chat messages in the same order, each under the id it was delivered with.
    const chats = expected.filter((body) => /^\d+-[abc]$/.test(body));
    const archived = await queryArchive(bob, { with: 'alice@localhost' }, { max: 100 });
    expect(bodiesOf(archived)).toEqual(chats);
    const delivered = bob.received.filter((el) => el.name === 'message' && el.attrs.type === 'chat' && el.getChildText('body') !== null);
    expect(delivered.map((el: Element) => stanzaIds(el, 'bob@localhost')[0])).toEqual(idsOf(archived));
    expect(bodiesOf(await queryArchive(alice, { with: 'bob@localhost' }, { max: 100 }))).toEqual(chats);
  });

  test('a message to another domain among them bounces, and the sender’s archive keeps all three in the order sent', async () => {
    const alice = await online('alice', 'desk');
    await online('bob', 'phone');
    alice.send(
      "<message to='bob@localhost' type='chat' id='first'><body>first</body></message>" +
      "<message to='someone@elsewhere.example' type='chat' id='remote'><body>far</body></message>" +
      "<message to='bob@localhost' type='chat' id='last'><body>last</body></message>",
    );
    await sync(alice);
    const archived = await queryArchive(alice, {}, { max: 10 });
    // The remote one is in the sender's archive between the two others: handled in its turn.
    expect(bodiesOf(archived)).toEqual(['first', 'far', 'last']);
    expect(alice.received.some((el) => el.attrs.id === 'remote' && el.attrs.type === 'error')).toBe(true);
  });

  test('<a/> counts the messages once delivered and archived', async () => {
    const bob = await online('bob', 'phone');
    const { client: alice } = await smLogin(port, 'alice', 'desk');
    clients.push(alice);
    const count = 40;
    let burst = '';
    for (let i = 0; i < count; i++) burst += `<message to='bob@localhost' type='chat'><body>m${i}</body></message>`;
    const seen = alice.received.length;
    alice.send(`${burst}<r xmlns='${SM}'/>`);
    const ack = await alice.waitFor((el) => el.name === 'a' && el.attrs.xmlns === SM, 5000, seen);
    expect(ack.attrs.h).toBe(String(count));
    await until(() => fromAlice(bob).length >= count, () => fromAlice(bob));
    expect(fromAlice(bob)).toEqual(Array.from({ length: count }, (_, i) => `m${i}`));
    expect(bodiesOf(await queryArchive(bob, {}, { max: 100 }))).toHaveLength(count);
  });

  test('a resumption waits for what the lost connection was still handling, counts it, and nothing is sent twice', async () => {
    const bob = await online('bob', 'phone');
    const { client: alice, id } = await smLogin(port, 'alice', 'desk');
    // A module that takes its time over one message (as a pre-join check or a roster fetch may):
    // the old stream is still handling it when the client resumes.
    let slowDone = false;
    const host = coreOf(server).hosts.find((h) => h.name === 'localhost')!;
    const unhook = host.hooks.on('pre-stanza', ({ stanza }) => {
      if (stanza.getChildText('body') !== 'slow') return undefined;
      return new Promise((resolve) => setTimeout(() => {
        slowDone = true;
        resolve(undefined);
      }, 400));
    });
    try {
      const sent = ['r0', 'r1', 'slow', 'r3', 'r4'];
      alice.send(sent.map((body) => `<message to='bob@localhost' type='chat'><body>${body}</body></message>`).join(''));
      await until(() => fromAlice(bob).length >= 2, () => fromAlice(bob));
      alice.close();
      const again = await authenticate(port, 'alice');
      clients.push(again);
      const resumed = await resume(again, id, 0);
      expect(slowDone).toBe(true);
      expect(resumed.name).toBe('resumed');
      // The client sends again what `h` does not cover (XEP-0198 §5).
      const h = Number(resumed.attrs.h);
      expect(h).toBeGreaterThanOrEqual(3);
      for (const body of sent.slice(h)) again.send(`<message to='bob@localhost' type='chat'><body>${body}</body></message>`);
      await until(() => fromAlice(bob).length >= sent.length, () => fromAlice(bob));
      await sync(again);
      expect(fromAlice(bob)).toEqual(sent);
    } finally {
      unhook();
    }
  });
});
