/**
 * muc_http_auth extended answers (docs/plugins.md, "Extensions to the plugin contract"): an allow
 * sets the nickname, role and affiliation of the entry, as the joiner and the others see it in
 * the join presences; without `muc_http_auth_extended` the same answer is a plain allow.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Jid } from '../../server/jid/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, answer, AuthBackend, route, type Script } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, ask, connect, enter, errorCondition, item, join, MUC_ADMIN, mucService, nicksIn, SERVICE, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com', 'juliet@example.com', 'nurse@example.com');
const ROMEO = Jid.of('romeo', 'example.com');
let backend: AuthBackend;
let server: TestServer;
let romeo: RawClient;
let juliet: RawClient;
let nurse: RawClient;

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startMucServer({
    modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_extended: true, muc_room_locking: false,
  }, USERS);
  [romeo, juliet, nurse] = await Promise.all([
    connect(server, 'romeo@example.com', 'balcony'), connect(server, 'juliet@example.com', 'tomb'), connect(server, 'nurse@example.com', 'kitchen'),
  ]);
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.script = allow;
});
afterAll(async () => {
  for (const client of [romeo, juliet, nurse]) client?.close();
  await server?.stop();
  await backend?.close();
});

/** Answers `grant` (with allowed: true) for `user`, a plain allow for everyone else. */
function grantTo(user: string, grant: Record<string, unknown>): Script {
  return route((request) => (request.query.get('userJID') === user ? answer(200, { allowed: true, ...grant }) : allow));
}

function grantRomeo(grant: Record<string, unknown>): Script {
  return grantTo('romeo@example.com', grant);
}

/** The next presence `client` receives from `occupant` (room@service/nick) after index `from`. */
function presenceFrom(client: RawClient, occupant: string, from: number): Promise<Element> {
  return client.waitFor((el) => el.name === 'presence' && el.attrs.from === occupant, 3000, from);
}

function submitConfig(client: RawClient, room: string, fields: Record<string, string>): Promise<Element> {
  const body = Object.entries(fields).map(([name, value]) => `<field var='${name}'><value>${value}</value></field>`).join('');
  return ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'>`
    + `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>${body}</x></query></iq>`);
}

test('role, affiliation and nick: the joiner gets 110 + 210 from the assigned nick, the others see the same item', async () => {
  await enter(juliet, 'verona', 'Juliet');
  backend.script = grantRomeo({ role: 'moderator', affiliation: 'member', nick: 'Romeo (guard)' });
  backend.requests.length = 0;
  const seenByJuliet = juliet.received.length;
  const self = await join(romeo, 'verona', 'Romeo');
  expect(self.attrs.from).toBe(`verona@${SERVICE}/Romeo (guard)`);
  expect(statusCodes(self)).toEqual(expect.arrayContaining([110, 210]));
  expect(item(self)?.attrs).toMatchObject({ role: 'moderator', affiliation: 'member' });
  const broadcast = await presenceFrom(juliet, `verona@${SERVICE}/Romeo (guard)`, seenByJuliet);
  expect(item(broadcast)?.attrs).toMatchObject({ role: 'moderator', affiliation: 'member' });
  expect(statusCodes(broadcast)).not.toContain(210);
  // The backend was asked about the nick the user asked for.
  expect(backend.requests.map((request) => request.query.get('nickname'))).toEqual(['Romeo']);
  expect(nicksIn(server, 'verona')).toEqual(['Juliet', 'Romeo (guard)']);
});

test('the affiliation is stored in the room as an owner would set it: it is on the member list', async () => {
  await enter(juliet, 'members', 'Juliet');
  backend.script = grantRomeo({ affiliation: 'member' });
  await enter(romeo, 'members', 'Romeo');
  expect(mucService(server).room(`members@${SERVICE}`)?.affiliation(ROMEO)).toBe('member');
  const list = await ask(juliet, (id) => `<iq type='get' id='${id}' to='members@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='member'/></query></iq>`);
  expect(list.getChild('query', MUC_ADMIN)?.getChildren('item').map((entry) => entry.attrs.jid)).toEqual(['romeo@example.com']);
  // A later answer without the field leaves it; one with affiliation none takes it back.
  await romeoLeaves('members', 'Romeo');
  backend.script = allow;
  await enter(romeo, 'members', 'Romeo');
  expect(mucService(server).room(`members@${SERVICE}`)?.affiliation(ROMEO)).toBe('member');
  await romeoLeaves('members', 'Romeo');
  backend.script = grantRomeo({ affiliation: 'none' });
  expect(item(await enter(romeo, 'members', 'Romeo'))?.attrs.affiliation).toBe('none');
  expect(mucService(server).room(`members@${SERVICE}`)?.affiliation(ROMEO)).toBe('none');
});

async function romeoLeaves(room: string, nick: string): Promise<void> {
  const from = romeo.received.length;
  romeo.send(`<presence type='unavailable' to='${room}@${SERVICE}/${nick}'/>`);
  await romeo.waitFor((el) => el.attrs.type === 'unavailable' && String(el.attrs.from).startsWith(`${room}@${SERVICE}/`), 3000, from);
}

test('a granted membership admits to a members-only room, which refuses without it', async () => {
  await enter(juliet, 'closed', 'Juliet');
  expect((await submitConfig(juliet, 'closed', { 'muc#roomconfig_membersonly': '1' })).attrs.type).toBe('result');
  backend.script = allow;
  expect(errorCondition(await join(romeo, 'closed', 'Romeo'))).toBe('registration-required');
  expect(mucService(server).room(`closed@${SERVICE}`)?.affiliation(ROMEO)).toBe('none');
  backend.script = grantRomeo({ affiliation: 'member' });
  expect(item(await enter(romeo, 'closed', 'Romeo'))?.attrs).toMatchObject({ role: 'participant', affiliation: 'member' });
});

test('role visitor: enters without voice; a groupchat message is refused', async () => {
  await enter(juliet, 'quiet', 'Juliet');
  backend.script = grantRomeo({ role: 'visitor' });
  expect(item(await enter(romeo, 'quiet', 'Romeo'))?.attrs).toMatchObject({ role: 'visitor', affiliation: 'none' });
  const from = romeo.received.length;
  romeo.send(`<message type='groupchat' to='quiet@${SERVICE}'><body>hello</body></message>`);
  const refused = await romeo.waitFor((el) => el.name === 'message' && el.attrs.type === 'error', 3000, from);
  expect(errorCondition(refused)).toBe('forbidden');
});

test('XEP-0045 limits: an admin stays a moderator whatever role is granted; the only owner is not demoted', async () => {
  await enter(nurse, 'capulet', 'Nurse');
  expect((await submitConfig(nurse, 'capulet', { 'muc#roomconfig_persistentroom': '1' })).attrs.type).toBe('result');
  const admin = await ask(nurse, (id) => `<iq type='set' id='${id}' to='capulet@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='admin' jid='romeo@example.com'/></query></iq>`);
  expect(admin.attrs.type).toBe('result');
  backend.script = grantRomeo({ role: 'visitor' });
  expect(item(await enter(romeo, 'capulet', 'Romeo'))?.attrs).toMatchObject({ role: 'moderator', affiliation: 'admin' });
  // The nurse is the room's only owner: a grant of membership leaves her the owner (a room keeps one).
  const from = nurse.received.length;
  nurse.send(`<presence type='unavailable' to='capulet@${SERVICE}/Nurse'/>`);
  await nurse.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `capulet@${SERVICE}/Nurse`, 3000, from);
  backend.script = grantTo('nurse@example.com', { role: 'visitor', affiliation: 'member' });
  expect(item(await enter(nurse, 'capulet', 'Nurse'))?.attrs).toMatchObject({ role: 'moderator', affiliation: 'owner' });
  expect(mucService(server).room(`capulet@${SERVICE}`)?.affiliation(Jid.of('nurse', 'example.com'))).toBe('owner');
});

test('a grant never lifts a ban: the banned user is refused with forbidden and stays banned', async () => {
  await enter(juliet, 'banned', 'Juliet');
  const ban = await ask(juliet, (id) => `<iq type='set' id='${id}' to='banned@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='outcast' jid='romeo@example.com'/></query></iq>`);
  expect(ban.attrs.type).toBe('result');
  backend.script = grantRomeo({ affiliation: 'member', role: 'participant' });
  expect(errorCondition(await join(romeo, 'banned', 'Romeo'))).toBe('forbidden');
  expect(mucService(server).room(`banned@${SERVICE}`)?.affiliation(ROMEO)).toBe('outcast');
});

test('a forced nick held by another user is a conflict, answered from the address the user asked for', async () => {
  await enter(juliet, 'crowded', 'Juliet');
  backend.script = grantRomeo({ nick: 'Juliet' });
  const refused = await join(romeo, 'crowded', 'Romeo', { id: 'c1' });
  expect(refused.attrs).toMatchObject({ type: 'error', id: 'c1', from: `crowded@${SERVICE}/Romeo` });
  expect(errorCondition(refused)).toBe('conflict');
  expect(refused.getChild('error')?.attrs.type).toBe('cancel');
  expect(nicksIn(server, 'crowded')).toEqual(['Juliet']);
});

test('a nickname change re-asked: the assigned nick replaces the requested one, with 303 and 210', async () => {
  await enter(juliet, 'rename', 'Juliet');
  await enter(romeo, 'rename', 'Romeo');
  backend.script = grantRomeo({ nick: 'Romeo (guard)' });
  const from = romeo.received.length;
  romeo.send(`<presence to='rename@${SERVICE}/Montague'/>`);
  const left = await romeo.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `rename@${SERVICE}/Romeo`, 3000, from);
  expect(statusCodes(left)).toEqual(expect.arrayContaining([303, 110]));
  expect(item(left)?.attrs.nick).toBe('Romeo (guard)');
  const renamed = await presenceFrom(romeo, `rename@${SERVICE}/Romeo (guard)`, from);
  expect(statusCodes(renamed)).toEqual(expect.arrayContaining([110, 210]));
  expect(nicksIn(server, 'rename')).toEqual(['Juliet', 'Romeo (guard)']);
  // Asked again for a nick, the room assigns the one Romeo already has: nothing to change to.
  const refused = await join(romeo, 'rename', 'Romeo');
  expect(refused.attrs.type).toBe('error');
  expect(errorCondition(refused)).toBe('not-acceptable');
  expect(nicksIn(server, 'rename')).toEqual(['Juliet', 'Romeo (guard)']);
});

test('without muc_http_auth_extended the same answers are plain allows and refusals', async () => {
  const plain = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_room_locking: false }, USERS);
  const [plainJuliet, plainRomeo] = await Promise.all([connect(plain, 'juliet@example.com', 'tomb'), connect(plain, 'romeo@example.com', 'balcony')]);
  try {
    await enter(plainJuliet, 'plain', 'Juliet');
    backend.script = grantRomeo({ role: 'moderator', affiliation: 'admin', nick: 'Romeo (guard)' });
    const self = await enter(plainRomeo, 'plain', 'Romeo');
    expect(self.attrs.from).toBe(`plain@${SERVICE}/Romeo`);
    expect(statusCodes(self)).not.toContain(210);
    expect(item(self)?.attrs).toMatchObject({ role: 'participant', affiliation: 'none' });
    expect(plain.muc(SERVICE).room(`plain@${SERVICE}`)?.affiliation(ROMEO)).toBe('none');
    // Malformed extended fields are not read either: still a plain allow.
    backend.script = grantRomeo({ role: 'vistor', nick: 42 });
    expect(statusCodes(await join(plainRomeo, 'plain2', 'Romeo'))).toContain(110);
    backend.script = answer(200, { allowed: false, error: 'expired', reason: 'Your subscription has expired' });
    const refused = await join(plainRomeo, 'plain3', 'Romeo');
    expect(refused.getChild('error')?.getChildText('text', 'urn:ietf:params:xml:ns:xmpp-stanzas')).toBe('Not authorized to join this room');
  } finally {
    plainJuliet.close();
    plainRomeo.close();
    await plain.stop();
  }
});
