/** History and subject (XEP-0045 §7.2.13–§7.2.15, §8.1) and life in a room (§7.4–§7.7, §7.14, XEP-0410). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, SERVICE, since, statusCodes, sync, users,
} from '../helpers/muc-harness.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
let dave: RawClient;

beforeAll(async () => {
  server = await startTestServer({
    users: users('alice', 'bob', 'carol', 'dave'),
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { max_history_messages: 4, muc_room_default_history_length: 4 })],
  });
  [alice, bob, carol, dave] = await Promise.all([
    login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'),
    login(server.port, 'carol', 'laptop'), login(server.port, 'dave', 'tablet'),
  ]);
});
afterAll(async () => {
  for (const client of [alice, bob, carol, dave]) client?.close();
  await server.stop();
});

const groupchat = (room: string, id: string, body: string): string =>
  `<message to='${room}@${SERVICE}' type='groupchat' id='${id}'><body>${body}</body></message>`;

async function say(client: RawClient, room: string, id: string, body: string): Promise<Element> {
  const seen = client.received.length;
  client.send(groupchat(room, id, body));
  return client.waitFor((el) => el.name === 'message' && el.attrs.id === id, 3000, seen);
}

describe('groupchat (§7.4)', () => {
  beforeAll(async () => {
    await createInstantRoom(alice, 'chat', 'Alice');
    await enter(bob, 'chat', 'Bob');
    await enter(carol, 'chat', 'Carol');
  });

  test('a message is reflected from the occupant JID to every occupant, keeping its id', async () => {
    const seenBob = bob.received.length;
    const seenCarol = carol.received.length;
    const echo = await say(alice, 'chat', 'g1', 'hello room');
    const toBob = await bob.waitFor((el) => el.attrs.id === 'g1', 3000, seenBob);
    const toCarol = await carol.waitFor((el) => el.attrs.id === 'g1', 3000, seenCarol);
    for (const [message, to] of [[echo, 'alice@localhost/desk'], [toBob, 'bob@localhost/phone'], [toCarol, 'carol@localhost/laptop']] as const) {
      expect(message.attrs).toMatchObject({ from: `chat@${SERVICE}/Alice`, to, type: 'groupchat' });
      expect(message.getChildText('body')).toBe('hello room');
      expect(message.getChild('occupant-id', 'urn:xmpp:occupant-id:0')).toBeDefined();
    }
  });

  test('a forged occupant id is replaced by the real one', async () => {
    const seen = bob.received.length;
    alice.send(`<message to='chat@${SERVICE}' type='groupchat' id='forged'><body>x</body><occupant-id xmlns='urn:xmpp:occupant-id:0' id='fake'/></message>`);
    const got = await bob.waitFor((el) => el.attrs.id === 'forged', 3000, seen);
    const ids = got.getChildren('occupant-id', 'urn:xmpp:occupant-id:0').map((el) => el.attrs.id);
    expect(ids).toHaveLength(1);
    expect(ids[0]).not.toBe('fake');
  });

  test('a non-occupant gets not-acceptable and nothing is broadcast', async () => {
    const seenBob = bob.received.length;
    const refused = await say(dave, 'chat', 'g-out', 'let me in');
    expect(refused.attrs.type).toBe('error');
    expect(errorCondition(refused)).toBe('not-acceptable');
    await sync(bob);
    expect(since(bob, seenBob).some((el) => el.attrs.id === 'g-out')).toBe(false);
  });

  test('a visitor in a moderated room gets forbidden', async () => {
    await createInstantRoom(alice, 'stage', 'Alice');
    expect((await configure(alice, 'stage', { 'muc#roomconfig_moderatedroom': '1' })).attrs.type).toBe('result');
    const self = await enter(dave, 'stage', 'Dave');
    expect(item(self)?.attrs.role).toBe('visitor');
    const refused = await say(dave, 'stage', 'g-visitor', 'can I speak?');
    expect(errorCondition(refused)).toBe('forbidden');
  });
});

describe('history and subject (§7.2.13–§7.2.15, §8.1)', () => {
  beforeAll(async () => {
    await createInstantRoom(alice, 'log', 'Alice');
    await enter(bob, 'log', 'Bob');
    for (let i = 1; i <= 6; i++) await say(i % 2 === 0 ? bob : alice, 'log', `h${i}`, `line ${i}`);
  });

  test('a joiner without limits gets max_history_messages messages with delay stamped by the room, then the empty subject', async () => {
    const seen = carol.received.length;
    await enter(carol, 'log', 'Carol');
    const after = since(carol, seen);
    const self = after.findIndex((el) => statusCodes(el).includes(110));
    const history = after.filter((el) => el.name === 'message' && el.getChild('body') !== undefined);
    expect(history.map((m) => m.getChildText('body'))).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
    const delay = history[0]!.getChild('delay', 'urn:xmpp:delay');
    expect(delay?.attrs.from).toBe(`log@${SERVICE}`);
    expect(Number.isNaN(Date.parse(String(delay?.attrs.stamp)))).toBe(false);
    expect(history[1]!.attrs.from).toBe(`log@${SERVICE}/Bob`);
    const subject = after[after.length - 1]!;
    expect(subject.getChild('subject')?.getText()).toBe('');
    expect(after.indexOf(history[0]!)).toBeGreaterThan(self);
    await ask(carol, (id) => `<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
    carol.send(`<presence to='log@${SERVICE}/Carol' type='unavailable'/>`);
    await carol.waitFor((el) => el.attrs.type === 'unavailable' && statusCodes(el).includes(110), 3000, seen);
  });

  test('maxstanzas, maxchars and since limit the history', async () => {
    const count = async (history: string): Promise<string[]> => {
      const seen = dave.received.length;
      await enter(dave, 'log', 'Dave', { history });
      const bodies = since(dave, seen).filter((el) => el.name === 'message' && el.getChild('body') !== undefined).map((m) => String(m.getChildText('body')));
      const leaveSeen = dave.received.length;
      dave.send(`<presence to='log@${SERVICE}/Dave' type='unavailable'/>`);
      await dave.waitFor((el) => el.attrs.type === 'unavailable' && statusCodes(el).includes(110), 3000, leaveSeen);
      return bodies;
    };
    expect(await count("maxstanzas='2'")).toEqual(['line 5', 'line 6']);
    expect(await count("maxchars='0'")).toEqual([]);
    expect(await count("since='2999-01-01T00:00:00Z'")).toEqual([]);
    expect(await count("seconds='3600'")).toEqual(['line 3', 'line 4', 'line 5', 'line 6']);
  });

  test('historylength above max_history_messages is not-acceptable', async () => {
    const reply = await configure(alice, 'log', { 'muc#roomconfig_historylength': '5' });
    expect(errorCondition(reply)).toBe('not-acceptable');
  });

  test('a participant may not change the subject unless changesubject; a moderator may; joiners get it last', async () => {
    const seen = bob.received.length;
    bob.send(`<message to='log@${SERVICE}' type='groupchat' id='subj-bob'><subject>Bob's topic</subject></message>`);
    expect(errorCondition(await bob.waitFor((el) => el.attrs.id === 'subj-bob', 3000, seen))).toBe('forbidden');
    alice.send(`<message to='log@${SERVICE}' type='groupchat' id='subj-alice'><subject>Tea at five</subject></message>`);
    const broadcast = await bob.waitFor((el) => el.attrs.id === 'subj-alice', 3000, seen);
    expect(broadcast.attrs.from).toBe(`log@${SERVICE}/Alice`);
    expect(broadcast.getChildText('subject')).toBe('Tea at five');
    expect((await configure(alice, 'log', { 'muc#roomconfig_changesubject': '1' })).attrs.type).toBe('result');
    bob.send(`<message to='log@${SERVICE}' type='groupchat' id='subj-bob2'><subject>Coffee instead</subject></message>`);
    expect((await bob.waitFor((el) => el.attrs.id === 'subj-bob2', 3000, seen)).attrs.type).toBe('groupchat');
    const seenCarol = carol.received.length;
    await enter(carol, 'log', 'Carol2');
    const last = since(carol, seenCarol).at(-1)!;
    expect(last.getChildText('subject')).toBe('Coffee instead');
    expect(last.attrs.from).toBe(`log@${SERVICE}/Bob`);
  });
});

describe('private messages and iq between occupants (§7.5, XEP-0410)', () => {
  beforeAll(async () => {
    await createInstantRoom(alice, 'pm', 'Alice');
    await enter(bob, 'pm', 'Bob');
    await enter(carol, 'pm', 'Carol');
  });

  test('a private message goes from the occupant JID with a muc#user x; an unknown nick is item-not-found', async () => {
    const seen = bob.received.length;
    carol.send(`<message to='pm@${SERVICE}/Bob' type='chat' id='pm1'><body>psst</body></message>`);
    const got = await bob.waitFor((el) => el.attrs.id === 'pm1', 3000, seen);
    expect(got.attrs).toMatchObject({ from: `pm@${SERVICE}/Carol`, to: 'bob@localhost/phone', type: 'chat' });
    expect(got.getChild('x', 'http://jabber.org/protocol/muc#user')).toBeDefined();
    const seenCarol = carol.received.length;
    carol.send(`<message to='pm@${SERVICE}/Nobody' type='chat' id='pm2'><body>?</body></message>`);
    expect(errorCondition(await carol.waitFor((el) => el.attrs.id === 'pm2', 3000, seenCarol))).toBe('item-not-found');
  });

  test('allowpm none refuses private messages; groupchat to an occupant is bad-request', async () => {
    expect((await configure(alice, 'pm', { 'muc#roomconfig_allowpm': 'none' })).attrs.type).toBe('result');
    const seen = carol.received.length;
    carol.send(`<message to='pm@${SERVICE}/Bob' type='chat' id='pm3'><body>psst</body></message>`);
    expect(errorCondition(await carol.waitFor((el) => el.attrs.id === 'pm3', 3000, seen))).toBe('forbidden');
    carol.send(`<message to='pm@${SERVICE}/Bob' type='groupchat' id='pm4'><body>psst</body></message>`);
    expect(errorCondition(await carol.waitFor((el) => el.attrs.id === 'pm4', 3000, seen))).toBe('bad-request');
    expect((await configure(alice, 'pm', { 'muc#roomconfig_allowpm': 'anyone' })).attrs.type).toBe('result');
  });

  test('an iq to an occupant reaches its session from the requester occupant JID, and the answer comes back', async () => {
    const seenBob = bob.received.length;
    const pending = ask(carol, (id) => `<iq type='get' id='${id}' to='pm@${SERVICE}/Bob'><query xmlns='jabber:iq:version'/></iq>`);
    const request = await bob.waitFor((el) => el.name === 'iq' && el.attrs.type === 'get', 3000, seenBob);
    expect(request.attrs.from).toBe(`pm@${SERVICE}/Carol`);
    expect(request.attrs.to).toBe('bob@localhost/phone');
    bob.send(`<iq type='result' id='${String(request.attrs.id)}' to='pm@${SERVICE}/Carol'><query xmlns='jabber:iq:version'><name>BobClient</name></query></iq>`);
    const answer = await pending;
    expect(answer.attrs).toMatchObject({ type: 'result', from: `pm@${SERVICE}/Bob` });
    expect(answer.getChild('query')?.getChildText('name')).toBe('BobClient');
  });

  test('self-ping is answered by the room; a non-occupant pinging gets not-acceptable', async () => {
    const pong = await ask(carol, (id) => `<iq type='get' id='${id}' to='pm@${SERVICE}/Carol'><ping xmlns='urn:xmpp:ping'/></iq>`);
    expect(pong.attrs).toMatchObject({ type: 'result', from: `pm@${SERVICE}/Carol` });
    const stranger = await ask(dave, (id) => `<iq type='get' id='${id}' to='pm@${SERVICE}/Carol'><ping xmlns='urn:xmpp:ping'/></iq>`);
    expect(errorCondition(stranger)).toBe('not-acceptable');
  });
});

describe('presence in the room (§7.6, §7.7, §7.14)', () => {
  beforeAll(async () => {
    await createInstantRoom(alice, 'moves', 'Alice');
    await enter(bob, 'moves', 'Bob');
    await enter(carol, 'moves', 'Carol');
  });

  test('a presence update is broadcast with show and status', async () => {
    const seen = alice.received.length;
    bob.send(`<presence to='moves@${SERVICE}/Bob'><show>away</show><status>lunch</status></presence>`);
    const got = await alice.waitFor((el) => el.attrs.from === `moves@${SERVICE}/Bob` && el.getChildText('show') === 'away', 3000, seen);
    expect(got.getChildText('status')).toBe('lunch');
    const self = await bob.waitFor((el) => el.getChildText('show') === 'away' && statusCodes(el).includes(110), 3000);
    expect(self.attrs.from).toBe(`moves@${SERVICE}/Bob`);
  });

  test('a nick change: unavailable with the new nick and 303, then presence from the new nick', async () => {
    const seenAlice = alice.received.length;
    const seenBob = bob.received.length;
    bob.send(`<presence to='moves@${SERVICE}/Robert'/>`);
    const selfNew = await bob.waitFor((el) => el.attrs.from === `moves@${SERVICE}/Robert` && statusCodes(el).includes(110), 3000, seenBob);
    const bobSaw = since(bob, seenBob).filter((el) => el.name === 'presence');
    expect(statusCodes(bobSaw[0]!)).toEqual([110, 303]);
    expect(item(bobSaw[0]!)?.attrs.nick).toBe('Robert');
    expect(bobSaw[0]!.attrs.type).toBe('unavailable');
    expect(bobSaw.indexOf(selfNew)).toBe(1);
    const aliceSaw = await alice.waitFor((el) => el.attrs.from === `moves@${SERVICE}/Robert`, 3000, seenAlice);
    const old = since(alice, seenAlice).find((el) => el.attrs.from === `moves@${SERVICE}/Bob`)!;
    expect(statusCodes(old)).toEqual([303]);
    expect(since(alice, seenAlice).indexOf(old)).toBeLessThan(since(alice, seenAlice).indexOf(aliceSaw));
    const conflict = await join(bob, 'moves', 'carol');
    expect(errorCondition(conflict)).toBe('conflict');
  });

  test('leaving: 110 to the leaver, unavailable to the others', async () => {
    const seenAlice = alice.received.length;
    const seenCarol = carol.received.length;
    carol.send(`<presence to='moves@${SERVICE}/Carol' type='unavailable'><status>bye</status></presence>`);
    const self = await carol.waitFor((el) => el.attrs.type === 'unavailable', 3000, seenCarol);
    expect(statusCodes(self)).toEqual([110]);
    expect(item(self)?.attrs.role).toBe('none');
    const other = await alice.waitFor((el) => el.attrs.from === `moves@${SERVICE}/Carol` && el.attrs.type === 'unavailable', 3000, seenAlice);
    expect(statusCodes(other)).toEqual([]);
    expect(other.getChildText('status')).toBe('bye');
  });

  test('an occupant whose session ends is removed and the others see it', async () => {
    const eve = await login(server.port, 'dave', 'ephemeral');
    await enter(eve, 'moves', 'Ghost');
    const seen = alice.received.length;
    eve.close();
    const gone = await alice.waitFor((el) => el.attrs.from === `moves@${SERVICE}/Ghost` && el.attrs.type === 'unavailable', 3000, seen);
    expect(item(gone)?.attrs.role).toBe('none');
    expect((await join(carol, 'moves', 'Ghost')).attrs.type).toBeUndefined();
  });
});

describe('bounces from occupants (ghosts)', () => {
  test('an error of a kickable kind removes the occupant with 333; other errors do not', async () => {
    await createInstantRoom(alice, 'ghosts', 'Alice');
    await enter(dave, 'ghosts', 'Dave');
    await sync(alice);
    const seen = alice.received.length;
    const error = (condition: string) => `<message to='ghosts@${SERVICE}' type='error'><error type='cancel'><${condition} xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>`;
    dave.send(error('not-acceptable'));
    await sync(dave);
    await sync(alice);
    expect(since(alice, seen).filter((el) => el.name === 'presence')).toEqual([]);
    dave.send(error('service-unavailable'));
    const gone = await alice.waitFor((el) => el.attrs.from === `ghosts@${SERVICE}/Dave` && el.attrs.type === 'unavailable', 3000, seen);
    expect(statusCodes(gone)).toEqual([333]);
  });
});
