/** Blocking Command (XEP-0191) over real sockets: the protocol, pushes, enforcement and presence. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import {
  BLOCKING, ask, befriend, errorCondition, getRoster, isPresence, login, sync,
} from '../helpers/roster-raw.js';
import { DEFAULT_USERS, startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = await startTestServer({ globals: { max_blocklist_size: 2 }, users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' } });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function online(user: string, resource: string): Promise<RawClient> {
  const client = await login(server.port, user, resource);
  clients.push(client);
  await getRoster(client);
  client.send('<presence/>');
  await client.waitFor(isPresence(`${user}@localhost/${resource}`));
  return client;
}

function blocklist(client: RawClient): Promise<string[]> {
  return ask(client, (id) => `<iq type='get' id='${id}'><blocklist xmlns='${BLOCKING}'/></iq>`)
    .then((reply) => (reply.getChild('blocklist', BLOCKING)?.getChildren('item') ?? []).map((item) => String(item.attrs.jid)));
}

function command(client: RawClient, action: 'block' | 'unblock', jids: string[]): Promise<Element> {
  const items = jids.map((jid) => `<item jid='${jid}'/>`).join('');
  return ask(client, (id) => `<iq type='set' id='${id}'><${action} xmlns='${BLOCKING}'>${items}</${action}></iq>`);
}

function isBlockingPush(action: 'block' | 'unblock', jids: string[]): (el: Element) => boolean {
  return (el) => {
    const payload = el.name === 'iq' && el.attrs.type === 'set' ? el.getChild(action, BLOCKING) : undefined;
    return payload !== undefined && payload.getChildren('item').map((i) => String(i.attrs.jid)).join() === jids.join();
  };
}

function features(reply: Element): unknown[] {
  return reply.getChild('query')?.getChildren('feature').map((f) => f.attrs.var) ?? [];
}

describe('the blocking protocol', () => {
  test('the feature is advertised on the account and on the server', async () => {
    const alice = await online('alice', 'desk');
    const account = await ask(alice, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const host = await ask(alice, (id) => `<iq type='get' id='${id}' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    expect(features(account)).toContain(BLOCKING);
    expect(features(host)).toContain(BLOCKING);
  });

  test('block, unblock and unblock-all are pushed to every resource that asked for the list', async () => {
    const one = await online('alice', 'one');
    const two = await online('alice', 'two');
    const quiet = await online('alice', 'quiet');
    expect(await blocklist(one)).toEqual([]);
    expect(await blocklist(two)).toEqual([]);

    expect((await command(one, 'block', ['bob@localhost', 'eve@example.org'])).attrs.type).toBe('result');
    for (const client of [one, two]) await client.waitFor(isBlockingPush('block', ['bob@localhost', 'eve@example.org']));
    expect((await blocklist(two)).sort()).toEqual(['bob@localhost', 'eve@example.org']);

    await command(two, 'unblock', ['eve@example.org']);
    for (const client of [one, two]) await client.waitFor(isBlockingPush('unblock', ['eve@example.org']));
    await command(one, 'unblock', []);
    for (const client of [one, two]) await client.waitFor(isBlockingPush('unblock', []));
    expect(await blocklist(one)).toEqual([]);

    await sync(quiet);
    expect(quiet.received.some((el) => el.name === 'iq' && el.attrs.type === 'set')).toBe(false);
  });

  test('the list is bounded by max_blocklist_size (policy-violation, nothing changed)', async () => {
    const alice = await online('alice', 'desk');
    await command(alice, 'block', ['a@example.org', 'b@example.org']);
    expect(errorCondition(await command(alice, 'block', ['c@example.org']))).toBe('policy-violation');
    expect(errorCondition(await command(alice, 'block', []))).toBe('bad-request');
    expect((await blocklist(alice)).sort()).toEqual(['a@example.org', 'b@example.org']);
  });
});

describe('enforcement', () => {
  test('nothing from a blocked user reaches alice; messages and requests bounce as for a stranger (§3.5)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await command(alice, 'block', ['bob@localhost']);

    bob.send("<message to='alice@localhost' type='chat' id='m1'><body>hi</body></message>");
    const bounced = await bob.waitFor((el) => el.name === 'message' && el.attrs.id === 'm1');
    expect(errorCondition(bounced)).toBe('service-unavailable');
    const ping = await ask(bob, (id) => `<iq type='get' id='${id}' to='alice@localhost/desk'><ping xmlns='urn:xmpp:ping'/></iq>`);
    expect(errorCondition(ping)).toBe('service-unavailable');
    const disco = await ask(bob, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    expect(errorCondition(disco)).toBe('service-unavailable');
    bob.send("<presence to='alice@localhost' type='subscribe'/>");
    bob.send("<presence to='alice@localhost/desk'/>");
    await sync(bob);
    await sync(alice);
    expect(alice.received.some((el) => String(el.attrs.from ?? '').startsWith('bob@localhost'))).toBe(false);
    expect(bob.received.some((el) => el.name === 'presence' && el.attrs.type === 'error')).toBe(false);
  });

  test('requests a module answers for alice (vCard, PEP, last activity) bounce too', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    const carol = await online('carol', 'tablet');
    const saved = await ask(alice, (id) => `<iq type='set' id='${id}'><vCard xmlns='vcard-temp'><FN>Alice</FN></vCard></iq>`);
    expect(saved.attrs.type).toBe('result');
    await command(alice, 'block', ['bob@localhost']);

    const vcardOf = (client: RawClient): Promise<Element> => ask(client, (id) => `<iq type='get' id='${id}' to='alice@localhost'><vCard xmlns='vcard-temp'/></iq>`);
    const pepOf = (client: RawClient): Promise<Element> => ask(client, (id) => `<iq type='get' id='${id}' to='alice@localhost'><pubsub xmlns='http://jabber.org/protocol/pubsub'><items node='urn:xmpp:avatar:metadata'/></pubsub></iq>`);
    // The same requests from someone alice does not block reach the modules: the vCard is served.
    expect((await vcardOf(carol)).getChild('vCard', 'vcard-temp')?.getChildText('FN')).toBe('Alice');
    expect(errorCondition(await pepOf(carol))).not.toBe('service-unavailable');

    expect(errorCondition(await vcardOf(bob))).toBe('service-unavailable');
    expect(errorCondition(await pepOf(bob))).toBe('service-unavailable');
    const last = await ask(bob, (id) => `<iq type='get' id='${id}' to='alice@localhost'><query xmlns='jabber:iq:last'/></iq>`);
    expect(errorCondition(last)).toBe('service-unavailable');

    await command(alice, 'unblock', ['bob@localhost']);
    expect((await vcardOf(bob)).getChild('vCard', 'vcard-temp')?.getChildText('FN')).toBe('Alice');
  });

  test('a blocked user\'s message to alice while she is offline is refused, not kept', async () => {
    const alice = await online('alice', 'desk');
    await command(alice, 'block', ['bob@localhost']);
    alice.close();
    const bob = await online('bob', 'phone');
    bob.send("<message to='alice@localhost' type='chat' id='m2'><body>later</body></message>");
    expect(errorCondition(await bob.waitFor((el) => el.name === 'message' && el.attrs.id === 'm2'))).toBe('service-unavailable');
    const back = await online('alice', 'back');
    await sync(back);
    expect(back.received.some((el) => el.name === 'message')).toBe(false);
  });

  test("alice's own stanzas to a blocked user are refused with not-acceptable and <blocked/> (§3.6)", async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await command(alice, 'block', ['bob@localhost']);
    alice.send("<message to='bob@localhost' type='chat' id='out1'><body>hi</body></message>");
    const refused = await alice.waitFor((el) => el.name === 'message' && el.attrs.id === 'out1');
    expect(errorCondition(refused)).toBe('not-acceptable');
    expect(refused.getChild('error')?.getChild('blocked', 'urn:xmpp:blocking:errors')).toBeDefined();
    await sync(bob);
    expect(bob.received.some((el) => el.name === 'message')).toBe(false);
  });

  test('a newly blocked contact gets unavailable, then no presence until unblocked', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    await bob.waitFor(isPresence('alice@localhost/desk'));

    await command(alice, 'block', ['bob@localhost']);
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    const mark = bob.received.length;
    const aliceMark = alice.received.length;
    alice.send('<presence><show>dnd</show></presence>');
    bob.send('<presence><show>away</show></presence>');
    await sync(alice);
    await sync(bob);
    expect(bob.received.slice(mark).some(isPresence('alice@localhost/desk'))).toBe(false);
    expect(alice.received.slice(aliceMark).some(isPresence('bob@localhost/phone'))).toBe(false);

    await command(alice, 'unblock', ['bob@localhost']);
    await bob.waitFor((el) => isPresence('alice@localhost/desk')(el) && el.getChildText('show') === 'dnd', 3000, mark);
    // Alice probes bob again: she learns his presence.
    await alice.waitFor((el) => isPresence('bob@localhost/phone')(el) && el.getChildText('show') === 'away', 3000, aliceMark);
  });
});
