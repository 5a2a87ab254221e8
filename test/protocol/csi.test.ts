/**
 * Client State Indication (XEP-0352) with `csi_simple` over real sockets, raw XML. Held stanzas
 * carry a delay stamp from the user's bare JID (XEP-0203): a stanza that went straight through
 * has none, so each stamp proves the stanza waited.
 *
 * Bob's stream is handled strictly in order, so once his ping is answered everything he sent
 * before it has been routed to Alice (written, or held).
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { createInstantRoom, enter } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';
import { sync } from '../helpers/roster-raw.js';
import { waitForLog } from '../helpers/wait-for-log.js';
import { rawOnline, rawServerPerTest } from '../helpers/server-per-test.js';

const CSI = 'urn:xmpp:csi:0';
const DELAY = 'urn:xmpp:delay';
/** The shipped `csi_queue_size` (Prosody's default). */
const QUEUE_SIZE = 256;

const fixture = rawServerPerTest();

function online(user: string, resource: string): Promise<RawClient> {
  return rawOnline(fixture, user, resource);
}

/** Alice's phone, inactive; resolves once the server has taken the nonza. */
async function inactivePhone(): Promise<RawClient> {
  const phone = await online('alice', 'phone');
  phone.send(`<inactive xmlns='${CSI}'/>`);
  await sync(phone);
  return phone;
}

const PHONE = 'alice@localhost/phone';
const presence = (status: string): string => `<presence to='${PHONE}'><status>${status}</status></presence>`;
const chat = (body: string): string => `<message to='${PHONE}' type='chat'><body>${body}</body></message>`;

function held(el: Element): boolean {
  return el.getChild('delay', DELAY)?.attrs.from === 'alice@localhost';
}

function hasStatus(status: string): (el: Element) => boolean {
  return (el) => el.name === 'presence' && el.getChildText('status') === status;
}

/** What `client` received after index `from`, from Bob, in order. */
function fromBob(client: RawClient, from = 0): Element[] {
  return client.received.slice(from).filter((el) => String(el.attrs.from ?? '').startsWith('bob@localhost'));
}

describe('the protocol', () => {
  test('the csi feature is offered after authentication, not before', async () => {
    const phone = await online('alice', 'phone');
    const features = phone.received.filter((el) => el.name === 'stream:features');
    const offered = features.map((f) => f.getChild('csi', CSI) !== undefined);
    // STARTTLS, then SASL, then after authentication (bind).
    expect(offered).toEqual([false, false, true]);
  });

  test('an unknown element in the CSI namespace is still a stream error', async () => {
    const phone = await online('alice', 'phone');
    phone.send(`<asleep xmlns='${CSI}'/>`);
    expect(await phone.streamError()).toBe('unsupported-stanza-type');
  });
});

describe('holding and flushing', () => {
  test('presence updates and chat states wait; a message with a body takes them along, in order', async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    const start = phone.received.length;
    bob.send(presence('one'));
    bob.send(presence('two'));
    bob.send(`<message to='${PHONE}' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    bob.send(chat('wake up'));
    await phone.waitFor((el) => el.getChildText('body') === 'wake up', 3000, start);
    const got = fromBob(phone, start);
    const label = (el: Element): string | undefined => el.getChildText('status') ?? el.getChildText('body') ?? el.getChildElements()[0]?.name;
    expect(got.map(label)).toEqual(['one', 'two', 'composing', 'wake up']);
    expect(got.map(held)).toEqual([true, true, true, false]);
  });

  test('<active/> sends what waited; afterwards nothing waits', async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    bob.send(presence('one'));
    bob.send(presence('two'));
    await sync(bob);
    phone.send(`<active xmlns='${CSI}'/>`);
    await phone.waitFor(hasStatus('two'));
    bob.send(presence('three'));
    await phone.waitFor(hasStatus('three'));
    expect(fromBob(phone).map(held)).toEqual([true, true, false]);
  });

  test('an iq request to the client takes what waited with it', async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    bob.send(presence('one'));
    bob.send(`<iq type='get' id='ping1' to='${PHONE}'><ping xmlns='urn:xmpp:ping'/></iq>`);
    await phone.waitFor((el) => el.name === 'iq' && el.attrs.id === 'ping1');
    expect(fromBob(phone).map((el) => [el.name, held(el)])).toEqual([['presence', true], ['iq', false]]);
  });

  test('the client sending anything takes what waited', async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    bob.send(presence('one'));
    await sync(bob);
    const start = phone.received.length;
    await sync(phone);
    const flushed = phone.received.slice(start).filter(hasStatus('one'));
    expect(flushed.map(held)).toEqual([true]);
  });

  test(`the shipped queue holds ${QUEUE_SIZE} stanzas; one more sends them all`, async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    for (let i = 1; i <= QUEUE_SIZE + 1; i++) bob.send(presence(String(i)));
    await phone.waitFor(hasStatus(String(QUEUE_SIZE + 1)), 5000);
    const got = fromBob(phone);
    expect(got.map((el) => el.getChildText('status'))).toEqual(Array.from({ length: QUEUE_SIZE + 1 }, (_, i) => String(i + 1)));
    expect(got.filter(held).length).toBe(QUEUE_SIZE);
    expect(held(got[QUEUE_SIZE]!)).toBe(false);
  });

  test('room traffic (a fan-out written once for all occupants) waits too; groupchat with a body does not', async () => {
    const phone = await inactivePhone();
    // Still inactive: joining took its presence and the subject through (urgent, or sent by the client's own activity).
    await createInstantRoom(phone, 'lobby', 'alice');
    const start = phone.received.length;
    const bob = await online('bob', 'desk');
    await enter(bob, 'lobby', 'bob');
    bob.send(`<message to='lobby@conference.localhost' type='groupchat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    bob.send(`<message to='lobby@conference.localhost' type='groupchat'><body>hello room</body></message>`);
    await phone.waitFor((el) => el.getChildText('body') === 'hello room', 3000, start);
    const fromRoom = phone.received.slice(start).filter((el) => el.attrs.from === 'lobby@conference.localhost/bob');
    expect(fromRoom.map((el) => [el.name, held(el)])).toEqual([['presence', true], ['message', true], ['message', false]]);
  });

  test('presence that still waits when the session ends is dropped with it', async () => {
    const phone = await inactivePhone();
    const bob = await online('bob', 'desk');
    bob.send(presence('one'));
    bob.send(presence('two'));
    await sync(bob);
    phone.close();
    const line = await waitForLog(fixture.server, (l) => l.msg === 'csi: held stanzas at session end', 3000);
    expect(line.dropped).toBe(2);
    expect(line.reported).toBe(0); // held messages go to offline storage: csi-session-end.test.ts
  });
});
