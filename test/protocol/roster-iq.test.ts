/**
 * Roster get and set over real sockets: versioning (RFC 6121 §2.6, XEP-0237), the stream
 * features, and bad input, each answered as the RFC says with nothing else changed.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, errorCondition, getRoster, isPresence, isPush, itemsOf, login, sync,
} from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = await startTestServer({ globals: { max_roster_size: 3 }, users: { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' } });
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function connect(user: string, resource: string): Promise<RawClient> {
  const client = await login(server.port, user, resource);
  clients.push(client);
  return client;
}

function setItem(client: RawClient, item: string): ReturnType<typeof ask> {
  return ask(client, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'>${item}</query></iq>`);
}

function versionOf(iq: { getChild(name: string, ns?: string): { attrs: Record<string, unknown> } | undefined }): unknown {
  return iq.getChild('query', 'jabber:iq:roster')?.attrs.ver;
}

describe('roster versioning', () => {
  test('the post-auth features offer versioning and pre-approval', async () => {
    const alice = await connect('alice', 'desk');
    const features = alice.received.filter((el) => el.name === 'stream:features').at(-1);
    expect(features?.getChild('ver', 'urn:xmpp:features:rosterver')).toBeDefined();
    expect(features?.getChild('sub', 'urn:xmpp:features:pre-approval')).toBeDefined();
  });

  test('a client with the current ver gets an empty result, a stale one the full roster', async () => {
    const alice = await connect('alice', 'desk');
    const first = await getRoster(alice, '');
    const initial = versionOf(first);
    expect(typeof initial).toBe('string');
    expect(itemsOf(first).size).toBe(0);
    await setItem(alice, "<item jid='carol@example.org' name='Carol'/>");
    const push = await alice.waitFor(isPush('carol@example.org', 'none'));
    const current = versionOf(push);
    expect(current).not.toBe(initial);

    const same = await getRoster(alice, String(current));
    expect(same.attrs.type).toBe('result');
    expect(same.getChild('query')).toBeUndefined();

    const stale = await getRoster(alice, String(initial));
    expect(versionOf(stale)).toBe(current);
    expect([...itemsOf(stale).keys()]).toEqual(['carol@example.org']);

    const unknown = await getRoster(alice, 'not-a-version');
    expect(itemsOf(unknown).size).toBe(1);
  });

  test('pushes go to interested resources only, each addressed to its full JID', async () => {
    const interested = await connect('alice', 'one');
    const quiet = await connect('alice', 'two');
    await getRoster(interested);
    await setItem(interested, "<item jid='dave@example.org'/>");
    const push = await interested.waitFor(isPush('dave@example.org', 'none'));
    expect(push.attrs.to).toBe('alice@localhost/one');
    await sync(quiet);
    expect(quiet.received.some(isPush('dave@example.org', 'none'))).toBe(false);
  });
});

describe('bad input', () => {
  test('a roster set with several items is a bad-request and changes nothing', async () => {
    const alice = await connect('alice', 'desk');
    const before = versionOf(await getRoster(alice));
    const reply = await setItem(alice, "<item jid='x@example.org'/><item jid='y@example.org'/>");
    expect(reply.attrs.type).toBe('error');
    expect(errorCondition(reply)).toBe('bad-request');
    const after = await getRoster(alice);
    expect(versionOf(after)).toBe(before);
    expect(itemsOf(after).size).toBe(0);
  });

  test("a roster set addressed to another account is forbidden and that roster is untouched (§2.3.3)", async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    const before = versionOf(await getRoster(bob));
    const reply = await ask(alice, (id) => `<iq type='set' id='${id}' to='bob@localhost'><query xmlns='jabber:iq:roster'><item jid='mallory@example.org'/></query></iq>`);
    expect(errorCondition(reply)).toBe('forbidden');
    const get = await ask(alice, (id) => `<iq type='get' id='${id}' to='bob@localhost'><query xmlns='jabber:iq:roster'/></iq>`);
    expect(errorCondition(get)).toBe('service-unavailable');
    await sync(bob);
    expect(bob.received.some(isPush('mallory@example.org', 'none'))).toBe(false);
    const after = await getRoster(bob);
    expect(versionOf(after)).toBe(before);
    expect(itemsOf(after).size).toBe(0);
  });

  test("a stanza claiming another user's from closes the stream (RFC 6120 §4.9.3.9)", async () => {
    const alice = await connect('alice', 'desk');
    alice.send("<iq type='set' id='spoof' from='bob@localhost'><query xmlns='jabber:iq:roster'><item jid='mallory@example.org'/></query></iq>");
    expect(await alice.streamError()).toBe('invalid-from');
    const bob = await connect('bob', 'phone');
    expect(itemsOf(await getRoster(bob)).size).toBe(0);
  });

  test.each([
    ['an empty group', 'not-acceptable', "<item jid='x@example.org'><group></group></item>"],
    ['the same group twice', 'bad-request', "<item jid='x@example.org'><group>A</group><group>A</group></item>"],
    ['a full JID', 'bad-request', "<item jid='x@example.org/res'/>"],
    ['the owner itself', 'not-allowed', "<item jid='alice@localhost'/>"],
    ['removing an unknown item', 'item-not-found', "<item jid='nobody@example.org' subscription='remove'/>"],
  ])('%s is refused with %s and nothing changes', async (_name, condition, item) => {
    const alice = await connect('alice', 'desk');
    const before = versionOf(await getRoster(alice));
    const reply = await setItem(alice, item);
    expect(errorCondition(reply)).toBe(condition);
    expect(versionOf(await getRoster(alice))).toBe(before);
  });

  test('max_roster_size bounds the roster (policy-violation); updating an item still works', async () => {
    const alice = await connect('alice', 'desk');
    for (const name of ['a', 'b', 'c']) expect((await setItem(alice, `<item jid='${name}@example.org'/>`)).attrs.type).toBe('result');
    expect(errorCondition(await setItem(alice, "<item jid='d@example.org'/>"))).toBe('policy-violation');
    expect((await setItem(alice, "<item jid='a@example.org' name='A'/>")).attrs.type).toBe('result');
    expect([...itemsOf(await getRoster(alice)).keys()].sort()).toEqual(['a@example.org', 'b@example.org', 'c@example.org']);
  });

  test('subscription stanzas to yourself change nothing and go nowhere', async () => {
    const alice = await connect('alice', 'desk');
    const other = await connect('alice', 'other');
    const before = versionOf(await getRoster(alice));
    for (const client of [alice, other]) {
      client.send('<presence/>');
      await client.waitFor(isPresence(`alice@localhost/${client === alice ? 'desk' : 'other'}`));
    }
    for (const type of ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']) alice.send(`<presence to='alice@localhost' type='${type}'/>`);
    await sync(alice);
    await sync(other);
    for (const client of [alice, other]) {
      expect(client.received.some((el) => el.name === 'presence' && ['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed', 'error'].includes(String(el.attrs.type)))).toBe(false);
    }
    const after = await getRoster(alice);
    expect(versionOf(after)).toBe(before);
    expect(itemsOf(after).size).toBe(0);
  });

  test('presence of an unknown type is a bad-request and reaches nobody', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    bob.send('<presence/>');
    await bob.waitFor(isPresence('bob@localhost/phone'));
    alice.send("<presence to='bob@localhost' type='bogus' id='p1'/>");
    const reply = await alice.waitFor((el) => el.name === 'presence' && el.attrs.id === 'p1');
    expect(errorCondition(reply)).toBe('bad-request');
    await sync(bob);
    expect(bob.received.some((el) => el.name === 'presence' && el.attrs.type === 'bogus')).toBe(false);
  });

  test('stanzas to the full JID of an offline resource: iq bounces, presence vanishes', async () => {
    const alice = await connect('alice', 'desk');
    const bob = await connect('bob', 'phone');
    bob.send('<presence/>');
    const reply = await ask(alice, (id) => `<iq type='get' id='${id}' to='bob@localhost/gone'><ping xmlns='urn:xmpp:ping'/></iq>`);
    expect(errorCondition(reply)).toBe('service-unavailable');
    alice.send("<presence to='bob@localhost/gone'/>");
    await sync(alice);
    await sync(bob);
    expect(bob.received.some(isPresence('alice@localhost/desk'))).toBe(false);
    expect(alice.received.some((el) => el.name === 'presence' && el.attrs.type === 'error')).toBe(false);
  });
});
