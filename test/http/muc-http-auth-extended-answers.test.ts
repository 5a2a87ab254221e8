/**
 * muc_http_auth extended answers: the refusal reason the user reads (bounded, escaped, only
 * characters XML can carry) and malformed extended answers, which refuse like any answer that is
 * not a clear yes (spec §1.6). A real client library (xmpp.js) sees the assigned nick and the reason.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { Component, VirtualHost } from '../../salon.js';
import type { RawClient } from '../helpers/raw-client.js';
import { allow, answer, AuthBackend } from '../helpers/muc-http-auth-backend.js';
import {
  accounts, ask, connect, errorCondition, isNotAuthorized, item, join, logsWith, SERVICE, startMucServer, statusCodes, sync,
} from '../helpers/muc-plugin-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient, xml } from '../helpers/xmpp-client.js';

const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const USERS = accounts('romeo@example.com');
let backend: AuthBackend;
let server: TestServer;
let romeo: RawClient;
let rooms = 0;

beforeAll(async () => {
  backend = await AuthBackend.start();
  server = await startMucServer({
    modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_extended: true,
    muc_http_auth_authorize_registration: true, muc_room_locking: false, muc_max_nick_length: 20,
  }, USERS);
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

/** Joins a fresh room with the backend answering `body`; resolves with the presence received. */
function joinAnswered(body: unknown): Promise<Element> {
  backend.script = answer(200, body);
  rooms += 1;
  return join(romeo, `room${rooms}`, 'Romeo');
}

function errorText(reply: Element): { text: string | null; lang: string | undefined; children: number } {
  const text = reply.getChild('error')?.getChild('text', STANZAS);
  return { text: text?.getText() ?? null, lang: text?.attrs['xml:lang'], children: text?.children.length ?? 0 };
}

test('a refusal reason is the error text the user reads; the backend error stays in the log', async () => {
  const refused = await joinAnswered({ allowed: false, error: 'subscription 4711 expired', reason: 'Your subscription has expired' });
  expect(isNotAuthorized(refused)).toBe(true);
  expect(refused.getChild('error')?.attrs).toMatchObject({ type: 'auth', by: SERVICE });
  expect(errorText(refused)).toEqual({ text: 'Your subscription has expired', lang: 'en', children: 1 });
  expect(refused.toString()).not.toContain('4711');
  expect(logsWith(server, 30, 'subscription 4711 expired')).toHaveLength(1);
});

test('markup in a reason arrives as text, not as elements', async () => {
  const reason = `<b>Tom & "Jerry"</b> ]]> &amp; <![CDATA[x]]> </text></error><iq type='set'/>`;
  const refused = await joinAnswered({ allowed: false, reason });
  expect(errorText(refused)).toEqual({ text: reason, lang: 'en', children: 1 });
  await sync(romeo);
});

test('a reason is cut to 300 characters without splitting a character; what XML cannot carry is removed', async () => {
  expect(errorText(await joinAnswered({ allowed: false, reason: 'x'.repeat(5000) })).text).toBe('x'.repeat(300));
  const emoji = errorText(await joinAnswered({ allowed: false, reason: '\u{1F600}'.repeat(400) })).text ?? '';
  expect([...emoji]).toHaveLength(300);
  expect(emoji).toBe('\u{1F600}'.repeat(300));
  const cleaned = await joinAnswered({ allowed: false, reason: ' a\u0000b\u001bc\ud800d\u0085\r\ne\uffff ' });
  expect(errorText(cleaned).text).toBe('abcd\ne');
  // The stream is still up and well-formed after every one of them.
  await sync(romeo);
});

test('no reason, an empty one or null: the fixed sentence', async () => {
  for (const body of [{ allowed: false }, { allowed: false, reason: ' \u0000 ' }, { allowed: false, reason: null }]) {
    expect(errorText(await joinAnswered(body)).text).toBe('Not authorized to join this room');
  }
});

test('a registration refusal carries the reason too', async () => {
  backend.script = allow;
  const created = await join(romeo, 'register', 'Romeo');
  expect(statusCodes(created)).toContain(110);
  backend.script = answer(200, { allowed: false, reason: 'Registration closed' });
  const refused = await ask(romeo, (id) => `<iq type='get' id='${id}' to='register@${SERVICE}'><query xmlns='jabber:iq:register'/></iq>`);
  expect(errorCondition(refused)).toBe('not-authorized');
  expect(errorText(refused).text).toBe('Registration closed');
});

test('malformed extended answers refuse with the fixed sentence and a warning naming the field', async () => {
  const malformed: [Record<string, unknown>, string][] = [
    [{ allowed: true, role: 'vistor' }, "invalid 'role' value"],
    [{ allowed: true, role: 'none' }, "invalid 'role' value"],
    [{ allowed: true, role: ['moderator'] }, "invalid 'role' value"],
    [{ allowed: true, affiliation: 'outcast' }, "invalid 'affiliation' value"],
    [{ allowed: true, affiliation: 'superuser' }, "invalid 'affiliation' value"],
    [{ allowed: true, nick: 42 }, "invalid 'nick' value"],
    [{ allowed: true, nick: '' }, "invalid 'nick' value"],
    [{ allowed: true, nick: 'bad\u200bnick' }, "invalid 'nick' value"],
    [{ allowed: false, reason: 42 }, "invalid 'reason' value"],
  ];
  for (const [body, warning] of malformed) {
    const before = logsWith(server, 40, warning).length;
    const refused = await joinAnswered(body);
    expect([JSON.stringify(body), isNotAuthorized(refused), errorText(refused).text])
      .toEqual([JSON.stringify(body), true, 'Not authorized to join this room']);
    expect(logsWith(server, 40, warning)).toHaveLength(before + 1);
  }
});

test('null fields count as absent, and fields of the other decision are ignored', async () => {
  const entered = await joinAnswered({ allowed: true, role: null, affiliation: null, nick: null, reason: 'not shown', extra: { any: 1 } });
  expect(statusCodes(entered)).toContain(110);
  expect(statusCodes(entered)).not.toContain(210);
  expect(item(entered)?.attrs).toMatchObject({ role: 'moderator', affiliation: 'owner' });
  // A refusal carrying a bad grant is a genuine refusal (info), not a malformed answer (warning).
  const [warnings, refusals] = [logsWith(server, 40, 'invalid').length, logsWith(server, 30, 'refused').length];
  const refused = await joinAnswered({ allowed: false, role: 'vistor', nick: 42 });
  expect(errorText(refused).text).toBe('Not authorized to join this room');
  expect([logsWith(server, 40, 'invalid').length, logsWith(server, 30, 'refused').length]).toEqual([warnings, refusals + 1]);
});

test('a nick longer than the service allows (muc_max_nick_length) refuses the join, fail closed', async () => {
  const refused = await joinAnswered({ allowed: true, nick: 'A'.repeat(21) });
  expect(refused.attrs.type).toBe('error');
  expect(errorCondition(refused)).toBe('internal-server-error');
  expect(logsWith(server, 40, 'granted an invalid nickname')).toHaveLength(1);
  expect(statusCodes(await joinAnswered({ allowed: true, nick: 'A'.repeat(20) }))).toEqual(expect.arrayContaining([110, 210]));
});

test('muc_http_auth_extended must be a boolean: anything else stops start-up naming the option', async () => {
  await expect(startMucServer({ modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_extended: 'yes' }, USERS))
    .rejects.toThrow(/muc_http_auth_extended/);
});

test('xmpp.js: the assigned nick comes with status 210, the refusal with the reason', async () => {
  const plain = await startTestServer({
    hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', {
      modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url(), muc_http_auth_extended: true, muc_room_locking: false,
    })],
  });
  const alice = await connectClient({ port: plain.port, username: 'alice', password: 'alice-secret', resource: 'desk' });
  try {
    backend.script = answer(200, { allowed: true, nick: 'Alice (support)', role: 'moderator' });
    await alice.send(xml('presence', { to: 'help@conference.localhost/alice' }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    const self = await alice.waitFor((el) => el.name === 'presence' && statusCodes(el).includes(110));
    expect(self.attrs.from).toBe('help@conference.localhost/Alice (support)');
    expect(statusCodes(self)).toEqual(expect.arrayContaining([110, 201, 210]));
    backend.script = answer(200, { allowed: false, reason: 'Please renew at https://app.example/renew?a=1&b=2' });
    await alice.send(xml('presence', { to: 'vip@conference.localhost/alice' }, xml('x', { xmlns: 'http://jabber.org/protocol/muc' })));
    const refused = await alice.waitFor((el) => el.name === 'presence' && el.attrs.type === 'error');
    expect(refused.attrs.from).toBe('vip@conference.localhost/alice');
    expect(refused.getChild('error')?.getChildText('text', STANZAS)).toBe('Please renew at https://app.example/renew?a=1&b=2');
  } finally {
    await alice.stop();
    await plain.stop();
  }
});
