/** http_admin_api, rooms: create (idempotent), list (paged), read, configure and destroy, watched by real XMPP clients. */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { errorCode, hasCodes, presenceFrom, SECOND_SERVICE, startRoomsApi, type RoomsApi } from '../helpers/admin-rooms-harness.js';
import { enter, errorCondition, item, join, mucX, MUC_USER, sync } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';

let api: RoomsApi;
let alice: RawClient;
let bob: RawClient;

beforeAll(async () => {
  api = await startRoomsApi(['alice', 'bob']);
  [alice, bob] = await Promise.all([api.connect('alice'), api.connect('bob')]);
});
afterAll(() => api?.stop());

const membersOnlyLobby = {
  config: { roomname: 'The Lobby', membersonly: true, whois: 'anyone', maxusers: null },
  affiliations: { alice: 'owner', 'carol@localhost': 'member' },
  subject: 'Welcome',
};

test('PUT creates a room (201) from the fixture\'s keys, persistent by default; the same PUT again is 200; a different one 409 naming the keys', async () => {
  const created = await api.call('PUT', '/rooms/lobby', { body: membersOnlyLobby });
  expect(created.status).toBe(201);
  expect(created.json).toMatchObject({
    jid: 'lobby@conference.localhost', service: 'conference.localhost', subject: 'Welcome', occupants: 0, locked: false,
    config: { roomname: 'The Lobby', membersonly: true, whois: 'anyone', maxusers: null, persistentroom: true },
  });
  const again = await api.call('PUT', '/rooms/lobby@conference.localhost', { body: membersOnlyLobby });
  expect(again.status).toBe(200);
  expect(again.json).toEqual(created.json);
  const different = await api.call('PUT', '/rooms/lobby', { body: { ...membersOnlyLobby, config: { membersonly: false }, subject: 'Other' } });
  expect(different.status).toBe(409);
  expect(errorCode(different)).toBe('room-exists');
  expect((different.json as { error: { details: unknown } }).error.details).toEqual({ differing: ['config.membersonly', 'subject'] });
  expect(api.server.muc('conference.localhost').room('lobby@conference.localhost')?.config.membersonly).toBe(true);
});

test('the created room works over XMPP: unlocked, the owner enters with the subject, a non-member is refused', async () => {
  await api.call('PUT', '/rooms/lobby', { body: membersOnlyLobby });
  const seen = alice.received.length;
  const self = await enter(alice, 'lobby', 'Alice');
  expect(item(self)?.attrs).toMatchObject({ affiliation: 'owner', role: 'moderator' });
  const subject = await alice.waitFor((el) => el.name === 'message' && el.getChild('subject') !== undefined, 3000, seen);
  expect(subject.getChildText('subject')).toBe('Welcome');
  const refused = await join(bob, 'lobby', 'Bob');
  expect(errorCondition(refused)).toBe('registration-required');
});

test('PUT refuses invalid names, unknown services, unknown keys and bad values, creating nothing', async () => {
  const invalid = await api.call('PUT', '/rooms/a%20b@conference.localhost', { body: {} });
  expect([invalid.status, errorCode(invalid)]).toEqual([400, 'invalid-jid']);
  expect(errorCode(await api.call('PUT', '/rooms/lobby@conference.localhost%2Fnick', { body: {} }))).toBe('invalid-jid');
  const noService = await api.call('PUT', '/rooms/lobby@localhost', { body: {} });
  expect([noService.status, errorCode(noService)]).toEqual([404, 'muc-service-not-found']);
  expect(errorCode(await api.call('PUT', '/rooms/typo', { body: { config: { membersonyl: true } } }))).toBe('invalid-request');
  expect(errorCode(await api.call('PUT', '/rooms/typo', { body: { config: { maxusers: 0 } } }))).toBe('invalid-request');
  const badUser = await api.call('PUT', '/rooms/typo', { body: { affiliations: { 'alice@localhost/phone': 'owner' } } });
  expect([badUser.status, errorCode(badUser)]).toEqual([400, 'invalid-jid']);
  expect(api.server.muc('conference.localhost').room('typo@conference.localhost')).toBeUndefined();
});

test('GET /rooms lists every service\'s rooms in JID order, paged with a cursor, with occupant counts; or one service', async () => {
  for (const name of ['p1', 'p2', 'p3']) expect((await api.call('PUT', `/rooms/${name}`, { body: {} })).status).toBe(201);
  expect((await api.call('PUT', `/rooms/side@${SECOND_SERVICE}`, { body: {} })).status).toBe(201);
  const all: Array<{ jid: string; occupants: number }> = [];
  let after: string | null = null;
  let pages = 0;
  do {
    const reply = await api.call('GET', `/rooms?limit=2${after === null ? '' : `&after=${encodeURIComponent(after)}`}`);
    expect(reply.status).toBe(200);
    const page = reply.json as { rooms: Array<{ jid: string; occupants: number }>; next: string | null };
    expect(page.rooms.length).toBeLessThanOrEqual(2);
    all.push(...page.rooms);
    after = page.next;
    pages += 1;
  } while (after !== null && pages < 10);
  const jids = all.map((room) => room.jid);
  expect(jids).toEqual(expect.arrayContaining(['lobby@conference.localhost', 'p1@conference.localhost', `side@${SECOND_SERVICE}`]));
  expect(jids).toEqual([...jids].sort());
  expect(new Set(jids).size).toBe(jids.length);
  expect(all.find((room) => room.jid === 'lobby@conference.localhost')?.occupants).toBe(1);
  const second = await api.call('GET', `/rooms?service=${SECOND_SERVICE}`);
  expect(second.json).toEqual({ rooms: [{ jid: `side@${SECOND_SERVICE}`, service: SECOND_SERVICE, name: 'side', occupants: 0, persistent: true, public: true, membersOnly: false }], next: null });
  expect(errorCode(await api.call('GET', '/rooms?service=localhost'))).toBe('muc-service-not-found');
  expect(errorCode(await api.call('GET', '/rooms?limit=0'))).toBe('invalid-request');
});

test('GET /rooms/{room} by local part or percent-encoded JID; unknown rooms 404', async () => {
  const byLocal = await api.call('GET', '/rooms/lobby');
  expect(byLocal.status).toBe(200);
  expect(byLocal.json).toMatchObject({ jid: 'lobby@conference.localhost', occupants: 1, config: { roomname: 'The Lobby' } });
  const byJid = await api.call('GET', '/rooms/Lobby%40Conference.Localhost');
  expect(byJid.json).toEqual(byLocal.json);
  const missing = await api.call('GET', '/rooms/nowhere');
  expect([missing.status, errorCode(missing)]).toEqual([404, 'room-not-found']);
});

/** The room's status message (code `code`) that `client` receives after `seen`. */
function statusMessage(client: RawClient, room: string, code: number, seen: number): Promise<Element> {
  return client.waitFor((el) => el.name === 'message' && el.attrs.from === room && hasCodes(el, code), 3000, seen);
}

test('PATCH changes only the keys given: occupants see 104, a room made members-only removes its non-members (322)', async () => {
  expect((await api.call('PUT', '/rooms/open', { body: { affiliations: { alice: 'owner' } } })).status).toBe(201);
  await enter(alice, 'open', 'Alice');
  await enter(bob, 'open', 'Bob');
  const [aliceSeen, bobSeen] = [alice.received.length, bob.received.length];
  const patched = await api.call('PATCH', '/rooms/open', { body: { roomdesc: 'Now private', membersonly: true } });
  expect(patched.status).toBe(200);
  expect(patched.json).toMatchObject({ config: { roomdesc: 'Now private', membersonly: true, persistentroom: true } });
  await statusMessage(alice, 'open@conference.localhost', 104, aliceSeen);
  const removed = await presenceFrom(bob, 'open@conference.localhost/Bob', bobSeen, (el) => el.attrs.type === 'unavailable');
  expect(hasCodes(removed, 322, 110)).toBe(true);
  expect(errorCode(await api.call('PATCH', '/rooms/open', { body: { whois: 'everyone' } }))).toBe('invalid-request');
  expect(errorCode(await api.call('PATCH', '/rooms/nowhere', { body: { roomdesc: 'x' } }))).toBe('room-not-found');
  await sync(alice);
});

test('DELETE destroys with the reason and alternate venue (query form): occupants get <destroy/>; the room is gone', async () => {
  expect((await api.call('PUT', '/rooms/doomed', { body: {} })).status).toBe(201);
  await enter(bob, 'doomed', 'Bob');
  const seen = bob.received.length;
  const reply = await api.call('DELETE', '/rooms/doomed?reason=Moved&alternate=lobby%40conference.localhost');
  expect(reply.status).toBe(204);
  expect(reply.body).toBe('');
  const gone = await presenceFrom(bob, 'doomed@conference.localhost/Bob', seen, (el) => el.attrs.type === 'unavailable');
  const destroy = mucX(gone)?.getChild('destroy');
  expect(destroy?.attrs.jid).toBe('lobby@conference.localhost');
  expect(destroy?.getChildText('reason')).toBe('Moved');
  expect(errorCode(await api.call('GET', '/rooms/doomed'))).toBe('room-not-found');
  expect(errorCode(await api.call('DELETE', '/rooms/doomed'))).toBe('room-not-found');
});

test('DELETE takes its reason in a JSON body too; an alternate that is no room JID is invalid-jid and destroys nothing', async () => {
  expect((await api.call('PUT', '/rooms/doomed2', { body: {} })).status).toBe(201);
  expect(errorCode(await api.call('DELETE', '/rooms/doomed2', { body: { alternate: 'conference.localhost' } }))).toBe('invalid-jid');
  await enter(bob, 'doomed2', 'Bob');
  const seen = bob.received.length;
  expect((await api.call('DELETE', '/rooms/doomed2', { body: { reason: 'Closing time' } })).status).toBe(204);
  const gone = await presenceFrom(bob, 'doomed2@conference.localhost/Bob', seen, (el) => el.attrs.type === 'unavailable');
  const destroy = gone.getChild('x', MUC_USER)?.getChild('destroy');
  expect(destroy?.getChildText('reason')).toBe('Closing time');
  expect(destroy?.attrs.jid).toBeUndefined();
});
