/** http_admin_api, messages: system messages to rooms, invitations, and direct messages (blocking and offline storage apply). */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { errorCode, startRoomsApi, type RoomsApi } from '../helpers/admin-rooms-harness.js';
import { ask, enter, errorCondition, join, mucX, sync } from '../helpers/muc-harness.js';
import type { RawClient } from '../helpers/raw-client.js';

const ROOM = 'news@conference.localhost';
let api: RoomsApi;
let alice: RawClient;
let bob: RawClient;

/** Logs in and sends initial presence, so that messages to the bare JID reach this session (RFC 6121 §8.5.2.1.1). */
async function online(name: string, resource = 'r'): Promise<RawClient> {
  const client = await api.connect(name, resource);
  client.send('<presence/>');
  await sync(client);
  return client;
}

beforeAll(async () => {
  api = await startRoomsApi(['alice', 'bob', 'carol', 'dave', 'erin']);
  [alice, bob] = await Promise.all([online('alice'), online('bob')]);
  expect((await api.call('PUT', '/rooms/news', { body: { affiliations: { alice: 'owner' } } })).status).toBe(201);
  await enter(alice, 'news', 'Alice');
  await enter(bob, 'news', 'Bob');
});
afterAll(() => api?.stop());

function groupchat(client: RawClient, seen: number, id: string): Promise<Element> {
  return client.waitFor((el) => el.name === 'message' && el.attrs.type === 'groupchat' && el.attrs.id === id, 3000, seen);
}

test('a message as the room: every occupant receives it from the room\'s bare JID, with the answered id', async () => {
  const seen = [alice.received.length, bob.received.length];
  const reply = await api.call('POST', '/rooms/news/messages', { body: { body: 'Maintenance at five' } });
  expect(reply.status).toBe(200);
  const { id } = reply.json as { id: string };
  expect(id).toEqual(expect.any(String));
  for (const [client, from] of [[alice, seen[0]!], [bob, seen[1]!]] as const) {
    const message = await groupchat(client, from, id);
    expect(message.attrs.from).toBe(ROOM);
    expect(message.getChildText('body')).toBe('Maintenance at five');
  }
});

test('a message as a system nick comes from room/nick; an occupant\'s nick is nick-in-use, an invalid one invalid-nick', async () => {
  const seen = bob.received.length;
  const reply = await api.call('POST', `/rooms/${encodeURIComponent(ROOM)}/messages`, { body: { body: 'Hello from the bot', nick: 'System', id: 'sys-1' } });
  expect(reply.json).toEqual({ id: 'sys-1' });
  const message = await groupchat(bob, seen, 'sys-1');
  expect(message.attrs.from).toBe(`${ROOM}/System`);
  expect(message.getChildText('body')).toBe('Hello from the bot');
  const taken = await api.call('POST', '/rooms/news/messages', { body: { body: 'x', nick: 'Bob' } });
  expect([taken.status, errorCode(taken)]).toEqual([409, 'nick-in-use']);
  expect(errorCode(await api.call('POST', '/rooms/news/messages', { body: { body: 'x', nick: '\u0007' } }))).toBe('invalid-nick');
  expect(errorCode(await api.call('POST', '/rooms/gone/messages', { body: { body: 'x' } }))).toBe('room-not-found');
  expect(errorCode(await api.call('POST', '/rooms/news/messages', { body: { body: '' } }))).toBe('invalid-request');
});

test('an invitation reaches the invitee from the room, with the reason; addMember opens a members-only room to them', async () => {
  const carol = await online('carol');
  expect((await api.call('PUT', '/rooms/vip', { body: { config: { membersonly: true }, affiliations: { alice: 'owner' } } })).status).toBe(201);
  const seen = carol.received.length;
  const reply = await api.call('POST', '/rooms/vip/invitations', { body: { jid: 'carol@localhost', reason: 'Come in', addMember: true } });
  expect(reply.status).toBe(204);
  const invitation = await carol.waitFor((el) => el.name === 'message' && mucX(el)?.getChild('invite') !== undefined, 3000, seen);
  expect(invitation.attrs.from).toBe('vip@conference.localhost');
  expect(mucX(invitation)?.getChild('invite')?.getChildText('reason')).toBe('Come in');
  await enter(carol, 'vip', 'Carol');
  const dave = await online('dave');
  // addMember changes the room's affiliations: a token for messages alone may not.
  const narrow = await api.call('POST', '/rooms/vip/invitations', { token: api.messengerToken, body: { jid: 'dave@localhost', addMember: true } });
  expect([narrow.status, errorCode(narrow)]).toEqual([403, 'insufficient-scope']);
  expect(api.server.muc('conference.localhost').room('vip@conference.localhost')?.affiliations().map((entry) => entry.jid.toString()).sort())
    .toEqual(['alice@localhost', 'carol@localhost']);
  expect((await api.call('POST', '/rooms/vip/invitations', { token: api.messengerToken, body: { jid: 'dave@localhost' } })).status).toBe(204);
  expect(errorCondition(await join(dave, 'vip', 'Dave'))).toBe('registration-required');
  expect(errorCode(await api.call('POST', '/rooms/vip/invitations', { body: { jid: 'localhost' } }))).toBe('invalid-jid');
  expect(errorCode(await api.call('POST', '/rooms/gone/invitations', { body: { jid: 'dave@localhost' } }))).toBe('room-not-found');
});

function chatFrom(client: RawClient, from: string, seen: number): Promise<Element> {
  return client.waitFor((el) => el.name === 'message' && el.attrs.from === from && el.getChild('body') !== undefined, 3000, seen);
}

test('a direct message from the host, or from a JID of the host, reaches the user\'s session', async () => {
  const seen = bob.received.length;
  const reply = await api.call('POST', '/messages', { body: { to: 'bob@localhost', body: 'Your invoice is ready' } });
  expect(reply.status).toBe(202);
  const fromHost = await chatFrom(bob, 'localhost', seen);
  expect(fromHost.attrs).toMatchObject({ type: 'chat', id: (reply.json as { id: string }).id });
  expect(fromHost.getChildText('body')).toBe('Your invoice is ready');
  const noreply = await api.call('POST', '/messages', { body: { to: 'Bob@Localhost', from: 'noreply@localhost', body: 'Hi', type: 'headline', subject: 'News' } });
  expect(noreply.status).toBe(202);
  const fromBot = await chatFrom(bob, 'noreply@localhost', seen);
  expect(fromBot.attrs.type).toBe('headline');
  expect(fromBot.getChildText('subject')).toBe('News');
});

test('a direct message respects the user\'s blocklist (XEP-0191)', async () => {
  const blocked = await ask(bob, (id) => `<iq type='set' id='${id}'><block xmlns='urn:xmpp:blocking'><item jid='spam@localhost'/></block></iq>`);
  expect(blocked.attrs.type).toBe('result');
  const seen = bob.received.length;
  expect((await api.call('POST', '/messages', { body: { to: 'bob@localhost', from: 'spam@localhost', body: 'Buy now' } })).status).toBe(202);
  expect((await api.call('POST', '/messages', { body: { to: 'bob@localhost', body: 'After the spam' } })).status).toBe(202);
  await chatFrom(bob, 'localhost', seen);
  await sync(bob);
  expect(bob.received.slice(seen).filter((el) => el.attrs.from === 'spam@localhost')).toEqual([]);
});

test('a user with no session gets the direct message from offline storage at the next login', async () => {
  const reply = await api.call('POST', '/messages', { body: { to: 'erin@localhost', body: 'While you were away', id: 'away-1' } });
  expect(reply.json).toEqual({ id: 'away-1' });
  const erin = await api.connect('erin', 'later');
  const seen = erin.received.length;
  erin.send('<presence/>');
  const stored = await erin.waitFor((el) => el.name === 'message' && el.attrs.id === 'away-1', 3000, seen);
  expect(stored.getChildText('body')).toBe('While you were away');
});

test('direct message failures: unknown user, unknown host, a sender of another host, a recipient with no local part', async () => {
  const user = await api.call('POST', '/messages', { body: { to: 'nobody@localhost', body: 'x' } });
  expect([user.status, errorCode(user)]).toEqual([404, 'user-not-found']);
  expect(errorCode(await api.call('POST', '/messages', { body: { to: 'bob@elsewhere.example', body: 'x' } }))).toBe('host-not-found');
  expect(errorCode(await api.call('POST', '/messages', { body: { to: 'bob@conference.localhost', body: 'x' } }))).toBe('host-not-found');
  const from = await api.call('POST', '/messages', { body: { to: 'bob@localhost', from: 'ceo@elsewhere.example', body: 'x' } });
  expect([from.status, errorCode(from)]).toEqual([400, 'invalid-from']);
  expect(errorCode(await api.call('POST', '/messages', { body: { to: 'localhost', body: 'x' } }))).toBe('invalid-jid');
});
