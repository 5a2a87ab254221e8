/** http_admin_api, affiliations: read (filtered), and set many in one call, all or nothing, with the XEP-0045 effects. */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { errorCode, hasCodes, presenceFrom, startRoomsApi, type RoomsApi } from '../helpers/admin-rooms-harness.js';
import { enter, errorCondition, item, join, mucX, sync } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';

const ROOM = 'club@conference.localhost';
let api: RoomsApi;
let alice: RawClient;
let bob: RawClient;

beforeAll(async () => {
  api = await startRoomsApi(['alice', 'bob'], { muc_max_affiliations: 1100 });
  [alice, bob] = await Promise.all([api.connect('alice'), api.connect('bob')]);
  const created = await api.call('PUT', '/rooms/club', { body: { config: { membersonly: true }, affiliations: { 'alice@localhost': 'owner' } } });
  expect(created.status).toBe(201);
  await enter(alice, 'club', 'Alice');
});
afterAll(() => api?.stop());

const members = (count: number, offset = 0) => Array.from({ length: count }, (_, index) => ({ jid: `user${index + offset}@localhost`, affiliation: 'member' }));

/** The notices of affiliation changes for absent users that `client` received after `seen`. */
function absentNotices(client: RawClient, seen: number): Element[] {
  return client.received.slice(seen).filter((el) => el.name === 'message' && el.attrs.from === ROOM && mucX(el)?.getChild('item') !== undefined);
}

test('1,000 JIDs in one call: all become members, the present owner is told of each, and Bob may now enter the members-only room', async () => {
  expect(errorCondition(await join(bob, 'club', 'Bob'))).toBe('registration-required');
  const seen = alice.received.length;
  const reply = await api.call('POST', '/rooms/club/affiliations', {
    body: { affiliations: [{ jid: 'bob@localhost', affiliation: 'member', reason: 'Paid up' }, ...members(999)] },
  });
  expect(reply.status).toBe(200);
  expect(reply.json).toEqual({ changed: 1000 });
  await sync(alice);
  const notices = absentNotices(alice, seen);
  expect(notices).toHaveLength(1000);
  expect(item(notices[0]!)?.attrs).toMatchObject({ jid: 'bob@localhost', affiliation: 'member' });
  expect(item(notices[0]!)?.getChildText('reason')).toBe('Paid up');
  const list = await api.call('GET', '/rooms/club/affiliations?affiliation=member');
  expect((list.json as { affiliations: unknown[] }).affiliations).toHaveLength(1000);
  const self = await enter(bob, 'club', 'Bob');
  expect(item(self)?.attrs).toMatchObject({ affiliation: 'member', role: 'participant' });
});

test('GET affiliations: every entry or one affiliation, in JID order', async () => {
  const owners = await api.call('GET', '/rooms/club/affiliations?affiliation=owner');
  expect(owners.json).toEqual({ affiliations: [{ jid: 'alice@localhost', affiliation: 'owner', nick: null }] });
  const all = (await api.call('GET', '/rooms/club/affiliations')).json as { affiliations: Array<{ jid: string }> };
  expect(all.affiliations).toHaveLength(1001);
  const jids = all.affiliations.map((entry) => entry.jid);
  expect(jids).toEqual([...jids].sort());
  expect(errorCode(await api.call('GET', '/rooms/club/affiliations?affiliation=king'))).toBe('invalid-request');
  expect(errorCode(await api.call('GET', '/rooms/nowhere/affiliations'))).toBe('room-not-found');
});

test('all or nothing: the entry at fault is named by index, and no entry before it took effect', async () => {
  const before = (await api.call('GET', '/rooms/club/affiliations')).json;
  const lastOwner = await api.call('POST', '/rooms/club/affiliations', {
    body: { affiliations: [{ jid: 'carol@localhost', affiliation: 'admin' }, { jid: 'alice@localhost', affiliation: 'member' }] },
  });
  expect([lastOwner.status, errorCode(lastOwner)]).toEqual([409, 'last-owner']);
  expect((lastOwner.json as { error: { details: unknown } }).error.details).toEqual({ index: 1 });
  const duplicate = await api.call('POST', '/rooms/club/affiliations', {
    body: { affiliations: [{ jid: 'carol@localhost', affiliation: 'admin' }, { jid: 'dave@localhost', affiliation: 'member' }, { jid: 'Carol@LOCALHOST', affiliation: 'none' }] },
  });
  expect([duplicate.status, errorCode(duplicate), (duplicate.json as { error: { details: unknown } }).error.details]).toEqual([400, 'duplicate-jid', { index: 2 }]);
  const invalid = await api.call('POST', '/rooms/club/affiliations', {
    body: { affiliations: [{ jid: 'carol@localhost', affiliation: 'admin' }, { jid: 'carol@localhost/phone', affiliation: 'member' }] },
  });
  expect([invalid.status, errorCode(invalid), (invalid.json as { error: { details: unknown } }).error.details]).toEqual([400, 'invalid-jid', { index: 1 }]);
  const tooMany = await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [{ jid: 'carol@localhost', affiliation: 'admin' }, ...members(200, 5000)] } });
  expect([tooMany.status, errorCode(tooMany)]).toEqual([422, 'affiliation-limit']);
  expect(typeof (tooMany.json as { error: { details: { index: unknown } } }).error.details.index).toBe('number');
  expect(errorCode(await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [] } }))).toBe('invalid-request');
  expect(errorCode(await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [{ jid: 'x@localhost', affiliation: 'king' }] } }))).toBe('invalid-request');
  expect((await api.call('GET', '/rooms/club/affiliations')).json).toEqual(before);
});

test('present users see their change: a ban is 301, removal from the members-only room 321, both with the reason', async () => {
  await sync(bob);
  let seen = bob.received.length;
  const removed = await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [{ jid: 'bob@localhost', affiliation: 'none', reason: 'Lapsed' }] } });
  expect(removed.json).toEqual({ changed: 1 });
  const gone = await presenceFrom(bob, `${ROOM}/Bob`, seen, (el) => el.attrs.type === 'unavailable');
  expect(hasCodes(gone, 321, 110)).toBe(true);
  expect(item(gone)?.getChildText('reason')).toBe('Lapsed');
  await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [{ jid: 'bob@localhost', affiliation: 'member' }] } });
  await enter(bob, 'club', 'Bob');
  seen = bob.received.length;
  const aliceSeen = alice.received.length;
  await api.call('POST', '/rooms/club/affiliations', { body: { affiliations: [{ jid: 'bob@localhost', affiliation: 'outcast', reason: 'Spam' }] } });
  const banned = await presenceFrom(bob, `${ROOM}/Bob`, seen, (el) => el.attrs.type === 'unavailable');
  expect(hasCodes(banned, 301, 110)).toBe(true);
  expect(hasCodes(await presenceFrom(alice, `${ROOM}/Bob`, aliceSeen, (el) => el.attrs.type === 'unavailable'), 301)).toBe(true);
  expect(errorCondition(await join(bob, 'club', 'Bob'))).toBe('forbidden');
  const outcasts = await api.call('GET', '/rooms/club/affiliations?affiliation=outcast');
  expect(outcasts.json).toEqual({ affiliations: [{ jid: 'bob@localhost', affiliation: 'outcast', nick: null }] });
});
