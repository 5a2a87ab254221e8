/**
 * The subscription handshake (RFC 6121 §3) between two local users over real sockets, with roster
 * pushes to every interested resource (§2.1.6) and presence both ways (§4), including the
 * unavailable presence that follows a clean close or a lost socket (§4.5.2).
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, befriend, getRoster, isPresence, isPush, isSubscriptionStanza, itemsOf, login, sync,
} from '../helpers/roster-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

beforeEach(async () => {
  server = await startTestServer();
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

describe('subscription handshake', () => {
  test('alice adds bob and subscribes, bob approves and subscribes back: both rosters end at both', async () => {
    const one = await online('alice', 'one');
    const two = await online('alice', 'two');
    const bob = await online('bob', 'phone');

    const set = await ask(one, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' name='Bob'><group>Friends</group></item></query></iq>`);
    expect(set.attrs.type).toBe('result');
    for (const alice of [one, two]) {
      const push = await alice.waitFor(isPush('bob@localhost', 'none'));
      // RFC 6121 §2.1.6: the push names the resource it goes to.
      expect(push.attrs.to).toBe(alice === one ? 'alice@localhost/one' : 'alice@localhost/two');
      expect(push.getChild('query', 'jabber:iq:roster')?.attrs.ver).toBeDefined();
    }

    one.send("<presence to='bob@localhost' type='subscribe'><status>hi</status></presence>");
    for (const alice of [one, two]) await alice.waitFor(isPush('bob@localhost', 'none', 'subscribe'));
    const request = await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'subscribe');
    // §3.1.2: stamped with alice's bare JID, content kept.
    expect(request.attrs.from).toBe('alice@localhost');
    expect(request.getChildText('status')).toBe('hi');

    bob.send("<presence to='alice@localhost' type='subscribed'/>");
    await bob.waitFor(isPush('alice@localhost', 'from'));
    for (const alice of [one, two]) {
      await alice.waitFor(isPush('bob@localhost', 'to'));
      // §3.1.5: bob's current presence follows the approval.
      await alice.waitFor(isPresence('bob@localhost/phone'));
    }

    bob.send("<presence to='alice@localhost' type='subscribe'/>");
    await bob.waitFor(isPush('alice@localhost', 'from', 'subscribe'));
    // §3.1.3: a request reaches every available resource.
    for (const alice of [one, two]) await alice.waitFor((el) => el.name === 'presence' && el.attrs.type === 'subscribe' && el.attrs.from === 'bob@localhost');
    two.send("<presence to='bob@localhost' type='subscribed'/>");
    for (const alice of [one, two]) await alice.waitFor(isPush('bob@localhost', 'both'));
    await bob.waitFor(isPush('alice@localhost', 'both'));
    await bob.waitFor(isPresence('alice@localhost/one'));
    await bob.waitFor(isPresence('alice@localhost/two'));

    for (const alice of [one, two]) {
      expect(itemsOf(await getRoster(alice)).get('bob@localhost')).toEqual({ subscription: 'both', ask: undefined, name: 'Bob', groups: ['Friends'] });
    }
    expect(itemsOf(await getRoster(bob)).get('alice@localhost')).toEqual({ subscription: 'both', ask: undefined, name: undefined, groups: [] });
  });
});

describe('presence between contacts', () => {
  test('a contact logging in later gets the presence of the one already online (probe answered, §4.3.2)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    clients.splice(clients.indexOf(bob), 1);
    bob.close();
    await alice.waitFor(isPresence('bob@localhost/phone', 'unavailable'));
    const again = await online('bob', 'tablet');
    await again.waitFor(isPresence('alice@localhost/desk'));
    await alice.waitFor(isPresence('bob@localhost/tablet'));
  });

  test('a clean close sends unavailable to contacts (§4.5.2)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    bob.send('</stream:stream>');
    const gone = await alice.waitFor(isPresence('bob@localhost/phone', 'unavailable'));
    expect(gone.attrs.to).toBe('alice@localhost');
  });

  test('an abrupt socket loss sends unavailable to contacts and to the other resources', async () => {
    const alice = await online('alice', 'desk');
    const laptop = await online('alice', 'laptop');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    await bob.waitFor(isPresence('alice@localhost/laptop'));
    laptop.close();
    await bob.waitFor(isPresence('alice@localhost/laptop', 'unavailable'));
    await alice.waitFor(isPresence('alice@localhost/laptop', 'unavailable'));
    alice.close();
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
  });

  test('a presence update reaches contacts; explicit unavailable carries its status', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    alice.send('<presence><show>away</show></presence>');
    await bob.waitFor((el) => isPresence('alice@localhost/desk')(el) && el.getChildText('show') === 'away');
    alice.send("<presence type='unavailable'><status>bye</status></presence>");
    const gone = await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    expect(gone.getChildText('status')).toBe('bye');
  });

  test('directed presence to a non-contact is followed by unavailable when the session ends (§4.6.3)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    alice.send("<presence to='bob@localhost/phone'><status>psst</status></presence>");
    await bob.waitFor(isPresence('alice@localhost/desk'));
    alice.close();
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
  });
});

describe('requests and cancellations', () => {
  test('a request to an offline user is delivered, with a delay stamp, at each login until answered (§3.1.3)', async () => {
    const alice = await online('alice', 'desk');
    alice.send("<presence to='bob@localhost' type='subscribe'><status>remember me</status></presence>");
    await alice.waitFor(isPush('bob@localhost', 'none', 'subscribe'));
    const bob = await online('bob', 'phone');
    const request = await bob.waitFor(isSubscriptionStanza('subscribe', 'alice@localhost'));
    expect(request.getChildText('status')).toBe('remember me');
    expect(request.getChild('delay', 'urn:xmpp:delay')?.attrs.from).toBe('localhost');
    // The request never creates an item in bob's roster (§3.1.3).
    expect(itemsOf(await getRoster(bob)).size).toBe(0);
    bob.close();
    const again = await online('bob', 'tablet');
    await again.waitFor(isSubscriptionStanza('subscribe', 'alice@localhost'));
    again.send("<presence to='alice@localhost' type='subscribed'/>");
    await alice.waitFor(isPush('bob@localhost', 'to'));
    await alice.waitFor(isPresence('bob@localhost/tablet'));
    again.close();
    // Answered: the next login gets no request.
    const third = await online('bob', 'third');
    await sync(third);
    expect(third.received.some(isSubscriptionStanza('subscribe', 'alice@localhost'))).toBe(false);
  });

  test('a pre-approved request is answered by the server (§3.4)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    bob.send("<presence to='alice@localhost' type='subscribed'/>");
    const approved = await bob.waitFor(isPush('alice@localhost', 'none'));
    expect(approved.getChild('query', 'jabber:iq:roster')?.getChild('item')?.attrs.approved).toBe('true');
    alice.send("<presence to='bob@localhost' type='subscribe'/>");
    await alice.waitFor(isPush('bob@localhost', 'to'));
    await alice.waitFor(isPresence('bob@localhost/phone'));
    await bob.waitFor(isPush('alice@localhost', 'from'));
    await sync(bob);
    expect(bob.received.some(isSubscriptionStanza('subscribe', 'alice@localhost'))).toBe(false);
  });

  test('unsubscribe downgrades both rosters and the contact stops seeing presence (§3.3)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    alice.send("<presence to='bob@localhost' type='unsubscribe'/>");
    await alice.waitFor(isPush('bob@localhost', 'from'));
    await bob.waitFor(isPush('alice@localhost', 'to'));
    // Bob's resources withdraw their presence from alice.
    await alice.waitFor(isPresence('bob@localhost/phone', 'unavailable'));
  });

  test('removing a contact cancels both subscriptions (§2.5.2)', async () => {
    const alice = await online('alice', 'desk');
    const bob = await online('bob', 'phone');
    await befriend(alice, 'alice', bob, 'bob');
    const removed = await ask(alice, (id) => `<iq type='set' id='${id}'><query xmlns='jabber:iq:roster'><item jid='bob@localhost' subscription='remove'/></query></iq>`);
    expect(removed.attrs.type).toBe('result');
    await alice.waitFor(isPush('bob@localhost', 'remove'));
    await bob.waitFor(isPush('alice@localhost', 'none'));
    await bob.waitFor(isPresence('alice@localhost/desk', 'unavailable'));
    expect(itemsOf(await getRoster(alice)).has('bob@localhost')).toBe(false);
  });
});
