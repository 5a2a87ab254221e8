/**
 * Unanswered subscription requests (RFC 6121 §3.1.3) are kept bounded: what is kept is the
 * requester, the status text and the nickname, and past `max_pending_subscriptions` or
 * `max_pending_subscription_bytes` a request is refused with resource-constraint. Real sockets.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { errorCondition, getRoster, isPresence, login, sync } from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

const USERS = { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret', 'carol@localhost': 'carol-secret', 'dave@localhost': 'dave-secret' };

async function connect(user: string): Promise<RawClient> {
  const client = await login(server.port, user, 'r');
  clients.push(client);
  return client;
}

/** A requester with an available resource, so that an error presence to its bare JID reaches it. */
async function requester(user: string): Promise<RawClient> {
  const client = await connect(user);
  client.send('<presence/>');
  await client.waitFor(isPresence(`${user}@localhost/r`));
  return client;
}

/** Alice with an available resource: requests reach it live (and are kept until answered). */
async function aliceWatching(): Promise<RawClient> {
  const alice = await connect('alice');
  await getRoster(alice);
  alice.send('<presence/>');
  await alice.waitFor(isPresence('alice@localhost/r'));
  return alice;
}

/** Sends a subscription request to alice and waits until it reaches her watching resource. */
async function accepted(client: RawClient, user: string, watcher: RawClient, content = ''): Promise<void> {
  const seen = watcher.received.length;
  client.send(`<presence to='alice@localhost' type='subscribe'>${content}</presence>`);
  await watcher.waitFor((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === `${user}@localhost`, 3000, seen);
}

/** Sends a subscription request to alice and resolves with the error its sender gets. */
async function refused(client: RawClient, content = ''): Promise<Element> {
  const seen = client.received.length;
  client.send(`<presence to='alice@localhost' type='subscribe'>${content}</presence>`);
  return client.waitFor((el) => el.name === 'presence' && el.attrs.type === 'error', 3000, seen);
}

/** A new resource of alice: the requests redelivered at its initial presence (RFC 6121 §3.1.3). */
async function redelivered(): Promise<Element[]> {
  const alice = await login(server.port, 'alice', 'later');
  clients.push(alice);
  await getRoster(alice);
  const seen = alice.received.length;
  alice.send('<presence/>');
  await alice.waitFor(isPresence('alice@localhost/later'));
  await sync(alice);
  return alice.received.slice(seen).filter((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
}

describe('pending subscription requests', () => {
  test('kept as requester, bounded status and nickname; redelivered at login with a delay stamp (shipped bounds)', async () => {
    server = await startTestServer({ users: USERS });
    const watcher = await aliceWatching();
    const bob = await requester('bob');
    const long = 'é'.repeat(3000);
    await accepted(bob, 'bob', watcher, `<status>${long}</status><nick xmlns='http://jabber.org/protocol/nick'>Bobby</nick>`
      + `<junk xmlns='urn:example:junk'>${'x'.repeat(100_000)}</junk>`);
    const [request, ...others] = await redelivered();
    expect(others).toEqual([]);
    expect(request?.attrs.from).toBe('bob@localhost');
    expect(request?.getChildText('status')).toBe('é'.repeat(1024));
    expect(request?.getChildText('nick', 'http://jabber.org/protocol/nick')).toBe('Bobby');
    expect(request?.getChild('junk', 'urn:example:junk')).toBeUndefined();
    expect(request?.getChild('delay', 'urn:xmpp:delay')?.attrs.from).toBe('localhost');
  });

  test('past max_pending_subscriptions the request is refused with resource-constraint (wait); a repeat is not counted', async () => {
    server = await startTestServer({ users: USERS, globals: { max_pending_subscriptions: 2 } });
    const watcher = await aliceWatching();
    const [bob, carol, dave] = [await requester('bob'), await requester('carol'), await requester('dave')];
    await accepted(bob, 'bob', watcher);
    await accepted(carol, 'carol', watcher);
    // Already pending: nothing new to keep, and the repeat is not delivered again (§3.1.3).
    bob.send("<presence to='alice@localhost' type='subscribe'/>");
    await sync(bob);
    const error = await refused(dave);
    expect([error.attrs.from, errorCondition(error), error.getChild('error')?.attrs.type]).toEqual(['alice@localhost', 'resource-constraint', 'wait']);
    expect(bob.received.filter((el) => el.attrs.type === 'error')).toEqual([]);
    expect((await redelivered()).map((el) => el.attrs.from).sort()).toEqual(['bob@localhost', 'carol@localhost']);
  });

  test('past max_pending_subscription_bytes the request is refused', async () => {
    server = await startTestServer({ users: USERS, globals: { max_pending_subscription_bytes: 200 } });
    const watcher = await aliceWatching();
    const [bob, carol, dave] = [await requester('bob'), await requester('carol'), await requester('dave')];
    await accepted(bob, 'bob', watcher, `<status>${'b'.repeat(100)}</status>`);
    expect(errorCondition(await refused(carol, `<status>${'c'.repeat(100)}</status>`))).toBe('resource-constraint');
    await accepted(dave, 'dave', watcher, '<status>short</status>');
    expect((await redelivered()).map((el) => el.attrs.from).sort()).toEqual(['bob@localhost', 'dave@localhost']);
  });
});
