/**
 * Message Carbons (XEP-0280) over real sockets, raw XML: enabling, received copies for messages
 * to the bare and to a full JID, sent copies, `<private/>` and the no-copy hint, disabling, and
 * MUC traffic that is never copied.
 *
 * A carbon that must not come is checked with a marker: a later message that is copied. A
 * sender's stream is handled strictly in order, so once the marker's carbon arrives, a carbon of
 * the message before it would have arrived first.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { createInstantRoom, enter } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask } from '../helpers/roster-raw.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const CARBONS = 'urn:xmpp:carbons:2';
const FORWARD = 'urn:xmpp:forward:0';

const fixture = rawServerPerTest();

/** Logs in, sends initial presence with `priority` and waits for its echo. */
function online(user: string, resource: string, priority = 0): Promise<RawClient> {
  return rawOnline(fixture, user, resource, `<presence><priority>${priority}</priority></presence>`);
}

async function setCarbons(client: RawClient, action: 'enable' | 'disable'): Promise<Element> {
  return ask(client, (id) => `<iq type='set' id='${id}'><${action} xmlns='${CARBONS}'/></iq>`);
}

async function withCarbons(user: string, resource: string, priority = 0): Promise<RawClient> {
  const client = await online(user, resource, priority);
  expect((await setCarbons(client, 'enable')).attrs.type).toBe('result');
  return client;
}

/** The message inside a carbon of `direction`, when `el` is one. */
function carbonOf(el: Element, direction: 'sent' | 'received'): Element | undefined {
  if (el.name !== 'message') return undefined;
  return el.getChild(direction, CARBONS)?.getChild('forwarded', FORWARD)?.getChild('message', 'jabber:client');
}

function isCarbon(direction: 'sent' | 'received', body: string): (el: Element) => boolean {
  return (el) => carbonOf(el, direction)?.getChildText('body') === body;
}

function isMessage(body: string): (el: Element) => boolean {
  return (el) => el.name === 'message' && el.getChildText('body') === body;
}

function carbons(client: RawClient): Element[] {
  return client.received.filter((el) => carbonOf(el, 'sent') !== undefined || carbonOf(el, 'received') !== undefined);
}

function chat(to: string, body: string, extra = ''): string {
  return `<message to='${to}' type='chat'><body>${body}</body>${extra}</message>`;
}

describe('enabling', () => {
  test('the server advertises carbons, and enabling or disabling twice is answered with a result', async () => {
    const alice = await online('alice', 'one');
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='localhost'><query xmlns='http://jabber.org/protocol/disco#info'/></iq>`);
    const features = info.getChild('query')?.getChildren('feature').map((f) => f.attrs.var);
    expect(features).toContain(CARBONS);
    for (const action of ['enable', 'enable', 'disable', 'disable'] as const) {
      const reply = await setCarbons(alice, action);
      expect({ action, type: reply.attrs.type, to: reply.attrs.to }).toEqual({ action, type: 'result', to: 'alice@localhost/one' });
    }
  });

  test('another account can not switch a user\'s carbons', async () => {
    const bob = await online('bob', 'desk');
    const reply = await ask(bob, (id) => `<iq type='set' id='${id}' to='alice@localhost'><enable xmlns='${CARBONS}'/></iq>`);
    expect(reply.attrs.type).toBe('error');
    expect(reply.getChild('error')?.getChild('not-allowed', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBeDefined();
  });
});

describe('received copies', () => {
  test('a message to the bare JID is copied to the enabled resource that the router did not pick', async () => {
    const top = await withCarbons('alice', 'top', 5);
    const low = await withCarbons('alice', 'low', 1);
    const bob = await online('bob', 'desk');
    bob.send(chat('alice@localhost', 'to the account'));

    await top.waitFor(isMessage('to the account'));
    const carbon = await low.waitFor(isCarbon('received', 'to the account'));
    expect(carbon.attrs).toMatchObject({ from: 'alice@localhost', to: 'alice@localhost/low', type: 'chat' });
    expect(carbonOf(carbon, 'received')?.attrs).toMatchObject({ from: 'bob@localhost/desk', to: 'alice@localhost' });
    expect(low.received.some(isMessage('to the account'))).toBe(false);

    bob.send(chat('alice@localhost/low', 'marker'));
    await top.waitFor(isCarbon('received', 'marker'));
    expect(carbons(top).length).toBe(1);
  });

  test('with two resources of equal priority both get the original and neither a carbon', async () => {
    const one = await withCarbons('alice', 'one');
    const two = await withCarbons('alice', 'two');
    const bob = await online('bob', 'desk');
    bob.send(chat('alice@localhost', 'to both'));
    await one.waitFor(isMessage('to both'));
    await two.waitFor(isMessage('to both'));
    bob.send(chat('alice@localhost/one', 'marker'));
    await two.waitFor(isCarbon('received', 'marker'));
    expect(carbons(two).length).toBe(1);
    expect(carbons(one)).toEqual([]);
  });

  test('a message to a full JID is copied to the other enabled resources only', async () => {
    const one = await withCarbons('alice', 'one');
    const two = await withCarbons('alice', 'two');
    const off = await online('alice', 'off');
    const bob = await online('bob', 'desk');
    bob.send(chat('alice@localhost/one', 'to one'));
    await one.waitFor(isMessage('to one'));
    const carbon = await two.waitFor(isCarbon('received', 'to one'));
    expect(carbon.attrs).toMatchObject({ from: 'alice@localhost', to: 'alice@localhost/two' });
    expect(carbonOf(carbon, 'received')?.attrs.to).toBe('alice@localhost/one');
    // The resource that did not enable carbons gets nothing; the one addressed gets no copy.
    bob.send(chat('alice@localhost/off', 'marker'));
    await off.waitFor(isMessage('marker'));
    await one.waitFor(isCarbon('received', 'marker'));
    expect(carbons(off)).toEqual([]);
    expect(carbons(one).length).toBe(1);
  });

  test('a message to an unavailable resource is copied once, as a message to the bare JID', async () => {
    const top = await withCarbons('alice', 'top', 5);
    const low = await withCarbons('alice', 'low', 1);
    const bob = await online('bob', 'desk');
    bob.send(chat('alice@localhost/gone', 'rerouted'));
    await top.waitFor(isMessage('rerouted'));
    await low.waitFor(isCarbon('received', 'rerouted'));
    bob.send(chat('alice@localhost/top', 'marker'));
    await low.waitFor(isCarbon('received', 'marker'));
    expect(carbons(low).length).toBe(2);
  });
});

describe('sent copies', () => {
  test('a message a resource sends is copied to the other enabled resources, not back to the sender', async () => {
    const one = await withCarbons('alice', 'one');
    const two = await withCarbons('alice', 'two');
    const bob = await online('bob', 'desk');
    one.send(chat('bob@localhost', 'from one'));
    await bob.waitFor(isMessage('from one'));
    const carbon = await two.waitFor(isCarbon('sent', 'from one'));
    expect(carbon.attrs).toMatchObject({ from: 'alice@localhost', to: 'alice@localhost/two', type: 'chat' });
    expect(carbonOf(carbon, 'sent')?.attrs).toMatchObject({ from: 'alice@localhost/one', to: 'bob@localhost' });
    two.send(chat('bob@localhost', 'marker'));
    await one.waitFor(isCarbon('sent', 'marker'));
    expect(carbons(one).length).toBe(1);
  });

  test('a sender that did not enable carbons is still copied to the resources that did', async () => {
    const quiet = await online('alice', 'quiet');
    const two = await withCarbons('alice', 'two');
    await online('bob', 'desk');
    quiet.send(chat('bob@localhost', 'from quiet'));
    await two.waitFor(isCarbon('sent', 'from quiet'));
  });
});

describe('opting out', () => {
  test('<private/> and the no-copy hint are not copied, and the recipient gets the message without <private/>', async () => {
    const one = await withCarbons('alice', 'one');
    const two = await withCarbons('alice', 'two');
    const bob = await withCarbons('bob', 'desk');
    const bobTwo = await withCarbons('bob', 'tablet');
    one.send(chat('bob@localhost/desk', 'private', `<private xmlns='${CARBONS}'/>`));
    one.send(chat('bob@localhost/desk', 'no-copy', "<no-copy xmlns='urn:xmpp:hints'/>"));
    one.send(chat('bob@localhost/desk', 'marker'));
    await two.waitFor(isCarbon('sent', 'marker'));
    await bobTwo.waitFor(isCarbon('received', 'marker'));
    expect(carbons(two).length).toBe(1);
    expect(carbons(bobTwo).length).toBe(1);
    const delivered = await bob.waitFor(isMessage('private'));
    expect(delivered.getChild('private', CARBONS)).toBeUndefined();
    expect((await bob.waitFor(isMessage('no-copy'))).getChild('no-copy', 'urn:xmpp:hints')).toBeDefined();
  });

  test('after disabling, a resource gets no more carbons', async () => {
    const one = await withCarbons('alice', 'one');
    const two = await withCarbons('alice', 'two');
    const bob = await online('bob', 'desk');
    bob.send(chat('alice@localhost/one', 'before'));
    await two.waitFor(isCarbon('received', 'before'));
    expect((await setCarbons(two, 'disable')).attrs.type).toBe('result');
    bob.send(chat('alice@localhost/one', 'after'));
    await one.waitFor(isMessage('after'));
    // Enabled again: the marker is copied, the message before it was not.
    await setCarbons(two, 'enable');
    bob.send(chat('alice@localhost/one', 'marker'));
    await two.waitFor(isCarbon('received', 'marker'));
    expect(carbons(two).map((c) => carbonOf(c, 'received')?.getChildText('body'))).toEqual(['before', 'marker']);
  });
});

describe('what is not copied', () => {
  test('groupchat messages and private messages from a room are not copied; headlines neither', async () => {
    const inRoom = await withCarbons('alice', 'laptop');
    const phone = await withCarbons('alice', 'phone');
    const bob = await online('bob', 'desk');
    await createInstantRoom(bob, 'lobby', 'bob');
    await enter(inRoom, 'lobby', 'alice');
    bob.send(`<message to='lobby@conference.localhost' type='groupchat'><body>to the room</body></message>`);
    await inRoom.waitFor((el) => el.attrs.type === 'groupchat' && el.getChildText('body') === 'to the room');
    bob.send(`<message to='lobby@conference.localhost/alice' type='chat'><body>room pm</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>`);
    const pm = await inRoom.waitFor(isMessage('room pm'));
    expect(pm.attrs.from).toBe('lobby@conference.localhost/bob');
    bob.send(`<message to='alice@localhost/laptop' type='headline'><body>news</body></message>`);
    await inRoom.waitFor(isMessage('news'));
    bob.send(chat('alice@localhost/laptop', 'marker'));
    await phone.waitFor(isCarbon('received', 'marker'));
    expect(carbons(phone).length).toBe(1);
    // The user's own private message to an occupant is copied: the other devices see their side.
    inRoom.send(`<message to='lobby@conference.localhost/bob' type='chat'><body>my pm</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>`);
    await phone.waitFor(isCarbon('sent', 'my pm'));
  });
});
