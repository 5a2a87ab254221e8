/** muc_http_auth: nick changes, sessions, other join checks, registration, no ghost rooms (spec §1.4, §1.6; A15–A18, A21). */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { Jid } from '../../server/jid/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, AuthBackend, deny, route } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, ask, connect, createInstantRoom, discoInfo, enter, errorCondition, isNotAuthorized, join, MUC_ADMIN,
  mucService, nicksIn, SERVICE, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com', 'juliet@example.com');
const REGISTER_FORM = 'http://jabber.org/protocol/muc#register';
let backend: AuthBackend;
let server: TestServer;
let romeo: RawClient;
let juliet: RawClient;

function pluginOptions(registration: boolean): Record<string, unknown> {
  return { modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_authorize_registration: registration };
}

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startMucServer(pluginOptions(true), USERS);
  [romeo, juliet] = await Promise.all([connect(server, 'romeo@example.com', 'balcony'), connect(server, 'juliet@example.com', 'tomb')]);
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.script = allow;
});
afterAll(async () => {
  romeo?.close();
  juliet?.close();
  await server?.stop();
  await backend?.close();
});

/** Refuses the given nicknames, allows the rest. */
const refuseNicks = (...nicks: string[]) => route((request) => (nicks.includes(request.query.get('nickname') ?? '') ? deny() : allow));

function registerSet(client: RawClient, room: string, nick: string) {
  return ask(client, (id) => `<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='jabber:iq:register'>`
    + `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>${REGISTER_FORM}</value></field>`
    + `<field var='muc#register_roomnick'><value>${nick}</value></field></x></query></iq>`);
}

function registerGet(client: RawClient, room: string) {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${room}@${SERVICE}'><query xmlns='jabber:iq:register'/></iq>`);
}

test('A15 nickname change re-checked: a refused new nick keeps the old one', async () => {
  await createInstantRoom(romeo, 'teaparty', 'Romeo');
  backend.requests.length = 0;
  backend.script = refuseNicks('Admin');
  const renamed = await join(romeo, 'teaparty', 'Admin');
  expect(isNotAuthorized(renamed)).toBe(true);
  expect(renamed.attrs.from).toBe(`teaparty@${SERVICE}/Admin`);
  expect(nicksIn(server, 'teaparty')).toEqual(['Romeo']);
  expect(backend.requests.map((request) => request.query.get('nickname'))).toEqual(['Admin']);
});

test('A16 each session checked: a second session under the same nick makes a second request', async () => {
  await enter(romeo, 'sessions', 'Romeo');
  const garden = await connect(server, 'romeo@example.com', 'garden');
  try {
    expect(statusCodes(await join(garden, 'sessions', 'Romeo'))).toContain(110);
    expect(backend.requestsFor(`sessions@${SERVICE}`)).toHaveLength(2);
    expect(mucService(server).room(`sessions@${SERVICE}`)?.occupant('Romeo')?.sessions).toHaveLength(2);
  } finally {
    garden.close();
  }
});

test('A17 allow does not bypass bans or passwords', async () => {
  await createInstantRoom(juliet, 'capulet', 'Juliet');
  const ban = await ask(juliet, (id) => `<iq type='set' id='${id}' to='capulet@${SERVICE}'><query xmlns='${MUC_ADMIN}'><item affiliation='outcast' jid='romeo@example.com'/></query></iq>`);
  expect(ban.attrs.type).toBe('result');
  backend.requests.length = 0;
  const banned = await join(romeo, 'capulet', 'Romeo');
  expect(errorCondition(banned)).toBe('forbidden');
  expect(backend.requestsFor(`capulet@${SERVICE}`).map((request) => request.query.get('userJID'))).toEqual(['romeo@example.com']);

  await createInstantRoom(juliet, 'vault', 'Juliet');
  const configured = await ask(juliet, (id) => `<iq type='set' id='${id}' to='vault@${SERVICE}'><query xmlns='http://jabber.org/protocol/muc#owner'>`
    + `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>http://jabber.org/protocol/muc#roomconfig</value></field>`
    + `<field var='muc#roomconfig_passwordprotectedroom'><value>1</value></field><field var='muc#roomconfig_roomsecret'><value>pw</value></field></x></query></iq>`);
  expect(configured.attrs.type).toBe('result');
  const before = backend.requests.length;
  const noPassword = await join(romeo, 'vault', 'Romeo');
  expect(isNotAuthorized(noPassword)).toBe(true);
  expect(backend.requests.length).toBe(before + 1);
  expect(nicksIn(server, 'vault')).toEqual(['Juliet']);
  expect(statusCodes(await join(romeo, 'vault', 'Romeo', { password: 'pw' }))).toContain(110);
});

test('A18 registration: authorized when the option is on (nickname from the form, empty for a get); no request when off', async () => {
  await createInstantRoom(juliet, 'register', 'Juliet');
  backend.requests.length = 0;
  backend.script = deny();
  const refused = await registerSet(romeo, 'register', 'Romeo');
  expect(refused.attrs).toMatchObject({ type: 'error', from: `register@${SERVICE}` });
  expect(refused.getChild('error')?.attrs).toMatchObject({ type: 'auth', by: SERVICE });
  expect(errorCondition(refused)).toBe('not-authorized');
  expect(isNotAuthorized(await registerGet(romeo, 'register'))).toBe(true);
  expect(backend.requests.map((request) => [request.query.get('userJID'), request.query.get('nickname')]))
    .toEqual([['romeo@example.com', 'Romeo'], ['romeo@example.com', '']]);
  expect(mucService(server).room(`register@${SERVICE}`)?.affiliation(Jid.of('romeo', 'example.com'))).toBe('none');

  const off = await startMucServer(pluginOptions(false), USERS);
  const [offJuliet, offRomeo] = await Promise.all([connect(off, 'juliet@example.com', 'tomb'), connect(off, 'romeo@example.com', 'balcony')]);
  try {
    backend.script = allow;
    await createInstantRoom(offJuliet, 'register', 'Juliet');
    backend.script = deny();
    const before = backend.requests.length;
    expect((await registerSet(offRomeo, 'register', 'Romeo')).attrs.type).toBe('result');
    expect(backend.requests.length).toBe(before);
  } finally {
    offJuliet.close();
    offRomeo.close();
    await off.stop();
  }
});

test('A21 a refused first join leaves no room; the next allowed join creates it at once', async () => {
  backend.script = route((request) => (request.query.get('userJID') === 'juliet@example.com' ? deny() : allow));
  expect(isNotAuthorized(await join(juliet, 'newroom', 'Juliet'))).toBe(true);
  expect(errorCondition(await discoInfo(juliet, 'newroom'))).toBe('item-not-found');
  const started = performance.now();
  const created = await join(romeo, 'newroom', 'Romeo');
  expect(performance.now() - started).toBeLessThan(1000);
  expect(created.attrs.type).toBeUndefined();
  expect(statusCodes(created)).toEqual(expect.arrayContaining([110, 201]));
});

test('an invalid nickname is refused by the syntax checks before any request', async () => {
  const refused = await join(romeo, 'syntax', 'bad\u200bnick');
  expect(errorCondition(refused)).toBe('jid-malformed');
  expect(backend.requests).toHaveLength(0);
});
