/** muc_http_auth: the outgoing authorization request and the XMPP result (spec §1.5, §1.6; A1–A3, A9, A20). */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, AuthBackend, deny } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, connect, discoInfo, errorCondition, isNotAuthorized, join, SERVICE, startMucServer, statusCodes,
} from '../helpers/muc-plugin-harness.js';
import type { TestServer } from '../helpers/test-server.js';

const USERS = accounts('romeo@example.com');
let backend: AuthBackend;
let server: TestServer;
let romeo: RawClient;

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url() }, USERS);
  romeo = await connect(server, 'romeo@example.com', 'balcony');
});
beforeEach(() => {
  backend.requests.length = 0;
  backend.script = allow;
});
afterAll(async () => {
  romeo?.close();
  await server?.stop();
  await backend?.close();
});

/** Starts a second server with extra plugin options, runs `body`, and stops it. */
async function withServer(options: Record<string, unknown>, body: (client: RawClient, server: TestServer) => Promise<void>): Promise<void> {
  const other = await startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), ...options }, USERS);
  const client = await connect(other, 'romeo@example.com', 'balcony');
  try {
    await body(client, other);
  } finally {
    client.close();
    await other.stop();
  }
}

test('A1 allowed join: one GET with userJID, mucJID and nickname; self-presence with 110', async () => {
  const self = await join(romeo, 'teaparty', 'Romeo');
  expect(self.attrs.type).toBeUndefined();
  expect(statusCodes(self)).toContain(110);
  expect(backend.requests).toHaveLength(1);
  const [request] = backend.requests;
  expect(request!.method).toBe('GET');
  expect(request!.url.replace(/%[0-9a-f]{2}/gi, (escape) => escape.toUpperCase()))
    .toBe('/can-join?userJID=romeo%40example.com&mucJID=teaparty%40rooms.example.net&nickname=Romeo');
  expect(request!.headers.accept).toBe('application/json');
  expect(request!.headers['user-agent']).toBeTruthy();
  romeo.send(`<presence to='teaparty@${SERVICE}/Romeo' type='unavailable'/>`);
  await romeo.waitFor((el) => el.attrs.type === 'unavailable' && el.attrs.from === `teaparty@${SERVICE}/Romeo`, 3000);
});

test('A2 refused join: presence error from the occupant JID with the id, auth/not-authorized by the service; no room; backend text never shown', async () => {
  backend.script = deny('nope');
  const seen = romeo.received.length;
  const refused = await join(romeo, 'refusedroom', 'Romeo', { id: 'j1' });
  expect(refused.attrs).toMatchObject({ type: 'error', id: 'j1', from: `refusedroom@${SERVICE}/Romeo`, to: 'romeo@example.com/balcony' });
  const error = refused.getChild('error');
  expect(error?.attrs).toMatchObject({ type: 'auth', by: SERVICE });
  expect(isNotAuthorized(refused)).toBe(true);
  // Nothing of the join is echoed; the error carries the empty MUC <x/> of XEP-0045 §7.2.
  expect(refused.getChildren('x').map(String)).toEqual(['<x xmlns="http://jabber.org/protocol/muc"/>']);
  expect(errorCondition(await discoInfo(romeo, 'refusedroom'))).toBe('item-not-found');
  const stanzas = romeo.received.slice(seen).map(String).join('\n');
  expect(stanzas).not.toContain('nope');
  expect(server.logs.some((line) => line.level === 30 && line.error === 'nope' && line.nick === 'Romeo')).toBe(true);
});

test('A3 encoding: every byte but unreserved ones is percent-encoded, space as %20, never +', async () => {
  await join(romeo, 'encoded', 'R&D Team/é');
  expect(backend.requests).toHaveLength(1);
  const nickname = /(?:^|&)nickname=([^&]*)/.exec(backend.requests[0]!.rawQuery)?.[1];
  expect(nickname?.toUpperCase()).toBe('R%26D%20Team%2F%C3%A9'.toUpperCase());
  expect(nickname).not.toContain('+');
  expect(backend.requests[0]!.query.get('nickname')).toBe('R&D Team/é');
});

test('A9 authorization header: sent verbatim when configured, absent otherwise', async () => {
  await join(romeo, 'noheader', 'Romeo');
  expect(backend.requests[0]!.headers.authorization).toBeUndefined();
  await withServer({ muc_http_auth_authorization_header: 'Bearer abc' }, async (client, other) => {
    await join(client, 'withheader', 'Romeo');
    expect(other.logs.length).toBeGreaterThan(0);
    expect(JSON.stringify(other.logs)).not.toContain('Bearer abc');
  });
  expect(backend.requests).toHaveLength(2);
  expect(backend.requests[1]!.headers.authorization).toBe('Bearer abc');
});

test('A20 existing query string: parameters follow with &, the fragment is dropped', async () => {
  await withServer({ muc_http_auth_url: `${backend.url('/check?token=x')}#ignored` }, async (client) => {
    expect((await join(client, 'teaparty', 'Romeo')).attrs.type).toBeUndefined();
  });
  expect(backend.requests).toHaveLength(1);
  expect(backend.requests[0]!.url).toMatch(/^\/check\?token=x&userJID=romeo%40example\.com&mucJID=teaparty%40rooms\.example\.net&nickname=Romeo$/i);
});
