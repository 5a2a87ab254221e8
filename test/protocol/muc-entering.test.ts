/** MUC service discovery and entering rooms (XEP-0045 §6, §7.2, §10.1). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, mucX, SERVICE, since, statusCodes, sync, users,
} from '../helpers/muc-harness.js';

const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const DISCO_ITEMS = 'http://jabber.org/protocol/disco#items';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
let dave: RawClient;

beforeAll(async () => {
  server = await startTestServer({
    users: users('alice', 'bob', 'carol', 'dave'),
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { muc_room_lock_timeout: 1 })],
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

const features = (query: Element | undefined): string[] => (query?.getChildren('feature') ?? []).map((f) => String(f.attrs.var));

describe('service discovery (§6)', () => {
  test('the service is conference/text with the MUC feature, and the user host lists it', async () => {
    const info = await ask(alice, (id) => `<iq type='get' id='${id}' to='${SERVICE}'><query xmlns='${DISCO_INFO}'/></iq>`);
    const query = info.getChild('query', DISCO_INFO);
    expect(query?.getChild('identity')?.attrs).toMatchObject({ category: 'conference', type: 'text' });
    expect(features(query)).toContain('http://jabber.org/protocol/muc');
    const items = await ask(alice, (id) => `<iq type='get' id='${id}' to='localhost'><query xmlns='${DISCO_ITEMS}'/></iq>`);
    expect(items.getChild('query')?.getChildren('item').map((i) => i.attrs.jid)).toContain(SERVICE);
  });

  test('a non-existent room is item-not-found for disco#info and disco#items', async () => {
    for (const ns of [DISCO_INFO, DISCO_ITEMS]) {
      const reply = await ask(alice, (id) => `<iq type='get' id='${id}' to='nowhere@${SERVICE}'><query xmlns='${ns}'/></iq>`);
      expect(reply.attrs.type).toBe('error');
      expect(errorCondition(reply)).toBe('item-not-found');
    }
  });

  test('disco#items lists public rooms, not hidden or locked ones; room disco#info has muc_* features and the roominfo form', async () => {
    await createInstantRoom(alice, 'lounge', 'Alice');
    expect((await configure(alice, 'lounge', { 'muc#roomconfig_roomname': 'The Lounge', 'muc#roomconfig_roomdesc': 'Chat' })).attrs.type).toBe('result');
    await createInstantRoom(alice, 'hideout', 'Alice');
    expect((await configure(alice, 'hideout', { 'muc#roomconfig_publicroom': '0' })).attrs.type).toBe('result');
    await enter(bob, 'lockedroom', 'Bob'); // stays locked
    const items = await ask(carol, (id) => `<iq type='get' id='${id}' to='${SERVICE}'><query xmlns='${DISCO_ITEMS}'/></iq>`);
    const listed = items.getChild('query')?.getChildren('item') ?? [];
    expect(listed.find((i) => i.attrs.jid === `lounge@${SERVICE}`)?.attrs.name).toBe('The Lounge');
    expect(listed.map((i) => i.attrs.jid)).not.toContain(`hideout@${SERVICE}`);
    expect(listed.map((i) => i.attrs.jid)).not.toContain(`lockedroom@${SERVICE}`);
    const info = await ask(carol, (id) => `<iq type='get' id='${id}' to='lounge@${SERVICE}'><query xmlns='${DISCO_INFO}'/></iq>`);
    const query = info.getChild('query', DISCO_INFO)!;
    expect(query.getChild('identity')?.attrs).toMatchObject({ category: 'conference', type: 'text', name: 'The Lounge' });
    expect(features(query)).toEqual(expect.arrayContaining([
      'http://jabber.org/protocol/muc', 'muc_public', 'muc_temporary', 'muc_open', 'muc_unmoderated', 'muc_semianonymous', 'muc_unsecured',
      'urn:xmpp:occupant-id:0', 'jabber:iq:register',
    ]));
    const form = query.getChild('x', 'jabber:x:data')!;
    const field = (name: string) => form.getChildren('field').find((f) => f.attrs.var === name)?.getChildText('value');
    expect(field('FORM_TYPE')).toBe('http://jabber.org/protocol/muc#roominfo');
    expect(field('muc#roominfo_description')).toBe('Chat');
    expect(field('muc#roominfo_occupants')).toBe('1');
    await ask(bob, (id) => `<iq type='set' id='${id}' to='lockedroom@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='cancel'/></query></iq>`);
  });
});

describe('creating a room (§10.1)', () => {
  test('the first join gets 201 and 110 and owner/moderator; others get item-not-found until it is configured', async () => {
    const self = await join(alice, 'fresh', 'Alice', { id: 'j1' });
    expect(self.attrs.from).toBe(`fresh@${SERVICE}/Alice`);
    expect(statusCodes(self)).toEqual(expect.arrayContaining([110, 201]));
    expect(item(self)?.attrs).toMatchObject({ affiliation: 'owner', role: 'moderator', jid: 'alice@localhost/desk' });
    const refused = await join(bob, 'fresh', 'Bob', { id: 'j2' });
    expect(refused.attrs).toMatchObject({ type: 'error', id: 'j2', from: `fresh@${SERVICE}/Bob` });
    expect(errorCondition(refused)).toBe('item-not-found');
    expect((await ask(alice, (id) => `<iq type='set' id='${id}' to='fresh@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>`)).attrs.type).toBe('result');
    const admitted = await join(bob, 'fresh', 'Bob');
    expect(admitted.attrs.type).toBeUndefined();
    expect(item(admitted)?.attrs).toMatchObject({ affiliation: 'none', role: 'participant' });
  });

  test('a join without the MUC extension creates an unlocked room (no 201 lock)', async () => {
    const self = await join(carol, 'oldstyle', 'Carol', { bare: true });
    expect(statusCodes(self)).toContain(110);
    expect((await join(dave, 'oldstyle', 'Dave')).attrs.type).toBeUndefined();
  });

  test('an unconfigured locked room is destroyed after muc_room_lock_timeout', async () => {
    const seen = dave.received.length;
    await join(dave, 'forgotten', 'Dave');
    const gone = await dave.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && mucX(el)?.getChild('destroy') !== undefined, 4000, seen);
    expect(gone.attrs.from).toBe(`forgotten@${SERVICE}/Dave`);
    const info = await ask(dave, (id) => `<iq type='get' id='${id}' to='forgotten@${SERVICE}'><query xmlns='${DISCO_INFO}'/></iq>`);
    expect(errorCondition(info)).toBe('item-not-found');
  });
});

describe('entering an existing room (§7.2)', () => {
  test('the occupant list comes first, the self-presence with 110 last; others see the newcomer once', async () => {
    await createInstantRoom(alice, 'tea', 'Alice');
    await enter(bob, 'tea', 'Bob');
    await sync(alice);
    const seenAlice = alice.received.length;
    const seenBob = bob.received.length;
    const seenCarol = carol.received.length;
    await enter(carol, 'tea', 'Carol');
    const presences = since(carol, seenCarol).filter((el) => el.name === 'presence');
    expect(presences.map((p) => p.attrs.from)).toEqual([`tea@${SERVICE}/Alice`, `tea@${SERVICE}/Bob`, `tea@${SERVICE}/Carol`]);
    expect(statusCodes(presences[2]!)).toEqual([110]);
    expect(statusCodes(presences[0]!)).toEqual([]);
    // Semi-anonymous: a participant sees no real JIDs, the moderator does.
    expect(item(presences[0]!)?.attrs.jid).toBeUndefined();
    await sync(alice);
    await sync(bob);
    const toAlice = since(alice, seenAlice).filter((el) => el.name === 'presence');
    const toBob = since(bob, seenBob).filter((el) => el.name === 'presence');
    expect(toAlice.map((p) => p.attrs.from)).toEqual([`tea@${SERVICE}/Carol`]);
    expect(item(toAlice[0]!)?.attrs.jid).toBe('carol@localhost/laptop');
    expect(toBob.map((p) => p.attrs.from)).toEqual([`tea@${SERVICE}/Carol`]);
    expect(item(toBob[0]!)?.attrs.jid).toBeUndefined();
    expect(presences[2]!.getChild('occupant-id', 'urn:xmpp:occupant-id:0')?.attrs.id).toBe(toAlice[0]!.getChild('occupant-id', 'urn:xmpp:occupant-id:0')?.attrs.id);
  });

  test('the occupant id is stable per room and user, and differs between users and rooms', async () => {
    const id = (el: Element) => el.getChild('occupant-id', 'urn:xmpp:occupant-id:0')?.attrs.id as string;
    const first = await join(dave, 'tea', 'Dave');
    await sync(dave);
    dave.send(`<presence to='tea@${SERVICE}/Dave' type='unavailable'/>`);
    await dave.waitFor((el) => el.attrs.type === 'unavailable' && statusCodes(el).includes(110), 3000, dave.received.indexOf(first));
    const again = await join(dave, 'tea', 'Dave2');
    expect(id(again)).toBe(id(first));
    const elsewhere = await join(dave, 'lounge', 'Dave');
    expect(id(elsewhere)).not.toBe(id(first));
    const aliceThere = dave.received.find((el) => el.name === 'presence' && el.attrs.from === `tea@${SERVICE}/Alice`);
    expect(id(aliceThere!)).not.toBe(id(first));
  });

  test('a non-anonymous room sends 100 and shows real JIDs to everyone', async () => {
    await createInstantRoom(alice, 'open-book', 'Alice');
    expect((await configure(alice, 'open-book', { 'muc#roomconfig_whois': 'anyone' })).attrs.type).toBe('result');
    const seen = bob.received.length;
    const self = await join(bob, 'open-book', 'Bob');
    expect(statusCodes(self)).toEqual([100, 110]);
    const alicePresence = since(bob, seen).find((el) => el.attrs.from === `open-book@${SERVICE}/Alice`);
    expect(item(alicePresence!)?.attrs.jid).toBe('alice@localhost/desk');
  });

  test('a nickname the service modifies gets 210', async () => {
    await createInstantRoom(alice, 'spaces', 'Alice');
    const self = await join(bob, 'spaces', '\u2003Bob\u2003');
    expect(self.attrs.from).toBe(`spaces@${SERVICE}/Bob`);
    expect(statusCodes(self)).toEqual([110, 210]);
  });

  test('two sessions of one user share a nickname: others see it once, messages reach both', async () => {
    await createInstantRoom(alice, 'twins', 'Alice');
    await enter(bob, 'twins', 'Bob');
    const bob2 = await login(server.port, 'bob', 'second');
    try {
      const seenAlice = alice.received.length;
      const self = await join(bob2, 'twins', 'Bob');
      expect(statusCodes(self)).toContain(110);
      await sync(alice);
      expect(since(alice, seenAlice).filter((el) => el.name === 'presence')).toEqual([]);
      const seen1 = bob.received.length;
      const seen2 = bob2.received.length;
      alice.send(`<message to='twins@${SERVICE}/Bob' type='chat' id='pm-both'><body>hi both</body></message>`);
      const got1 = await bob.waitFor((el) => el.attrs.id === 'pm-both', 3000, seen1);
      const got2 = await bob2.waitFor((el) => el.attrs.id === 'pm-both', 3000, seen2);
      expect(got1.attrs.from).toBe(`twins@${SERVICE}/Alice`);
      expect(got2.attrs.to).toBe('bob@localhost/second');
    } finally {
      bob2.close();
    }
  });
});

describe('join errors (§7.2)', () => {
  test('a nickname in use by another user is a conflict; no nickname is jid-malformed', async () => {
    await createInstantRoom(alice, 'clash', 'Alice');
    const conflict = await join(bob, 'clash', 'alice');
    expect(errorCondition(conflict)).toBe('conflict');
    const seen = bob.received.length;
    bob.send(`<presence to='clash@${SERVICE}' id='nonick'><x xmlns='http://jabber.org/protocol/muc'/></presence>`);
    const malformed = await bob.waitFor((el) => el.attrs.id === 'nonick', 3000, seen);
    expect(errorCondition(malformed)).toBe('jid-malformed');
  });

  test('invalid nicknames (too long, control or invisible characters) are jid-malformed and leave no trace', async () => {
    await createInstantRoom(alice, 'strict', 'Alice');
    const seenAlice = alice.received.length;
    for (const nick of ['x'.repeat(24), 'bad\u200bnick']) {
      expect(errorCondition(await join(bob, 'strict', nick))).toBe('jid-malformed');
    }
    const seen = bob.received.length;
    // U+009F is a C1 control: allowed in XML 1.0, refused in a JID (RFC 7622 §3.4).
    bob.send(`<presence to='strict@${SERVICE}/a&#x9f;b' id='ctl'/>`);
    expect(errorCondition(await bob.waitFor((el) => el.attrs.id === 'ctl', 3000, seen))).toBe('jid-malformed');
    await sync(alice);
    expect(since(alice, seenAlice).filter((el) => el.name === 'presence')).toEqual([]);
    expect(errorCondition(await join(bob, 'nosuchroom', 'x'.repeat(40)))).toBe('jid-malformed');
    const info = await ask(bob, (id) => `<iq type='get' id='${id}' to='nosuchroom@${SERVICE}'><query xmlns='${DISCO_INFO}'/></iq>`);
    expect(errorCondition(info)).toBe('item-not-found');
  });

  test('password, members-only, banned and full rooms', async () => {
    await createInstantRoom(alice, 'guarded', 'Alice');
    expect((await configure(alice, 'guarded', { 'muc#roomconfig_passwordprotectedroom': '1', 'muc#roomconfig_roomsecret': 's3cret' })).attrs.type).toBe('result');
    const wrong = await join(bob, 'guarded', 'Bob', { password: 'nope' });
    expect(wrong.getChild('error')?.attrs).toMatchObject({ type: 'auth', by: `guarded@${SERVICE}` });
    expect(errorCondition(wrong)).toBe('not-authorized');
    expect((await join(bob, 'guarded', 'Bob', { password: 's3cret' })).attrs.type).toBeUndefined();

    await createInstantRoom(alice, 'club', 'Alice');
    expect((await configure(alice, 'club', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
    expect(errorCondition(await join(carol, 'club', 'Carol'))).toBe('registration-required');

    await createInstantRoom(alice, 'nobans', 'Alice');
    const ban = await ask(alice, (id) => `<iq type='set' id='${id}' to='nobans@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast' jid='carol@localhost'/></query></iq>`);
    expect(ban.attrs.type).toBe('result');
    expect(errorCondition(await join(carol, 'nobans', 'Carol'))).toBe('forbidden');

    await createInstantRoom(alice, 'tiny', 'Alice');
    expect((await configure(alice, 'tiny', { 'muc#roomconfig_maxusers': '2' })).attrs.type).toBe('result');
    await enter(bob, 'tiny', 'Bob');
    expect(errorCondition(await join(carol, 'tiny', 'Carol'))).toBe('service-unavailable');
  });
});
