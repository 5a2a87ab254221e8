/** Roles and affiliations (XEP-0045 §5, §8, §9, §10): kicks, bans, voice, lists and their errors. */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, MUC_ADMIN, SERVICE, since, statusCodes, sync, users,
} from '../helpers/muc-harness.js';

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
let dave: RawClient;

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol', 'dave') });
  [alice, bob, carol, dave] = await Promise.all([
    login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'),
    login(server.port, 'carol', 'laptop'), login(server.port, 'dave', 'tablet'),
  ]);
});
afterAll(async () => {
  for (const client of [alice, bob, carol, dave]) client?.close();
  await server.stop();
});

function admin(client: RawClient, room: string, items: string): Promise<Element> {
  return ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_ADMIN}'>${items}</query></iq>`);
}

function list(client: RawClient, room: string, attribute: string): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item ${attribute}/></query></iq>`);
}

/** alice owner, bob admin, carol member, dave unaffiliated; all four in `room`. */
async function staffedRoom(room: string): Promise<void> {
  await createInstantRoom(alice, room, 'Alice');
  expect((await admin(alice, room, "<item affiliation='admin' jid='bob@localhost'/><item affiliation='member' jid='carol@localhost'/>")).attrs.type).toBe('result');
  await enter(bob, room, 'Bob');
  await enter(carol, room, 'Carol');
  await enter(dave, room, 'Dave');
  await sync(alice);
}

describe('kicking (§8.2)', () => {
  beforeAll(() => staffedRoom('kicks'));

  test('the kicked occupant gets 307 + 110 with role none, actor and reason; the others 307', async () => {
    const seenDave = dave.received.length;
    const seenCarol = carol.received.length;
    const reply = await admin(bob, 'kicks', "<item nick='Dave' role='none'><reason>Behave</reason></item>");
    expect(reply.attrs.type).toBe('result');
    const self = await dave.waitFor((el) => el.attrs.type === 'unavailable', 3000, seenDave);
    expect(self.attrs.from).toBe(`kicks@${SERVICE}/Dave`);
    expect(statusCodes(self)).toEqual([110, 307]);
    expect(item(self)?.attrs).toMatchObject({ role: 'none', affiliation: 'none' });
    expect(item(self)?.getChild('actor')?.attrs.nick).toBe('Bob');
    expect(item(self)?.getChildText('reason')).toBe('Behave');
    const seen = await carol.waitFor((el) => el.attrs.from === `kicks@${SERVICE}/Dave` && el.attrs.type === 'unavailable', 3000, seenCarol);
    expect(statusCodes(seen)).toEqual([307]);
    expect(item(seen)?.getChildText('reason')).toBe('Behave');
    // A kick is not a ban.
    expect((await join(dave, 'kicks', 'Dave')).attrs.type).toBeUndefined();
  });

  test('a participant may not kick (forbidden); a moderator may not kick a higher affiliation (not-allowed)', async () => {
    expect(errorCondition(await admin(dave, 'kicks', "<item nick='Carol' role='none'/>"))).toBe('forbidden');
    expect((await admin(alice, 'kicks', "<item nick='Carol' role='moderator'/>")).attrs.type).toBe('result');
    await sync(bob);
    const seenBob = bob.received.length;
    expect(errorCondition(await admin(carol, 'kicks', "<item nick='Bob' role='none'/>"))).toBe('not-allowed');
    await sync(bob);
    expect(since(bob, seenBob).filter((el) => el.name === 'presence')).toEqual([]);
    expect(errorCondition(await admin(carol, 'kicks', "<item nick='Nobody' role='none'/>"))).toBe('item-not-found');
  });
});

describe('voice (§8.3, §8.4)', () => {
  beforeAll(async () => {
    await staffedRoom('voices');
    expect((await configure(alice, 'voices', { 'muc#roomconfig_moderatedroom': '1' })).attrs.type).toBe('result');
  });

  test('revoking voice makes a visitor, granting it a participant; an admin keeps its voice', async () => {
    const seenAlice = alice.received.length;
    expect((await admin(bob, 'voices', "<item nick='Carol' role='visitor'/>")).attrs.type).toBe('result');
    const revoked = await alice.waitFor((el) => el.attrs.from === `voices@${SERVICE}/Carol`, 3000, seenAlice);
    expect(item(revoked)?.attrs.role).toBe('visitor');
    const seenCarol = carol.received.length;
    carol.send(`<message to='voices@${SERVICE}' type='groupchat' id='mute'><body>hi</body></message>`);
    expect(errorCondition(await carol.waitFor((el) => el.attrs.id === 'mute', 3000, seenCarol))).toBe('forbidden');
    expect((await admin(bob, 'voices', "<item nick='Carol' role='participant'/>")).attrs.type).toBe('result');
    carol.send(`<message to='voices@${SERVICE}' type='groupchat' id='unmuted'><body>thanks</body></message>`);
    expect((await carol.waitFor((el) => el.attrs.id === 'unmuted', 3000, seenCarol)).attrs.type).toBe('groupchat');
    expect(errorCondition(await admin(bob, 'voices', "<item nick='Alice' role='visitor'/>"))).toBe('not-allowed');
  });
});

describe('affiliations (§9, §10)', () => {
  beforeAll(() => staffedRoom('lists'));

  test('the member list, to admins; an unaffiliated user asking for the outcast list is forbidden', async () => {
    const members = await list(bob, 'lists', "affiliation='member'");
    expect(members.getChild('query')?.getChildren('item').map((i) => i.attrs)).toEqual([{ affiliation: 'member', jid: 'carol@localhost' }]);
    const owners = await list(alice, 'lists', "affiliation='owner'");
    expect(owners.getChild('query')?.getChildren('item').map((i) => i.attrs.jid)).toEqual(['alice@localhost']);
    expect(errorCondition(await list(dave, 'lists', "affiliation='outcast'"))).toBe('forbidden');
    const moderators = await list(bob, 'lists', "role='moderator'");
    expect(moderators.getChild('query')?.getChildren('item').map((i) => i.attrs.nick).sort()).toEqual(['Alice', 'Bob']);
  });

  test('a ban (301) removes the occupant, who cannot come back', async () => {
    const seenDave = dave.received.length;
    const seenCarol = carol.received.length;
    expect((await admin(bob, 'lists', "<item affiliation='outcast' jid='dave@localhost'><reason>Spam</reason></item>")).attrs.type).toBe('result');
    const self = await dave.waitFor((el) => el.attrs.type === 'unavailable', 3000, seenDave);
    expect(statusCodes(self)).toEqual([110, 301]);
    expect(item(self)?.attrs).toMatchObject({ affiliation: 'outcast', role: 'none' });
    const other = await carol.waitFor((el) => el.attrs.from === `lists@${SERVICE}/Dave`, 3000, seenCarol);
    expect(statusCodes(other)).toEqual([301]);
    expect(errorCondition(await join(dave, 'lists', 'Dave'))).toBe('forbidden');
    const outcasts = await list(alice, 'lists', "affiliation='outcast'");
    expect(outcasts.getChild('query')?.getChildren('item').map((i) => i.attrs.jid)).toEqual(['dave@localhost']);
  });

  test('granting admin makes a moderator; an admin may not grant ownership, ban an owner, or demote itself', async () => {
    const seen = alice.received.length;
    expect((await admin(alice, 'lists', "<item affiliation='admin' jid='carol@localhost'/>")).attrs.type).toBe('result');
    const promoted = await alice.waitFor((el) => el.attrs.from === `lists@${SERVICE}/Carol`, 3000, seen);
    expect(item(promoted)?.attrs).toMatchObject({ affiliation: 'admin', role: 'moderator' });
    expect(errorCondition(await admin(bob, 'lists', "<item affiliation='owner' jid='carol@localhost'/>"))).toBe('forbidden');
    expect(errorCondition(await admin(bob, 'lists', "<item affiliation='outcast' jid='alice@localhost'/>"))).toBe('not-allowed');
    expect(errorCondition(await admin(bob, 'lists', "<item affiliation='member' jid='bob@localhost'/>"))).toBe('forbidden');
    expect(errorCondition(await admin(bob, 'lists', "<item affiliation='outcast' jid='bob@localhost'/>"))).toBe('conflict');
  });

  test('the last owner cannot step down (conflict); the state is unchanged after a failed request', async () => {
    expect(errorCondition(await admin(alice, 'lists', "<item affiliation='admin' jid='alice@localhost'/>"))).toBe('conflict');
    // A request with a bad item applies none of its items.
    expect(errorCondition(await admin(alice, 'lists', "<item affiliation='member' jid='carol@localhost'/><item affiliation='bogus' jid='bob@localhost'/>"))).toBe('bad-request');
    const admins = await list(alice, 'lists', "affiliation='admin'");
    expect(admins.getChild('query')?.getChildren('item').map((i) => i.attrs.jid).sort()).toEqual(['bob@localhost', 'carol@localhost']);
    expect((await admin(alice, 'lists', "<item affiliation='owner' jid='bob@localhost'/><item affiliation='admin' jid='alice@localhost'/>")).attrs.type).toBe('result');
    const owners = await list(bob, 'lists', "affiliation='owner'");
    expect(owners.getChild('query')?.getChildren('item').map((i) => i.attrs.jid)).toEqual(['bob@localhost']);
  });
});

describe('members-only rooms (§9.4, §10.2)', () => {
  test('when a room becomes members-only, non-members leave with 322; a revoked member leaves with 321', async () => {
    await createInstantRoom(alice, 'private', 'Alice');
    expect((await admin(alice, 'private', "<item affiliation='member' jid='carol@localhost'/>")).attrs.type).toBe('result');
    await enter(carol, 'private', 'Carol');
    await enter(dave, 'private', 'Dave');
    await sync(alice);
    const seenDave = dave.received.length;
    const seenAlice = alice.received.length;
    expect((await configure(alice, 'private', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
    const removed = await dave.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `private@${SERVICE}/Dave`, 3000, seenDave);
    expect(statusCodes(removed)).toEqual([110, 322]);
    const seenCarol = carol.received.length;
    expect((await admin(alice, 'private', "<item affiliation='none' jid='carol@localhost'/>")).attrs.type).toBe('result');
    const revoked = await carol.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `private@${SERVICE}/Carol`, 3000, seenCarol);
    expect(statusCodes(revoked)).toEqual([110, 321]);
    const toAlice = since(alice, seenAlice).filter((el) => el.name === 'presence' && el.attrs.type === 'unavailable');
    expect(toAlice.map((el) => statusCodes(el))).toEqual([[322], [321]]);
  });
});
