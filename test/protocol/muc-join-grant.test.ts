/**
 * The `grant` of `muc-occupant-pre-join` as any plugin uses it (muc/joining/join-grant.ts): what
 * handlers set is applied after all of them allowed and before the built-in checks, stored only
 * when the entry passes, and kept within XEP-0045's rules.
 */
import { afterAll, afterEach, beforeAll, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { StanzaError } from '../../server/errors/index.js';
import { Priority } from '../../server/hooks/index.js';
import { Jid } from '../../server/jid/index.js';
import { coreOf } from '../../server/core/index.js';
import type { OccupantPreJoinEvent } from '../../muc/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, item, join, login, MUC_ADMIN, SERVICE, statusCodes, users,
} from '../helpers/muc-harness.js';

type Grant = OccupantPreJoinEvent['grant'];

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
const removers: (() => void)[] = [];
const BOB = Jid.of('bob', 'localhost');

beforeAll(async () => {
  server = await startTestServer({
    users: users('alice', 'bob', 'carol'),
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { muc_max_affiliations: 3 })],
  });
  [alice, bob, carol] = await Promise.all([login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'), login(server.port, 'carol', 'laptop')]);
});
afterEach(() => {
  for (const remove of removers.splice(0)) remove();
});
afterAll(async () => {
  for (const client of [alice, bob, carol]) client?.close();
  await server.stop();
});

const bus = () => coreOf(server).host(SERVICE)!.hooks;
const roomView = (room: string) => server.muc(SERVICE).room(`${room}@${SERVICE}`);

/** Grants `grant` to bob's entries at `priority`, recording the kinds of entry it saw. */
function grantBob(grant: Grant, priority: number = Priority.Policy): string[] {
  const kinds: string[] = [];
  removers.push(bus().on('muc-occupant-pre-join', (event) => {
    if (event.occupant.bareJid.equals(BOB)) {
      kinds.push(event.kind);
      Object.assign(event.grant, grant);
    }
    return undefined;
  }, priority));
  return kinds;
}

function affiliationEvents(): { jid: string; affiliation: string; previous: string }[] {
  const seen: { jid: string; affiliation: string; previous: string }[] = [];
  removers.push(bus().on('muc-affiliation-changed', ({ jid, affiliation, previous }) => {
    seen.push({ jid: jid.toString(), affiliation, previous });
    return undefined;
  }, Priority.Default));
  return seen;
}

test('a later (lower-priority) handler overrides an earlier one; the hooks hear the stored affiliation once', async () => {
  await createInstantRoom(alice, 'layers', 'Alice');
  grantBob({ role: 'visitor', affiliation: 'member' }, Priority.Policy);
  grantBob({ role: 'moderator' }, Priority.Default);
  const changes = affiliationEvents();
  expect(item(await enter(bob, 'layers', 'Bob'))?.attrs).toMatchObject({ role: 'moderator', affiliation: 'member' });
  expect(changes).toEqual([{ jid: 'bob@localhost', affiliation: 'member', previous: 'none' }]);
  expect(roomView('layers')?.occupant('Bob')?.role).toBe('moderator');
});

test('a veto by a later handler discards what earlier ones granted: nothing is stored', async () => {
  await createInstantRoom(alice, 'vetoed', 'Alice');
  grantBob({ affiliation: 'admin', nick: 'Boss' }, Priority.Policy);
  removers.push(bus().on('muc-occupant-pre-join', () => StanzaError.auth('not-authorized'), Priority.Default));
  expect(errorCondition(await join(bob, 'vetoed', 'Bob'))).toBe('not-authorized');
  expect(roomView('vetoed')?.affiliation(BOB)).toBe('none');
});

test('a join refused by a built-in check after the grant stores nothing (password room)', async () => {
  await createInstantRoom(alice, 'secret', 'Alice');
  const configured = await configure(alice, 'secret', { 'muc#roomconfig_passwordprotectedroom': '1', 'muc#roomconfig_roomsecret': 'pw' });
  expect(configured.attrs.type).toBe('result');
  grantBob({ affiliation: 'member' });
  expect(errorCondition(await join(bob, 'secret', 'Bob'))).toBe('not-authorized');
  expect(roomView('secret')?.affiliation(BOB)).toBe('none');
  expect(item(await enter(bob, 'secret', 'Bob', { password: 'pw' }))?.attrs.affiliation).toBe('member');
});

test('a granted owner enters a locked room and may configure it', async () => {
  await enter(alice, 'locked', 'Alice');
  expect(roomView('locked')?.locked).toBe(true);
  expect(errorCondition(await join(carol, 'locked', 'Carol'))).toBe('item-not-found');
  grantBob({ affiliation: 'owner' });
  expect(item(await enter(bob, 'locked', 'Bob'))?.attrs).toMatchObject({ role: 'moderator', affiliation: 'owner' });
  const form = await ask(bob, (id) => `<iq type='get' id='${id}' to='locked@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'/></iq>`);
  expect(form.attrs.type).toBe('result');
});

test('a join that creates the room makes its creator the owner whatever was granted (nick still applies)', async () => {
  grantBob({ affiliation: 'member', role: 'visitor', nick: 'Founder' });
  const created = await join(bob, 'fresh', 'Bob');
  expect(created.attrs.from).toBe(`fresh@${SERVICE}/Founder`);
  expect(statusCodes(created)).toEqual(expect.arrayContaining([110, 201, 210]));
  expect(item(created)?.attrs).toMatchObject({ role: 'moderator', affiliation: 'owner' });
});

test('another session of a present occupant: its role is the occupant\'s, the affiliation is applied and shown', async () => {
  await createInstantRoom(alice, 'twice', 'Alice');
  const kinds = grantBob({});
  await enter(bob, 'twice', 'Bob');
  const second = await login(server.port, 'bob', 'tablet');
  try {
    removers.splice(0).forEach((remove) => remove());
    const later = grantBob({ role: 'visitor', affiliation: 'member' });
    const seenByAlice = alice.received.length;
    const self = await join(second, 'twice', 'Bob');
    expect([...kinds, ...later]).toEqual(['join', 'session']);
    expect(item(self)?.attrs).toMatchObject({ role: 'participant', affiliation: 'member' });
    const update = await alice.waitFor((el) => el.name === 'presence' && el.attrs.from === `twice@${SERVICE}/Bob` && item(el)?.attrs.affiliation === 'member', 3000, seenByAlice);
    expect(item(update)?.attrs.role).toBe('participant');
    expect(roomView('twice')?.occupant('Bob')?.sessions).toHaveLength(2);
  } finally {
    second.close();
  }
});

test('a session assigned the nick its user already has in the room joins that occupant (210)', async () => {
  await createInstantRoom(alice, 'alias', 'Alice');
  grantBob({ nick: 'Robert' });
  expect((await enter(bob, 'alias', 'Bob')).attrs.from).toBe(`alias@${SERVICE}/Robert`);
  const second = await login(server.port, 'bob', 'watch');
  try {
    const self = await join(second, 'alias', 'Bobby');
    expect(self.attrs.from).toBe(`alias@${SERVICE}/Robert`);
    expect(statusCodes(self)).toEqual(expect.arrayContaining([110, 210]));
    expect(roomView('alias')?.occupant('Robert')?.sessions).toHaveLength(2);
    expect(roomView('alias')?.occupants().map((occupant) => occupant.nick)).toEqual(['Alice', 'Robert']);
  } finally {
    second.close();
  }
});

test('muc_max_affiliations holds for granted affiliations (policy-violation)', async () => {
  await createInstantRoom(alice, 'bounded', 'Alice');
  for (const jid of ['x@localhost', 'y@localhost']) {
    const added = await ask(alice, (id) => `<iq type='set' id='${id}' to='bounded@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='member' jid='${jid}'/></query></iq>`);
    expect(added.attrs.type).toBe('result');
  }
  grantBob({ affiliation: 'member' });
  const refused = await join(bob, 'bounded', 'Bob');
  expect(errorCondition(refused)).toBe('policy-violation');
  expect(roomView('bounded')?.occupant('Bob')).toBeUndefined();
});
