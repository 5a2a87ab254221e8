/**
 * The MUC engine's past-tense hook points for what a backend watches — `muc-room-configured`,
 * `muc-occupant-role-changed`, `muc-affiliation-changed`, `muc-message-posted` — fire wherever
 * the change happens: a client's iq or message over a real socket, or the service API.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals';
import type { HookEvents } from '../../server/hooks/index.js';
import type { MucService } from '../../muc/index.js';
import { coreOf } from '../../server/core/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, configure, enter, login, MUC_ADMIN, MUC_USER, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { say, roomStanzaIds } from '../helpers/muc-mam.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type Watched = 'muc-room-configured' | 'muc-occupant-role-changed' | 'muc-affiliation-changed' | 'muc-message-posted';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
const seen: { [K in Watched]: HookEvents[K][] } = {
  'muc-room-configured': [], 'muc-occupant-role-changed': [], 'muc-affiliation-changed': [], 'muc-message-posted': [],
};

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol') });
  const hooks = coreOf(server).host(SERVICE)!.hooks;
  hooks.on('muc-room-configured', (event) => void seen['muc-room-configured'].push(event));
  hooks.on('muc-occupant-role-changed', (event) => void seen['muc-occupant-role-changed'].push(event));
  hooks.on('muc-affiliation-changed', (event) => void seen['muc-affiliation-changed'].push(event));
  hooks.on('muc-message-posted', (event) => void seen['muc-message-posted'].push(event));
  [alice, bob] = await Promise.all([login(server.port, 'alice', 'a'), login(server.port, 'bob', 'b')]);
});
beforeEach(() => {
  for (const list of Object.values(seen)) list.length = 0;
});
afterAll(async () => {
  for (const client of [alice, bob]) client?.close();
  await server.stop();
});

const service = (): MucService => server.muc(SERVICE);
const roomJid = (room: string): string => `${room}@${SERVICE}`;

async function ownedRoom(room: string, config: Record<string, unknown> = {}): Promise<void> {
  const made = await service().createRoom(roomJid(room), { config, affiliations: { 'alice@localhost': 'owner' } });
  if (!made.ok) throw new Error(made.error);
  await enter(alice, room, 'Alice');
  await enter(bob, room, 'Bob');
}

function adminSet(room: string, item: string): Promise<unknown> {
  return ask(alice, (id) => `<iq type='set' id='${id}' to='${roomJid(room)}'><query xmlns='${MUC_ADMIN}'>${item}</query></iq>`);
}

describe('muc-room-configured', () => {
  test('an owner form names the changed fields and the owner; the service API names no actor; no change, no event', async () => {
    await ownedRoom('cfg');
    await configure(alice, 'cfg', { 'muc#roomconfig_roomname': 'Named', 'muc#roomconfig_whois': 'anyone' });
    expect(seen['muc-room-configured']).toHaveLength(1);
    const [byForm] = seen['muc-room-configured'];
    expect([...byForm!.changed].sort()).toEqual(['roomname', 'whois']);
    expect(byForm!.actor?.toString()).toBe('alice@localhost');
    expect(byForm!.room.config.roomname).toBe('Named');
    await service().configure(roomJid('cfg'), { moderatedroom: true, roomname: 'Named' });
    expect(seen['muc-room-configured'][1]).toMatchObject({ changed: ['moderatedroom'], actor: undefined });
    await service().configure(roomJid('cfg'), { moderatedroom: true });
    expect(seen['muc-room-configured']).toHaveLength(2);
  });
});

describe('muc-occupant-role-changed', () => {
  test('by the admin iq and by the service, with the previous role and the snapshot after; not for a kick', async () => {
    await ownedRoom('roles');
    await adminSet('roles', `<item nick='Bob' role='moderator'/>`);
    expect(seen['muc-occupant-role-changed']).toHaveLength(1);
    const [granted] = seen['muc-occupant-role-changed'];
    expect([granted!.occupant.nick, granted!.occupant.role, granted!.previous, granted!.actor?.toString()]).toEqual(['Bob', 'moderator', 'participant', 'alice@localhost']);
    service().setRole(roomJid('roles'), 'Bob', 'participant');
    expect(seen['muc-occupant-role-changed'][1]).toMatchObject({ previous: 'moderator', actor: undefined, occupant: { role: 'participant' } });
    service().setRole(roomJid('roles'), 'Bob', 'participant');
    service().setRole(roomJid('roles'), 'Bob', 'none');
    expect(seen['muc-occupant-role-changed']).toHaveLength(2);
  });

  test('a role that follows an affiliation change (member of a moderated room gains voice)', async () => {
    await ownedRoom('moderated', { moderatedroom: true });
    await service().setAffiliation(roomJid('moderated'), 'bob@localhost', 'member');
    expect(seen['muc-occupant-role-changed']).toMatchObject([{ previous: 'visitor', occupant: { nick: 'Bob', role: 'participant', affiliation: 'member' } }]);
  });
});

describe('muc-affiliation-changed', () => {
  test('present users by the admin iq, absent users by the service, members added by an invitation', async () => {
    await ownedRoom('affs', { membersonly: false });
    await adminSet('affs', `<item jid='bob@localhost' affiliation='admin'><reason>trusted</reason></item>`);
    expect(seen['muc-affiliation-changed']).toHaveLength(1);
    const [byIq] = seen['muc-affiliation-changed'];
    expect([byIq!.jid.toString(), byIq!.affiliation, byIq!.previous, byIq!.actor?.toString(), byIq!.reason]).toEqual(['bob@localhost', 'admin', 'none', 'alice@localhost', 'trusted']);
    await service().setAffiliations(roomJid('affs'), [{ jid: 'zed@example.org', affiliation: 'outcast' }, { jid: 'bob@localhost', affiliation: 'admin' }]);
    expect(seen['muc-affiliation-changed']).toHaveLength(2);
    expect(seen['muc-affiliation-changed'][1]).toMatchObject({ affiliation: 'outcast', previous: 'none', actor: undefined });
    await service().configure(roomJid('affs'), { membersonly: true, allowinvites: true });
    alice.send(`<message to='${roomJid('affs')}'><x xmlns='${MUC_USER}'><invite to='carol@localhost'/></x></message>`);
    await sync(alice);
    expect(seen['muc-affiliation-changed'][2]).toMatchObject({ affiliation: 'member', previous: 'none' });
    expect(seen['muc-affiliation-changed'][2]!.jid.toString()).toBe('carol@localhost');
  });
});

describe('muc-message-posted', () => {
  test('an occupant message with a body, after the broadcast, with its stanza-id; posts by the service; not subjects or bodyless messages', async () => {
    await ownedRoom('talk', { changesubject: true });
    const reflected = await say(bob, alice, 'talk', 'hello room');
    expect(seen['muc-message-posted']).toHaveLength(1);
    const [fromBob] = seen['muc-message-posted'];
    expect([fromBob!.occupant?.nick, fromBob!.nick, fromBob!.stanza.getChildText('body')]).toEqual(['Bob', 'Bob', 'hello room']);
    expect(roomStanzaIds(fromBob!.stanza, 'talk')).toEqual(roomStanzaIds(reflected, 'talk'));
    bob.send(`<message to='${roomJid('talk')}' type='groupchat'><subject>topic</subject></message>`);
    bob.send(`<message to='${roomJid('talk')}' type='groupchat'><active xmlns='http://jabber.org/protocol/chatstates'/></message>`);
    await sync(bob);
    expect(seen['muc-message-posted']).toHaveLength(1);
    service().postMessage(roomJid('talk'), 'from the room');
    service().postMessage(roomJid('talk'), 'from a bot', { nick: 'Bot' });
    await alice.waitFor((el) => el.getChildText('body') === 'from a bot');
    expect(seen['muc-message-posted'].slice(1).map((event) => [event.occupant, event.nick, event.stanza.getChildText('body')]))
      .toEqual([[undefined, undefined, 'from the room'], [undefined, 'Bot', 'from a bot']]);
  });
});
