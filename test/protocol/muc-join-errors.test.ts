/**
 * Every refused room entry and nickname change is an error presence carrying
 * `<x xmlns='http://jabber.org/protocol/muc'/>` (XEP-0045 §7.2.1–§7.2.10, §7.6 examples): clients
 * such as slixmpp recognise join errors by it. Also: iq responses to rooms and occupants are never
 * answered (RFC 6120 §8.2.3).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import { AuthBackend, deny } from '../helpers/muc-http-auth-backend.js';
import type { RawClient } from '../helpers/raw-client.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ask, configure, createInstantRoom, enter, errorCondition, join, login, MUC, SERVICE, since, sync, users,
} from '../helpers/muc-harness.js';

const GUARDED = 'guarded.localhost';

let backend: AuthBackend;
let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;

beforeAll(async () => {
  backend = await AuthBackend.start();
  backend.script = deny('not on the guest list');
  server = await startTestServer({
    users: users('alice', 'bob', 'carol'),
    hosts: [
      VirtualHost('localhost'),
      Component(SERVICE, 'muc', { muc_room_lock_timeout: 30 }),
      Component(GUARDED, 'muc', { modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url() }),
    ],
  });
  [alice, bob, carol] = await Promise.all([login(server.port, 'alice', 'desk'), login(server.port, 'bob', 'phone'), login(server.port, 'carol', 'laptop')]);
});
afterAll(async () => {
  for (const client of [alice, bob, carol]) client?.close();
  await server?.stop();
  await backend?.close();
});

/** The error presence has exactly one, empty MUC `<x/>` (the password is never echoed) and the error. */
function expectMucError(presence: Element, condition: string): void {
  expect(presence.attrs.type).toBe('error');
  expect(errorCondition(presence)).toBe(condition);
  const xs = presence.getChildren('x', MUC);
  expect(xs.map(String)).toEqual([`<x xmlns="${MUC}"/>`]);
}

describe('join errors carry the MUC <x/> (XEP-0045 §7.2)', () => {
  test('§7.2.8 a nickname in use → conflict', async () => {
    await createInstantRoom(alice, 'clash', 'Alice');
    expectMucError(await join(bob, 'clash', 'Alice'), 'conflict');
  });

  test('§7.2.1 no nickname → jid-malformed; an invalid nickname → jid-malformed', async () => {
    const seen = bob.received.length;
    bob.send(`<presence to='clash@${SERVICE}' id='nonick'><x xmlns='${MUC}'/></presence>`);
    expectMucError(await bob.waitFor((el) => el.attrs.id === 'nonick', 3000, seen), 'jid-malformed');
    expectMucError(await join(bob, 'clash', 'x'.repeat(40)), 'jid-malformed');
  });

  test('§7.2.5 a wrong password → not-authorized, without echoing the password', async () => {
    await createInstantRoom(alice, 'secret', 'Alice');
    expect((await configure(alice, 'secret', { 'muc#roomconfig_passwordprotectedroom': '1', 'muc#roomconfig_roomsecret': 's3cret' })).attrs.type).toBe('result');
    const refused = await join(bob, 'secret', 'Bob', { password: 'guess' });
    expectMucError(refused, 'not-authorized');
    expect(refused.toString()).not.toContain('guess');
  });

  test('§7.2.6 members-only → registration-required; §7.2.7 banned → forbidden; §7.2.10 full → service-unavailable', async () => {
    await createInstantRoom(alice, 'club', 'Alice');
    expect((await configure(alice, 'club', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
    expectMucError(await join(carol, 'club', 'Carol'), 'registration-required');

    await createInstantRoom(alice, 'nobans', 'Alice');
    const ban = await ask(alice, (id) => `<iq type='set' id='${id}' to='nobans@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#admin'><item affiliation='outcast' jid='carol@localhost'/></query></iq>`);
    expect(ban.attrs.type).toBe('result');
    expectMucError(await join(carol, 'nobans', 'Carol'), 'forbidden');

    await createInstantRoom(alice, 'tiny', 'Alice');
    expect((await configure(alice, 'tiny', { 'muc#roomconfig_maxusers': '2' })).attrs.type).toBe('result');
    await enter(bob, 'tiny', 'Bob');
    expectMucError(await join(carol, 'tiny', 'Carol'), 'service-unavailable');
  });

  test('§10.1.1 a locked room (not yet configured) → item-not-found', async () => {
    await enter(alice, 'unconfigured', 'Alice');
    expectMucError(await join(bob, 'unconfigured', 'Bob'), 'item-not-found');
  });

  test('§7.6 a nickname change to a nickname in use → conflict', async () => {
    await createInstantRoom(alice, 'renames', 'Alice');
    await enter(bob, 'renames', 'Bob');
    const seen = bob.received.length;
    bob.send(`<presence to='renames@${SERVICE}/Alice' id='rename'/>`);
    expectMucError(await bob.waitFor((el) => el.attrs.id === 'rename', 3000, seen), 'conflict');
  });

  test('a muc_http_auth refusal → not-authorized', async () => {
    const asked = backend.requests.length;
    const seen = bob.received.length;
    bob.send(`<presence to='vip@${GUARDED}/Bob' id='vip-join'><x xmlns='${MUC}'/></presence>`);
    expectMucError(await bob.waitFor((el) => el.attrs.id === 'vip-join', 5000, seen), 'not-authorized');
    expect(backend.requests.length).toBe(asked + 1);
  });
});

describe('iq responses to rooms and occupants are never answered (RFC 6120 §8.2.3)', () => {
  test.each([
    ['an existing room', `clash@${SERVICE}`],
    ['an occupant', `clash@${SERVICE}/Alice`],
    ['a nickname nobody uses', `clash@${SERVICE}/Nobody`],
  ])('a result or error iq to %s gets no reply', async (_name, to) => {
    const seen = bob.received.length;
    bob.send(`<iq type='result' id='resp-result' to='${to}'/>`);
    bob.send(`<iq type='error' id='resp-error' to='${to}'><error type='cancel'><service-unavailable xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    await sync(bob);
    await sync(alice);
    expect(since(bob, seen).filter((el) => String(el.attrs.id).startsWith('resp-')).map(String)).toEqual([]);
  });
});
