/**
 * What users can make a MUC service keep is bounded: rooms per user (`muc_max_rooms_per_user`),
 * rooms per service (`muc_max_rooms`), affiliations per room (`muc_max_affiliations`) and history
 * bytes per room (`muc_max_history_bytes`). Real sockets, raw XML.
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import {
  ask, createInstantRoom, enter, errorCondition, join, login, MUC_ADMIN, SERVICE, sync, users, xmlEscape,
} from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server.stop();
});

async function start(mucOptions: Record<string, unknown> = {}, globals: Record<string, unknown> = {}): Promise<void> {
  server = await startTestServer({
    users: users('alice', 'bob', 'carol', 'dave', 'root'),
    globals,
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', mucOptions)],
  });
}

async function connect(user: string): Promise<RawClient> {
  const client = await login(server.port, user, 'r');
  clients.push(client);
  return client;
}

function errorType(el: Element): string | undefined {
  return el.getChild('error')?.attrs.type as string | undefined;
}

function setAffiliations(client: RawClient, room: string, items: Record<string, string>): Promise<Element> {
  const body = Object.entries(items).map(([jid, affiliation]) => `<item jid='${jid}' affiliation='${affiliation}'/>`).join('');
  return ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_ADMIN}'>${body}</query></iq>`);
}

describe('rooms per user (muc_max_rooms_per_user)', () => {
  test('with the shipped bound (100) the 101st room is refused with policy-violation; leaving one makes room', async () => {
    await start();
    const alice = await connect('alice');
    for (let i = 0; i < 100; i++) await enter(alice, `room${i}`, 'Alice');
    const refused = await join(alice, 'room100', 'Alice');
    expect(refused.attrs.type).toBe('error');
    expect([errorCondition(refused), errorType(refused)]).toEqual(['policy-violation', 'modify']);
    // Nothing was created: bob's join makes a new room of his own.
    const bob = await connect('bob');
    await enter(bob, 'room100', 'Bob');
    // Alice leaves a temporary room: it is destroyed, and her count goes down.
    alice.send(`<presence type='unavailable' to='room0@${SERVICE}/Alice'/>`);
    await alice.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `room0@${SERVICE}/Alice`);
    await enter(alice, 'room101', 'Alice');
  }, 30_000);

  test('server admins are not counted', async () => {
    await start({ muc_max_rooms_per_user: 1 }, { admins: ['root@localhost'] });
    const root = await connect('root');
    await enter(root, 'one', 'Root');
    await enter(root, 'two', 'Root');
    const alice = await connect('alice');
    await enter(alice, 'three', 'Alice');
    expect(errorCondition(await join(alice, 'four', 'Alice'))).toBe('policy-violation');
  });
});

describe('rooms per service (muc_max_rooms, Prosody)', () => {
  test('past the bound creation is refused with resource-constraint of type wait; joining an existing room still works', async () => {
    await start({ muc_max_rooms: 2 });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await createInstantRoom(alice, 'first', 'Alice');
    await enter(bob, 'second', 'Bob');
    const refused = await join(bob, 'third', 'Bob');
    expect([errorCondition(refused), errorType(refused), refused.getChild('error')?.attrs.by]).toEqual(['resource-constraint', 'wait', SERVICE]);
    await enter(bob, 'first', 'Bob');
  });
});

describe('affiliations per room (muc_max_affiliations)', () => {
  test('an admin request that would pass the bound changes nothing; one that stays within it applies', async () => {
    await start({ muc_max_affiliations: 3 });
    const alice = await connect('alice');
    await enter(alice, 'club', 'Alice');
    await ask(alice, (id) => `<iq type='set' id='${id}' to='club@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>`);
    expect((await setAffiliations(alice, 'club', { 'bob@localhost': 'member', 'carol@localhost': 'outcast' })).attrs.type).toBe('result');
    const refused = await setAffiliations(alice, 'club', { 'dave@localhost': 'member' });
    expect([errorCondition(refused), errorType(refused)]).toEqual(['policy-violation', 'modify']);
    const list = await ask(alice, (id) => `<iq type='get' id='${id}' to='club@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='member'/></query></iq>`);
    expect(list.getChild('query')?.getChildren('item').map((item) => item.attrs.jid)).toEqual(['bob@localhost']);
    // Removing one and adding one in the same request keeps the count: allowed.
    const swap = await setAffiliations(alice, 'club', { 'carol@localhost': 'none', 'dave@localhost': 'member' });
    expect(swap.attrs.type).toBe('result');
    // Changing an existing entry never grows the lists.
    expect((await setAffiliations(alice, 'club', { 'bob@localhost': 'admin' })).attrs.type).toBe('result');
  });

  test('invitations to a members-only room and registrations stop at the bound', async () => {
    await start({ muc_max_affiliations: 2 });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await enter(alice, 'club', 'Alice');
    const config = await ask(alice, (id) => `<iq type='set' id='${id}' to='club@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'>`
      + `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>`
      + `<field var='muc#roomconfig_membersonly'><value>1</value></field></x></query></iq>`);
    expect(config.attrs.type).toBe('result');
    alice.send(`<message to='club@${SERVICE}' id='inv1'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='bob@localhost'/></x></message>`);
    await sync(alice);
    expect(alice.received.filter((el) => el.attrs.id === 'inv1')).toEqual([]);
    alice.send(`<message to='club@${SERVICE}' id='inv2'><x xmlns='http://jabber.org/protocol/muc#user'><invite to='carol@localhost'/></x></message>`);
    const refused = await alice.waitFor((el) => el.name === 'message' && el.attrs.id === 'inv2' && el.attrs.type === 'error');
    expect(errorCondition(refused)).toBe('policy-violation');
    // Bob, a member now, enters; carol was not made one.
    await enter(bob, 'club', 'Bob');
    const carol = await connect('carol');
    expect(errorCondition(await join(carol, 'club', 'Carol'))).toBe('registration-required');
  });

  test('registering with an open room is refused when its lists are full', async () => {
    await start({ muc_max_affiliations: 1 });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await enter(alice, 'open', 'Alice');
    await ask(alice, (id) => `<iq type='set' id='${id}' to='open@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'><x xmlns='jabber:x:data' type='submit'/></query></iq>`);
    const reply = await ask(bob, (id) => `<iq type='set' id='${id}' to='open@${SERVICE}'><query xmlns='jabber:iq:register'>`
      + `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#register</value></field>`
      + `<field var='muc#register_roomnick'><value>Bob</value></field></x></query></iq>`);
    expect([reply.attrs.type, errorCondition(reply)]).toEqual(['error', 'policy-violation']);
  });
});

describe('history bytes (muc_max_history_bytes)', () => {
  test('a later joiner gets only the newest messages that fit the byte bound', async () => {
    // Each kept message is about 1,250 bytes (body, occupant id, the room's stanza id, delay): two fit, three do not.
    await start({ muc_max_history_bytes: 2800 });
    const [alice, bob] = [await connect('alice'), await connect('bob')];
    await createInstantRoom(alice, 'talk', 'Alice');
    for (const n of [1, 2, 3]) alice.send(`<message to='talk@${SERVICE}' type='groupchat'><body>${n}${xmlEscape('x'.repeat(900))}</body></message>`);
    await sync(alice);
    const seen = bob.received.length;
    await enter(bob, 'talk', 'Bob');
    const history = bob.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('delay', 'urn:xmpp:delay') !== undefined);
    expect(history.map((el) => el.getChildText('body')?.slice(0, 1))).toEqual(['2', '3']);
  });
});
