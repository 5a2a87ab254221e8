/** http_muc_kick: what a kick does on the XMPP side (spec §2.5; K1, K2, K12–K15). */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { kickRequest, errorOf } from '../helpers/muc-kick-request.js';
import {
  accounts, connect, createInstantRoom, enter, item, join, logsWith, mucService, nicksIn, SERVICE, startMucServer, statusCodes, sync,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const SECRET = 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=';
const ROOM = `snuggery@${SERVICE}`;
let server: TestServer;
let alice: RawClient;
let bobPhone: RawClient;
let bobLaptop: RawClient;

beforeAll(async () => {
  server = await startMucServer({ modules_enabled: ['http_muc_kick'], http_muc_kick_authorization_header: SECRET }, accounts('alice@example.com', 'bob@example.com'));
  [alice, bobPhone, bobLaptop] = await Promise.all([
    connect(server, 'alice@example.com', 'desk'), connect(server, 'bob@example.com', 'phone'), connect(server, 'bob@example.com', 'laptop'),
  ]);
  await createInstantRoom(alice, 'snuggery', 'Alice');
});
afterAll(async () => {
  for (const client of [alice, bobPhone, bobLaptop]) client?.close();
  await server?.stop();
});

/** Puts Alice and both of Bob's sessions (back) into the room, then lets every presence arrive. */
beforeEach(async () => {
  const room = () => mucService(server).room(ROOM);
  if (room()?.occupant('Alice') === undefined) await enter(alice, 'snuggery', 'Alice');
  for (const [client, resource] of [[bobPhone, 'phone'], [bobLaptop, 'laptop']] as const) {
    const sessions = room()?.occupant('Bob')?.sessions.map(String) ?? [];
    if (!sessions.includes(`bob@example.com/${resource}`)) await enter(client, 'snuggery', 'Bob');
  }
  await Promise.all([alice, bobPhone, bobLaptop].map(sync));
});

const kick = (body: unknown) => kickRequest(server.httpUrl!, body);

/** The unavailable presence from Bob's occupant JID that `client` receives after `seen`. */
function bobLeaving(client: RawClient, seen: number): Promise<Element> {
  return client.waitFor((el) => el.name === 'presence' && el.attrs.type === 'unavailable' && el.attrs.from === `${ROOM}/Bob`, 3000, seen);
}

test('K1 successful kick: 200 empty; 307+110 with the reason to both of Bob\'s sessions, 307 to Alice, no actor; Bob is gone', async () => {
  const marks = [alice, bobPhone, bobLaptop].map((client) => client.received.length);
  const reply = await kick({ nickname: 'Bob', muc: ROOM, reason: 'spam' });
  expect(reply.status).toBe(200);
  expect(reply.body).toBe('');
  for (const [client, seen] of [[bobPhone, marks[1]!], [bobLaptop, marks[2]!]] as const) {
    const presence = await bobLeaving(client, seen);
    expect(item(presence)?.attrs).toMatchObject({ role: 'none', affiliation: 'none' });
    expect(String(item(presence)?.attrs.jid)).toMatch(/^bob@example\.com\//);
    expect(item(presence)?.getChildText('reason')).toBe('spam');
    expect(statusCodes(presence)).toEqual(expect.arrayContaining([307, 110]));
    expect(presence.toString()).not.toContain('<actor');
  }
  const seenByAlice = await bobLeaving(alice, marks[0]!);
  expect(statusCodes(seenByAlice)).toContain(307);
  expect(statusCodes(seenByAlice)).not.toContain(110);
  expect(item(seenByAlice)?.getChildText('reason')).toBe('spam');
  expect(item(seenByAlice)?.attrs.role).toBe('none');
  expect(seenByAlice.toString()).not.toContain('<actor');
  expect(nicksIn(server, 'snuggery')).toEqual(['Alice']);
  const audit = logsWith(server, 30, 'occupant kicked over HTTP');
  expect(audit.at(-1)).toMatchObject({ room: ROOM, nick: 'Bob', reason: 'spam', ip: '127.0.0.1' });
});

test('K2 no reason: 200 and no <reason/> in the kick presences', async () => {
  const seen = [alice.received.length, bobPhone.received.length];
  expect((await kick({ nickname: 'Bob', muc: ROOM })).status).toBe(200);
  expect((await bobLeaving(bobPhone, seen[1]!)).toString()).not.toContain('<reason');
  expect((await bobLeaving(alice, seen[0]!)).toString()).not.toContain('<reason');
  await enter(bobPhone, 'snuggery', 'Bob');
  await sync(bobPhone);
  const emptyReason = bobPhone.received.length;
  expect((await kick({ nickname: 'Bob', muc: ROOM, reason: '' })).status).toBe(200);
  expect((await bobLeaving(bobPhone, emptyReason)).toString()).not.toContain('<reason');
});

test('K12 unknown nickname: 400 item-not-found (nicknames are case-sensitive) and nobody receives any presence', async () => {
  const marks = [alice, bobPhone, bobLaptop].map((client) => client.received.length);
  for (const nickname of ['Carol', 'bob']) {
    const reply = await kick({ nickname, muc: ROOM });
    expect(reply.status).toBe(400);
    expect(errorOf(reply)).toBe("Couldn't kick user: modify: item-not-found");
  }
  await Promise.all([alice, bobPhone, bobLaptop].map(sync));
  [alice, bobPhone, bobLaptop].forEach((client, index) => {
    expect(client.received.slice(marks[index]).filter((el) => el.name === 'presence')).toEqual([]);
  });
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});

test('K13 normalized room JID: Snuggery@Rooms.Example.NET kicks Bob; the nickname gets the join-time preparation', async () => {
  const seen = bobPhone.received.length;
  expect((await kick({ nickname: 'Bob', muc: 'Snuggery@Rooms.Example.NET' })).status).toBe(200);
  expect(nicksIn(server, 'snuggery')).toEqual(['Alice']);
  await bobLeaving(bobPhone, seen);
  await enter(bobPhone, 'snuggery', 'Bob');
  // RFC 8266: surrounding spaces are removed and the full-width form maps to ASCII, as at join time.
  expect((await kick({ nickname: ' Ｂｏｂ ', muc: ROOM })).status).toBe(200);
  expect(nicksIn(server, 'snuggery')).toEqual(['Alice']);
});

test('K14 owner can be kicked', async () => {
  expect(mucService(server).room(ROOM)?.occupant('Alice')?.affiliation).toBe('owner');
  const seen = alice.received.length;
  expect((await kick({ nickname: 'Alice', muc: ROOM })).status).toBe(200);
  const self = await alice.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `${ROOM}/Alice`, 3000, seen);
  expect(statusCodes(self)).toEqual(expect.arrayContaining([307, 110]));
  expect(nicksIn(server, 'snuggery')).toEqual(['Bob']);
});

test('K15 rejoin after kick: a kick is not a ban', async () => {
  const seen = bobPhone.received.length;
  expect((await kick({ nickname: 'Bob', muc: ROOM, reason: 'spam' })).status).toBe(200);
  await bobLeaving(bobPhone, seen);
  const back = await join(bobPhone, 'snuggery', 'Bob');
  expect(back.attrs.type).toBeUndefined();
  expect(statusCodes(back)).toContain(110);
  expect(nicksIn(server, 'snuggery').sort()).toEqual(['Alice', 'Bob']);
});
