/**
 * The `MucService` calls a backend runs rooms with — `setRole`, `setAffiliations`, `configure`,
 * `postMessage`, `invite` — observed by real clients over real sockets: the presences, status
 * codes, notices, invitations and messages XEP-0045 says occupants and users receive.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { MucService } from '../../muc/index.js';
import { coreOf } from '../../server/core/index.js';
import { Jid } from '../../server/jid/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { enter, item, join, errorCondition, login, MUC_USER, SERVICE, since, statusCodes, sync, users } from '../helpers/muc-harness.js';
import { queryRoom, roomStanzaIds } from '../helpers/muc-mam.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol') });
  [alice, bob, carol] = await Promise.all([login(server.port, 'alice', 'a'), login(server.port, 'bob', 'b'), login(server.port, 'carol', 'c')]);
});
afterAll(async () => {
  for (const client of [alice, bob, carol]) client?.close();
  await server.stop();
});

const service = (): MucService => server.muc(SERVICE);
const roomJid = (room: string): string => `${room}@${SERVICE}`;
const presenceOf = (client: RawClient, from: number, room: string, nick: string): Promise<Element> =>
  client.waitFor((el) => el.name === 'presence' && el.attrs.from === `${roomJid(room)}/${nick}`, 3000, from);
const roomMessage = (client: RawClient, from: number, room: string, test: (el: Element) => boolean): Promise<Element> =>
  client.waitFor((el) => el.name === 'message' && el.attrs.from === roomJid(room) && test(el), 3000, from);

async function roomWithOwner(room: string, config: Record<string, unknown> = {}, more: Record<string, 'member' | 'admin'> = {}): Promise<void> {
  const made = await service().createRoom(roomJid(room), { config, affiliations: { 'alice@localhost': 'owner', ...more } });
  if (!made.ok) throw new Error(`room ${room}: ${made.error}`);
}

describe('setRole', () => {
  test('granting moderator: the occupant and the room see the new role; kicking with none; typed refusals', async () => {
    await roomWithOwner('roles');
    await enter(alice, 'roles', 'Alice');
    await enter(bob, 'roles', 'Bob');
    await sync(alice);
    const [seenByAlice, seenByBob] = [alice.received.length, bob.received.length];
    expect(service().setRole(roomJid('roles'), 'Bob', 'moderator', { reason: 'helps out' })).toEqual({ ok: true, value: undefined });
    const self = await presenceOf(bob, seenByBob, 'roles', 'Bob');
    expect(statusCodes(self)).toContain(110);
    expect(item(self)?.attrs.role).toBe('moderator');
    expect(item(self)?.getChildText('reason')).toBe('helps out');
    expect(item(await presenceOf(alice, seenByAlice, 'roles', 'Bob'))?.attrs.role).toBe('moderator');

    expect(service().setRole(roomJid('roles'), 'Alice', 'visitor')).toEqual({ ok: false, error: 'not-allowed' });
    expect(service().setRole(roomJid('roles'), 'Nobody', 'participant')).toEqual({ ok: false, error: 'nick-not-found' });
    expect(service().setRole(roomJid('absent'), 'Bob', 'participant')).toEqual({ ok: false, error: 'room-not-found' });

    const before = bob.received.length;
    expect(service().setRole(roomJid('roles'), 'Bob', 'none').ok).toBe(true);
    const gone = await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable', 3000, before);
    expect(statusCodes(gone).sort()).toEqual([110, 307]);
  });
});

describe('setAffiliations', () => {
  test('per entry as the admin iq: removed member 321, absent users announced to moderators (ban 301), one store write', async () => {
    await roomWithOwner('club', { membersonly: true }, { 'bob@localhost': 'member' });
    await enter(alice, 'club', 'Alice');
    await enter(bob, 'club', 'Bob');
    await sync(alice);
    const [seenByAlice, seenByBob, logsBefore] = [alice.received.length, bob.received.length, server.logs.length];
    const result = await service().setAffiliations(roomJid('club'), [
      { jid: 'bob@localhost', affiliation: 'none', reason: 'cleanup' },
      { jid: 'carol@localhost', affiliation: 'member' },
      { jid: Jid.of('dave', 'localhost'), affiliation: 'outcast' },
    ]);
    expect(result).toEqual({ ok: true, value: 3 });
    const removed = await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable', 3000, seenByBob);
    expect(statusCodes(removed).sort()).toEqual([110, 321]);
    expect(item(removed)?.attrs.affiliation).toBe('none');
    expect(statusCodes(await presenceOf(alice, seenByAlice, 'club', 'Bob'))).toEqual([321]);
    const carolNotice = await roomMessage(alice, seenByAlice, 'club', (el) => item(el)?.attrs.jid === 'carol@localhost');
    expect(item(carolNotice)?.attrs.affiliation).toBe('member');
    const daveNotice = await roomMessage(alice, seenByAlice, 'club', (el) => item(el)?.attrs.jid === 'dave@localhost');
    expect([item(daveNotice)?.attrs.affiliation, statusCodes(daveNotice)]).toEqual(['outcast', [301]]);
    // Bob is neither a moderator nor in a non-anonymous room: he sees no real JIDs.
    await sync(bob);
    expect(since(bob, seenByBob).filter((el) => el.name === 'message')).toEqual([]);
    const writes = server.logs.slice(logsBefore).filter((line) => line.msg === 'room record written' && line.room === roomJid('club'));
    expect(writes).toHaveLength(1);
    expect(errorCondition(await join(bob, 'club', 'Bob'))).toBe('registration-required');
    expect(item(await enter(carol, 'club', 'Carol'))?.attrs.affiliation).toBe('member');
    // The same list again changes nothing and tells nobody anything.
    await sync(alice);
    const quiet = alice.received.length;
    expect(await service().setAffiliations(roomJid('club'), [{ jid: 'carol@localhost', affiliation: 'member' }, { jid: 'alice@localhost', affiliation: 'owner' }]))
      .toEqual({ ok: true, value: 0 });
    await sync(alice);
    expect(since(alice, quiet).filter((el) => el.name !== 'iq')).toEqual([]);
  });

  test('banning a present user in an open room: 301 to everyone', async () => {
    await roomWithOwner('open');
    await enter(alice, 'open', 'Alice');
    await enter(bob, 'open', 'Bob');
    await sync(alice);
    const seenByAlice = alice.received.length;
    expect((await service().setAffiliations(roomJid('open'), [{ jid: 'bob@localhost', affiliation: 'outcast' }])).ok).toBe(true);
    const banned = await presenceOf(alice, seenByAlice, 'open', 'Bob');
    expect([banned.attrs.type, statusCodes(banned), item(banned)?.attrs.affiliation]).toEqual(['unavailable', [301], 'outcast']);
  });

  test('all or nothing: a bad entry anywhere changes nothing and names its index', async () => {
    await roomWithOwner('strict');
    const room = roomJid('strict');
    const carolJid = Jid.of('carol', 'localhost');
    expect(await service().setAffiliations(room, [{ jid: 'carol@localhost', affiliation: 'member' }, { jid: 'not a jid@@', affiliation: 'member' }]))
      .toEqual({ ok: false, error: { problem: 'invalid-jid', index: 1 } });
    expect(await service().setAffiliations(room, [{ jid: 'carol@localhost', affiliation: 'member' }, { jid: 'carol@localhost/phone', affiliation: 'admin' }]))
      .toEqual({ ok: false, error: { problem: 'duplicate-jid', index: 1 } });
    expect(await service().setAffiliations(room, [{ jid: 'carol@localhost', affiliation: 'member' }, { jid: 'alice@localhost', affiliation: 'admin' }]))
      .toEqual({ ok: false, error: { problem: 'last-owner', index: 1 } });
    expect(service().room(room)?.affiliation(carolJid)).toBe('none');
    expect(await service().setAffiliations(roomJid('nowhere'), [])).toEqual({ ok: false, error: 'room-not-found' });
    // Handing ownership over in one batch keeps an owner: allowed.
    expect(await service().setAffiliations(room, [{ jid: 'alice@localhost', affiliation: 'member' }, { jid: 'carol@localhost', affiliation: 'owner' }]))
      .toEqual({ ok: true, value: 2 });
  });

  test('1,000 JIDs in one call: stored in one write, quickly, every present moderator told of each', async () => {
    await roomWithOwner('bulk', { persistentroom: true });
    await enter(alice, 'bulk', 'Alice');
    const [seenByAlice, logsBefore] = [alice.received.length, server.logs.length];
    const changes = Array.from({ length: 1000 }, (_, i) => ({ jid: `user${i}@example.org`, affiliation: 'member' as const }));
    const started = performance.now();
    const result = await service().setAffiliations(roomJid('bulk'), changes);
    const elapsed = performance.now() - started;
    expect(result).toEqual({ ok: true, value: 1000 });
    expect(elapsed).toBeLessThan(2000);
    const writes = server.logs.slice(logsBefore).filter((line) => line.msg === 'room record written' && line.room === roomJid('bulk'));
    expect(writes).toHaveLength(1);
    const stored = await coreOf(server).storage.open<{ affiliations?: unknown }>(SERVICE, 'muc_rooms').get('bulk');
    expect(JSON.stringify(stored)).toContain('user999@example.org');
    await alice.waitFor(() => since(alice, seenByAlice).filter((el) => el.name === 'message' && item(el)?.attrs.affiliation === 'member').length === 1000, 5000, seenByAlice);
    expect(service().room(roomJid('bulk'))?.affiliations()).toHaveLength(1001);
  });
});

describe('configure', () => {
  test('as an owner form: status codes 172 and 104, members-only removes non-members with 322, resolves with the room', async () => {
    await roomWithOwner('conf');
    await enter(alice, 'conf', 'Alice');
    await enter(bob, 'conf', 'Bob');
    let seenByBob = bob.received.length;
    const result = await service().configure(roomJid('conf'), { whois: 'anyone', roomname: 'Configured' });
    expect(result.ok && result.value.config.roomname).toBe('Configured');
    const notice = await roomMessage(bob, seenByBob, 'conf', (el) => statusCodes(el).length > 0);
    expect(statusCodes(notice)).toEqual([104, 172]);
    seenByBob = bob.received.length;
    expect((await service().configure(roomJid('conf'), { membersonly: true })).ok).toBe(true);
    const removed = await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable', 3000, seenByBob);
    expect(statusCodes(removed).sort()).toEqual([110, 322]);
    expect(service().occupants(roomJid('conf'))).toMatchObject({ ok: true, value: [{ nick: 'Alice' }] });
  });

  test('values checked like a form: nothing changes on a bad value; a room made temporary and empty goes away', async () => {
    await roomWithOwner('checked', { persistentroom: true });
    const room = roomJid('checked');
    const bad: Array<Record<string, unknown>> = [
      { historylength: 1000 }, { maxusers: 0 }, { whois: 'everyone' }, { roomnam: 'typo' }, { passwordprotectedroom: true }, { lang: 'not a tag' },
    ];
    for (const changes of bad) expect(await service().configure(room, changes)).toEqual({ ok: false, error: 'invalid-config' });
    expect(service().room(room)?.config.historylength).toBe(20);
    expect((await service().configure(room, { roomsecret: 'pw' })).ok).toBe(true);
    expect(service().room(room)?.config.passwordprotectedroom).toBe(true);
    expect(await coreOf(server).storage.open(SERVICE, 'muc_rooms').get('checked')).toBeDefined();
    expect((await service().configure(room, { persistentroom: false })).ok).toBe(true);
    expect(service().room(room)).toBeUndefined();
    expect(await coreOf(server).storage.open(SERVICE, 'muc_rooms').get('checked')).toBeUndefined();
    expect(await service().configure(room, {})).toEqual({ ok: false, error: 'room-not-found' });
  });
});

describe('postMessage', () => {
  test('as the room: every occupant gets it with the room stanza-id; it is in history and in the archive', async () => {
    await roomWithOwner('news');
    await enter(alice, 'news', 'Alice');
    await enter(bob, 'news', 'Bob');
    const seenByBob = bob.received.length;
    const posted = service().postMessage(roomJid('news'), 'Maintenance at noon', { id: 'notice-1' });
    expect(posted).toEqual({ ok: true, value: { id: 'notice-1' } });
    const message = await bob.waitFor((el) => el.name === 'message' && el.attrs.id === 'notice-1', 3000, seenByBob);
    expect([message.attrs.from, message.attrs.type, message.getChildText('body')]).toEqual([roomJid('news'), 'groupchat', 'Maintenance at noon']);
    const [stanzaId] = roomStanzaIds(message, 'news');
    expect(stanzaId).toBeDefined();
    const seenByCarol = carol.received.length;
    await enter(carol, 'news', 'Carol');
    const history = since(carol, seenByCarol).find((el) => el.name === 'message' && el.getChildText('body') === 'Maintenance at noon');
    expect(history?.getChild('delay', 'urn:xmpp:delay')).toBeDefined();
    const archive = await queryRoom(carol, 'news');
    expect(archive.ids).toContain(stanzaId);
  });

  test('as a system nick not in use; a nick in use or invalid is refused', async () => {
    await roomWithOwner('system');
    await enter(bob, 'system', 'Bob');
    const seenByBob = bob.received.length;
    const posted = service().postMessage(roomJid('system'), 'Hello from the bot', { nick: 'Bot' });
    expect(posted.ok).toBe(true);
    const message = await bob.waitFor((el) => el.name === 'message' && el.getChildText('body') === 'Hello from the bot', 3000, seenByBob);
    expect(message.attrs.from).toBe(`${roomJid('system')}/Bot`);
    expect(message.attrs.id).toBe(posted.ok ? posted.value.id : '');
    expect(service().postMessage(roomJid('system'), 'x', { nick: 'Bob' })).toEqual({ ok: false, error: 'nick-in-use' });
    expect(service().postMessage(roomJid('system'), 'x', { nick: '' })).toEqual({ ok: false, error: 'invalid-nick' });
    expect(service().postMessage(roomJid('nowhere'), 'x')).toEqual({ ok: false, error: 'room-not-found' });
  });
});

describe('invite', () => {
  test('a mediated invitation from the room; addMember lets the invitee into a members-only room', async () => {
    await roomWithOwner('private', { membersonly: true, roomsecret: 'pw' });
    const seenByCarol = carol.received.length;
    // To Carol's session: she sent no presence, so a message to her bare JID would wait offline.
    expect(await service().invite(roomJid('private'), 'carol@localhost/c', { reason: 'Join us', addMember: true })).toEqual({ ok: true, value: undefined });
    const invitation = await carol.waitFor((el) => el.name === 'message' && el.getChild('x', MUC_USER)?.getChild('invite') !== undefined, 3000, seenByCarol);
    const x = invitation.getChild('x', MUC_USER)!;
    expect([invitation.attrs.from, x.getChild('invite')?.attrs.from, x.getChild('invite')?.getChildText('reason'), x.getChildText('password')])
      .toEqual([roomJid('private'), roomJid('private'), 'Join us', 'pw']);
    expect(invitation.getChild('x', 'jabber:x:conference')?.attrs.jid).toBe(roomJid('private'));
    expect(item(await enter(carol, 'private', 'Carol', { password: 'pw' }))?.attrs.affiliation).toBe('member');
  });

  test('without addMember the invitee gains no affiliation; from names the inviter; bad JIDs are refused', async () => {
    await roomWithOwner('closed', { membersonly: true });
    const seenByBob = bob.received.length;
    expect((await service().invite(roomJid('closed'), Jid.of('bob', 'localhost', 'b'), { from: 'alice@localhost/x' })).ok).toBe(true);
    const invitation = await bob.waitFor((el) => el.name === 'message' && el.getChild('x', MUC_USER) !== undefined, 3000, seenByBob);
    expect(invitation.getChild('x', MUC_USER)?.getChild('invite')?.attrs.from).toBe('alice@localhost');
    expect(service().room(roomJid('closed'))?.affiliation(Jid.of('bob', 'localhost'))).toBe('none');
    expect(await service().invite(roomJid('closed'), 'localhost')).toEqual({ ok: false, error: 'invalid-jid' });
    expect(await service().invite(roomJid('closed'), 'bob@localhost', { from: '@@' })).toEqual({ ok: false, error: 'invalid-jid' });
    expect(await service().invite(roomJid('nowhere'), 'bob@localhost')).toEqual({ ok: false, error: 'room-not-found' });
  });
});
