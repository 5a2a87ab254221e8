/**
 * Limits around account creation and the steps before a session exists: in-band registration
 * (XEP-0077) only over TLS when encryption is required and throttled per address, the same
 * PRECIS rules for names at creation and at login (RFC 7622 §3.3, RFC 8265 §3.3), and a bound
 * on how long an authenticated stream may stay without a resource (RFC 6120 §7).
 */
import { afterEach, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { moduleCatalog } from '../../module-catalog.js';
import { VirtualHost } from '../../salon.js';
import { validateConfig } from '../../server/config/index.js';
import { c2sLimits } from '../../server/core/c2s-policies.js';
import { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient } from '../helpers/xmpp-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const STANZAS = 'urn:ietf:params:xml:ns:xmpp-stanzas';
const REGISTER_FEATURE = 'http://jabber.org/features/iq-register';

/** A stream opened on the plain port, features read. */
async function openPlain(s: TestServer): Promise<{ client: RawClient; features: Element }> {
  const client = await RawClient.connect(s.port);
  client.openStream();
  const features = await client.waitFor((el) => el.name === 'stream:features');
  return { client, features };
}

/** STARTTLS on an open stream; resolves with the features of the encrypted stream. */
async function upgrade(client: RawClient): Promise<Element> {
  client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await client.waitFor((el) => el.name === 'proceed');
  await client.startTls();
  const seen = client.received.length;
  client.openStream();
  return client.waitFor((el) => el.name === 'stream:features', 3000, seen);
}

/** Sends a registration set and returns the answer. */
async function register(client: RawClient, id: string, username: string, password = 'pw-123'): Promise<Element> {
  client.send(`<iq type='set' id='${id}'><query xmlns='jabber:iq:register'><username>${username}</username><password>${password}</password></query></iq>`);
  return client.waitFor((el) => el.name === 'iq' && el.attrs.id === id);
}

/** The error type and defined condition of an error reply, or the reply type when it is none. */
function outcome(reply: Element): string {
  const error = reply.getChild('error');
  if (error === undefined) return reply.attrs.type as string;
  const condition = error.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === STANZAS && c.name !== 'text');
  return `${error.attrs.type as string}/${condition?.name ?? '?'}`;
}

describe('in-band registration before TLS (c2s_require_encryption, the default)', () => {
  test('is neither offered nor accepted on a plain stream (policy-violation), and works once TLS is up', async () => {
    server = await startTestServer({ globals: { allow_registration: true } });
    const { client, features } = await openPlain(server);
    expect(features.getChild('register', REGISTER_FEATURE)).toBeUndefined();
    client.send("<iq type='get' id='g1'><query xmlns='jabber:iq:register'/></iq>");
    expect(outcome(await client.waitFor((el) => el.attrs.id === 'g1'))).toBe('modify/policy-violation');
    expect(outcome(await register(client, 's1', 'carol', 'carol-pw'))).toBe('modify/policy-violation');
    // The stream stays up (as in Prosody): the same connection upgrades and registers.
    const secured = await upgrade(client);
    expect(secured.getChild('register', REGISTER_FEATURE)).toBeDefined();
    expect(outcome(await register(client, 's2', 'carol', 'carol-pw'))).toBe('result');
    client.close();
    const carol = await connectClient({ port: server.port, username: 'carol', password: 'carol-pw' });
    await carol.stop();
  });
});

describe('in-band registration throttle (registration_throttle_max / registration_throttle_period)', () => {
  test('an address over its budget gets a wait policy-violation, across connections, and no account', async () => {
    server = await startTestServer({
      // A small budget so the test stays short; encryption is not what is tested here.
      globals: { allow_registration: true, c2s_require_encryption: false, registration_throttle_max: 2, registration_throttle_period: 3600 },
    });
    const first = (await openPlain(server)).client;
    expect([outcome(await register(first, 'a', 'user1')), outcome(await register(first, 'b', 'user2'))]).toEqual(['result', 'result']);
    first.close();
    const second = (await openPlain(server)).client;
    const refused = await register(second, 'c', 'user3');
    expect(outcome(refused)).toBe('wait/policy-violation');
    expect(refused.getChild('error')?.getChildText('text', STANZAS)).toMatch(/Too many registrations/);
    // A name that can never be created is refused before the throttle is consulted.
    expect(outcome(await register(second, 'd', 'us\u00ader4'))).toBe('modify/not-acceptable');
    second.close();
    await expect(connectClient({ port: server.port, username: 'user3', password: 'pw-123', mechanism: 'PLAIN' })).rejects.toThrow();
  });

  test('with the shipped values an address registers 10 accounts, then the 11th is refused', async () => {
    // Encryption relaxed only to keep the loop on one plain stream; the throttle values are the shipped ones.
    server = await startTestServer({ globals: { allow_registration: true, c2s_require_encryption: false } });
    const { client } = await openPlain(server);
    const outcomes: string[] = [];
    for (let i = 1; i <= 11; i++) outcomes.push(outcome(await register(client, `r${i}`, `member${i}`)));
    expect(outcomes).toEqual([...Array<string>(10).fill('result'), 'wait/policy-violation']);
    client.close();
  });
});

describe('PRECIS local parts at account creation and at login (RFC 7622 §3.3, RFC 8265 §3.3)', () => {
  test('in-band registration refuses invisible and compatibility look-alikes; the plain name is case-mapped', async () => {
    server = await startTestServer({ globals: { allow_registration: true, c2s_require_encryption: false } });
    const { client } = await openPlain(server);
    const lookAlikes = ['ad\u00admin', 'ad\u200bmin', '\ufeffadmin', '\ufb01le', '\u{1D41A}dmin'];
    const outcomes = [];
    for (const [i, name] of lookAlikes.entries()) outcomes.push(outcome(await register(client, `x${i}`, name)));
    expect(outcomes).toEqual(lookAlikes.map(() => 'modify/not-acceptable'));
    expect(outcome(await register(client, 'ok', '\uff21dmin', 'admin-pw'))).toBe('result'); // fullwidth Ａ, width-mapped
    expect(outcome(await register(client, 'again', 'ADMIN', 'other'))).toBe('cancel/conflict');
    client.close();
    // SASL names the same account through the same function: Admin logs in as admin.
    const admin = await connectClient({ port: server.port, username: 'Admin', password: 'admin-pw' });
    expect(admin.jid).toMatch(/^admin@localhost\//);
    await admin.stop();
  });

  test('fixture users are held to the same rules', async () => {
    await expect(startTestServer({ users: { 'ad\u00admin@localhost': 'pw' } })).rejects.toThrow();
  });
});

/** STARTTLS and SASL PLAIN, then the restarted stream's features: authenticated, not bound. */
async function authenticateWithoutBinding(port: number, username: string, password: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.openStream();
  await client.waitFor((el) => el.name === 'stream:features');
  await upgrade(client);
  const seen = client.received.length;
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${username}\0${password}`).toString('base64')}</auth>`);
  const result = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
  if (result.name !== 'success') throw new Error(`login failed: ${result.toString()}`);
  client.restartParser();
  const restarted = client.received.length;
  client.openStream();
  const features = await client.waitFor((el) => el.name === 'stream:features', 3000, restarted);
  expect(features.getChild('bind', 'urn:ietf:params:xml:ns:xmpp-bind')).toBeDefined();
  return client;
}

describe('bind timeout (c2s_timeout, again from authentication to binding)', () => {
  test('an authenticated stream that never binds is closed with connection-timeout; a bound one is not', async () => {
    // Two seconds keeps the test short and leaves a loaded machine time to log in before it.
    server = await startTestServer({ globals: { c2s_timeout: 2 } });
    const bound = await rawLogin(server.port, 'bob@localhost', 'bob-secret');
    const unbound = await authenticateWithoutBinding(server.port, 'alice', 'alice-secret');
    expect(await unbound.streamError(8000)).toBe('connection-timeout');
    // Bob bound before Alice authenticated, so more than c2s_timeout has passed for him too.
    bound.send("<iq type='get' id='ping1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    expect((await bound.waitFor((el) => el.attrs.id === 'ping1')).attrs.type).toBe('result');
    bound.close();
  });

  test('the shipped c2s_timeout, which bounds both steps, is 300 s', () => {
    const validated = validateConfig({ hosts: [VirtualHost('localhost')] }, moduleCatalog, '/etc/salon/salon.config.ts');
    if (!validated.ok) throw new Error('the minimal config is valid');
    expect(c2sLimits(validated.value).unauthedTimeoutMs).toBe(300_000);
  });
});
