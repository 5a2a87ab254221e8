/** http_admin_api, occupants: list with real JIDs, kick by nick or by real JID, change a role; seen by the occupants. */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { errorCode, hasCodes, presenceFrom, startRoomsApi, type RoomsApi } from '../helpers/admin-rooms-harness.js';
import { enter, item, sync } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';

const ROOM = 'talk@conference.localhost';
let api: RoomsApi;
let alice: RawClient;
let bobPhone: RawClient;
let bobLaptop: RawClient;

beforeAll(async () => {
  api = await startRoomsApi(['alice', 'bob']);
  [alice, bobPhone, bobLaptop] = await Promise.all([api.connect('alice', 'desk'), api.connect('bob', 'phone'), api.connect('bob', 'laptop')]);
  // Semi-anonymous (whois moderators): the API still sees real JIDs.
  expect((await api.call('PUT', '/rooms/talk', { body: { config: { whois: 'moderators' }, affiliations: { alice: 'owner' } } })).status).toBe(201);
});
afterAll(() => api?.stop());

/** Alice as Alice, Bob's phone as Bob and his laptop as Robert, whoever was kicked before. */
beforeEach(async () => {
  const room = () => api.server.muc('conference.localhost').room(ROOM);
  for (const [client, nick] of [[alice, 'Alice'], [bobPhone, 'Bob'], [bobLaptop, 'Robert']] as const) {
    if (room()?.occupant(nick) === undefined) await enter(client, 'talk', nick);
  }
  await Promise.all([alice, bobPhone, bobLaptop].map(sync));
});

test('GET occupants: nick, role, affiliation, occupant id and the real JIDs, in a semi-anonymous room', async () => {
  const reply = await api.call('GET', '/rooms/talk/occupants');
  expect(reply.status).toBe(200);
  const occupants = (reply.json as { occupants: Array<Record<string, unknown>> }).occupants;
  expect(occupants.map((occupant) => occupant.nick).sort()).toEqual(['Alice', 'Bob', 'Robert']);
  expect(occupants.find((occupant) => occupant.nick === 'Alice')).toMatchObject({
    role: 'moderator', affiliation: 'owner', jid: 'alice@localhost', sessions: ['alice@localhost/desk'],
  });
  const bob = occupants.find((occupant) => occupant.nick === 'Bob');
  expect(bob).toMatchObject({ role: 'participant', affiliation: 'none', jid: 'bob@localhost', sessions: ['bob@localhost/phone'] });
  expect(typeof bob?.occupantId).toBe('string');
  expect(errorCode(await api.call('GET', '/rooms/none/occupants'))).toBe('room-not-found');
});

test('kick by nick: the occupant gets 307 + 110 with the reason, the others 307; a kick is not a ban', async () => {
  const [aliceSeen, bobSeen] = [alice.received.length, bobPhone.received.length];
  const reply = await api.call('POST', '/rooms/talk/kick', { body: { nick: 'Bob', reason: 'Off topic' } });
  expect(reply.status).toBe(200);
  expect(reply.json).toEqual({ kicked: ['Bob'] });
  const self = await presenceFrom(bobPhone, `${ROOM}/Bob`, bobSeen, (el) => el.attrs.type === 'unavailable');
  expect(hasCodes(self, 307, 110)).toBe(true);
  expect(item(self)?.getChildText('reason')).toBe('Off topic');
  const seenByAlice = await presenceFrom(alice, `${ROOM}/Bob`, aliceSeen, (el) => el.attrs.type === 'unavailable');
  expect(hasCodes(seenByAlice, 307)).toBe(true);
  expect(hasCodes(seenByAlice, 110)).toBe(false);
  expect(api.server.muc('conference.localhost').room(ROOM)?.occupant('Robert')).toBeDefined();
  await enter(bobPhone, 'talk', 'Bob');
  // RFC 8266: the nickname given gets the join-time preparation (full-width form, spaces).
  const prepared = await api.call('POST', '/rooms/talk/kick', { body: { nick: ' Ｂｏｂ ' } });
  expect(prepared.json).toEqual({ kicked: ['Bob'] });
  await enter(bobPhone, 'talk', 'Bob');
});

test('kick by real JID removes every nickname of that user', async () => {
  const [phoneSeen, laptopSeen] = [bobPhone.received.length, bobLaptop.received.length];
  const reply = await api.call('POST', '/rooms/talk/kick', { body: { jid: 'Bob@Localhost' } });
  expect(reply.status).toBe(200);
  expect((reply.json as { kicked: string[] }).kicked.sort()).toEqual(['Bob', 'Robert']);
  expect(hasCodes(await presenceFrom(bobPhone, `${ROOM}/Bob`, phoneSeen, (el) => el.attrs.type === 'unavailable'), 307, 110)).toBe(true);
  expect(hasCodes(await presenceFrom(bobLaptop, `${ROOM}/Robert`, laptopSeen, (el) => el.attrs.type === 'unavailable'), 307, 110)).toBe(true);
  expect(api.server.muc('conference.localhost').room(ROOM)?.occupants().map((occupant) => occupant.nick)).toEqual(['Alice']);
});

test('kick failures: unknown nick, a user not in the room, an invalid JID, both or neither of nick and jid; nobody leaves', async () => {
  const nick = await api.call('POST', '/rooms/talk/kick', { body: { nick: 'Carol' } });
  expect([nick.status, errorCode(nick)]).toEqual([404, 'nick-not-found']);
  const user = await api.call('POST', '/rooms/talk/kick', { body: { jid: 'carol@localhost' } });
  expect([user.status, errorCode(user)]).toEqual([404, 'occupant-not-found']);
  expect(errorCode(await api.call('POST', '/rooms/talk/kick', { body: { jid: 'not a jid@' } }))).toBe('invalid-jid');
  expect(errorCode(await api.call('POST', '/rooms/talk/kick', { body: { nick: 'Bob', jid: 'bob@localhost' } }))).toBe('invalid-request');
  expect(errorCode(await api.call('POST', '/rooms/talk/kick', { body: { reason: 'x' } }))).toBe('invalid-request');
  expect(api.server.muc('conference.localhost').room(ROOM)?.occupantCount).toBe(3);
});

test('PATCH role: Bob becomes a visitor, then a moderator; everyone sees the new role; owners stay moderators', async () => {
  const seen = alice.received.length;
  const visitor = await api.call('PATCH', '/rooms/talk/occupants/Bob', { body: { role: 'visitor', reason: 'Calm down' } });
  expect(visitor.status).toBe(200);
  expect(visitor.json).toMatchObject({ nick: 'Bob', role: 'visitor', jid: 'bob@localhost' });
  const change = await presenceFrom(alice, `${ROOM}/Bob`, seen, (el) => item(el)?.attrs.role === 'visitor');
  expect(item(change)?.getChildText('reason')).toBe('Calm down');
  const bobSeen = bobPhone.received.length;
  expect((await api.call('PATCH', '/rooms/talk/occupants/Bob', { body: { role: 'moderator' } })).status).toBe(200);
  const self = await presenceFrom(bobPhone, `${ROOM}/Bob`, bobSeen, (el) => item(el)?.attrs.role === 'moderator');
  expect(hasCodes(self, 110)).toBe(true);
  const owner = await api.call('PATCH', '/rooms/talk/occupants/Alice', { body: { role: 'visitor' } });
  expect([owner.status, errorCode(owner)]).toEqual([409, 'role-not-allowed']);
  expect(errorCode(await api.call('PATCH', '/rooms/talk/occupants/Nobody', { body: { role: 'visitor' } }))).toBe('nick-not-found');
  expect(errorCode(await api.call('PATCH', '/rooms/talk/occupants/Bob', { body: { role: 'none' } }))).toBe('invalid-request');
  expect((await api.call('PATCH', '/rooms/talk/occupants/Bob', { body: { role: 'participant' } })).status).toBe(200);
});
