/** `MucService.createRoom`: rooms made by the service, with config, affiliations and subject. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { MucService, Room } from '../../muc/index.js';
import { coreOf } from '../../server/core/index.js';
import { Jid } from '../../server/jid/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { enter, errorCondition, item, join, login, SERVICE, statusCodes, users } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
const created: Room[] = [];

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob') });
  coreOf(server).host(SERVICE)!.hooks.on('muc-room-created', ({ room }) => {
    created.push(room);
  });
  [alice, bob] = await Promise.all([login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone')]);
});
afterAll(async () => {
  for (const client of [alice, bob]) client?.close();
  await server.stop();
});

const service = (): MucService => server.muc(SERVICE);

describe('MucService.createRoom', () => {
  test('the room exists before any join, unlocked, with its subject; the given owner enters as owner without 201', async () => {
    const result = await service().createRoom(`Lobby@${SERVICE}`, {
      config: { roomname: 'The Lobby', changesubject: true },
      affiliations: { 'alice@localhost': 'owner', 'bob@localhost': 'member' },
      subject: 'Welcome',
    });
    expect(result.ok).toBe(true);
    const room = service().room(`lobby@${SERVICE}`)!;
    expect(room.locked).toBe(false);
    expect(room.config.roomname).toBe('The Lobby');
    expect(room.affiliation(Jid.of('bob', 'localhost'))).toBe('member');
    expect(created.map((r) => r.jid.toString())).toContain(`lobby@${SERVICE}`);
    const seen = alice.received.length;
    const self = await enter(alice, 'lobby', 'Alice');
    expect(statusCodes(self)).toEqual([110]);
    expect(item(self)?.attrs).toMatchObject({ affiliation: 'owner', role: 'moderator' });
    const subject = alice.received.slice(seen).find((el) => el.name === 'message' && el.getChild('subject') !== undefined);
    expect(subject?.getChildText('subject')).toBe('Welcome');
    expect(subject?.attrs.from).toBe(`lobby@${SERVICE}`);
  });

  test('a members-only room refuses a user without affiliation and admits a member', async () => {
    const result = await service().createRoom(`club@${SERVICE}`, {
      config: { membersonly: true },
      affiliations: { 'alice@localhost': 'member' },
    });
    expect(result.ok).toBe(true);
    expect(errorCondition(await join(bob, 'club', 'Bob'))).toBe('registration-required');
    expect(item(await enter(alice, 'club', 'Alice'))?.attrs.affiliation).toBe('member');
  });

  test('a persistent room is stored and outlives its last occupant', async () => {
    await service().createRoom(`keep@${SERVICE}`, { config: { persistentroom: true } });
    expect(await coreOf(server).storage.open<unknown>(SERVICE, 'muc_rooms').get('keep')).toMatchObject({ version: 1 });
    await enter(bob, 'keep', 'Bob');
    const seen = bob.received.length;
    bob.send(`<presence type='unavailable' to='keep@${SERVICE}/Bob'/>`);
    await bob.waitFor((el) => el.attrs.type === 'unavailable', 3000, seen);
    expect(service().room(`keep@${SERVICE}`)).toBeDefined();
  });

  test('typed errors: existing room, foreign domain, full JID, bad affiliation JID, impossible numbers', async () => {
    expect(await service().createRoom(`lobby@${SERVICE}`)).toEqual({ ok: false, error: 'room-exists' });
    expect(await service().createRoom('room@localhost')).toEqual({ ok: false, error: 'invalid-jid' });
    expect(await service().createRoom(`room@${SERVICE}/nick`)).toEqual({ ok: false, error: 'invalid-jid' });
    expect(await service().createRoom(SERVICE)).toEqual({ ok: false, error: 'invalid-jid' });
    expect(await service().createRoom(`r1@${SERVICE}`, { affiliations: { 'a@localhost/res': 'member' } })).toEqual({ ok: false, error: 'invalid-affiliation' });
    expect(await service().createRoom(`r2@${SERVICE}`, { config: { historylength: -1 } })).toEqual({ ok: false, error: 'invalid-config' });
    expect(await service().createRoom(`r3@${SERVICE}`, { config: { maxusers: 0 } })).toEqual({ ok: false, error: 'invalid-config' });
    expect(service().room(`r1@${SERVICE}`) ?? service().room(`r2@${SERVICE}`) ?? service().room(`r3@${SERVICE}`)).toBeUndefined();
  });
});
