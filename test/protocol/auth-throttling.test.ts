/**
 * Per-address login throttling with the SHIPPED `limit_auth_max` / `limit_auth_period` (nothing
 * lifted): only failed credential checks count, negotiation failures never lock anyone out, a
 * success clears the count, and failures and lockouts are logged at warn without the password.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { coreOptionsSchema } from '../../server/config/core-options.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawClient } from '../helpers/raw-client.js';
import { ScramClient } from '../helpers/scram-client.js';

const SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const WARN = 40; // pino's level number
const { limit_auth_max: MAX } = coreOptionsSchema.parse({});

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(() => server.stop());

/** A Direct TLS stream (the shipped config requires encryption) at its first features. */
async function open(): Promise<RawClient> {
  const client = await RawClient.connect(server.directTlsPort, { tls: true });
  client.openStream();
  await client.waitFor((el) => el.name === 'stream:features');
  return client;
}

const plain = (user: string, password: string): string =>
  `<auth xmlns='${SASL}' mechanism='PLAIN'>${Buffer.from(`\0${user}\0${password}`).toString('base64')}</auth>`;

/** Sends one SASL element and returns the condition of the failure, or 'success'. */
async function outcome(client: RawClient, xml: string): Promise<string> {
  const seen = client.received.length;
  client.send(xml);
  const reply = await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen);
  return reply.name === 'success' ? 'success' : (reply.children[0] as { name: string }).name;
}

/** `count` wrong passwords, three per stream (a stream closes at its third). */
async function wrongPasswords(count: number): Promise<void> {
  for (let done = 0; done < count;) {
    const client = await open();
    for (let i = 0; i < 3 && done < count; i++, done++) expect(await outcome(client, plain('alice', `guess-${done}`))).toBe('not-authorized');
    client.close();
  }
}

async function loginResult(password: string): Promise<string> {
  const client = await open();
  const result = await outcome(client, plain('alice', password));
  client.close();
  return result;
}

test(`the shipped limit: ${MAX} wrong passwords in a row lock the address out, the right one is then refused`, async () => {
  expect(MAX).toBe(10);
  await wrongPasswords(MAX - 1);
  expect(await loginResult('alice-secret')).toBe('success'); // one short of the limit
  await wrongPasswords(MAX);
  expect(await loginResult('alice-secret')).toBe('temporary-auth-failure');
});

test('a success clears the count: people behind one address are never locked out by each other\'s typos', async () => {
  for (let round = 0; round < 3; round++) {
    await wrongPasswords(MAX - 1);
    expect(await loginResult('alice-secret')).toBe('success');
  }
});

describe('negotiation failures never count', () => {
  const tlsUnique = (): string => {
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'p=tls-unique,,' });
    return `<auth xmlns='${SASL}' mechanism='SCRAM-SHA-256-PLUS'>${scram.first().toString('base64')}</auth>`;
  };
  const downgrade = (): string => {
    const scram = new ScramClient({ hash: 'sha256', username: 'alice', password: 'alice-secret', gs2Header: 'y,,' });
    return `<auth xmlns='${SASL}' mechanism='SCRAM-SHA-256'>${scram.first().toString('base64')}</auth>`;
  };

  test(`${3 * MAX} malformed, out-of-order, aborted and unsupported-binding exchanges leave the address able to log in`, async () => {
    const attempts: [string, () => string][] = [
      ['incorrect-encoding', () => `<auth xmlns='${SASL}' mechanism='PLAIN'>!!not base64</auth>`],
      ['malformed-request', () => `<auth xmlns='${SASL}' mechanism='PLAIN'>${Buffer.from('no separators').toString('base64')}</auth>`],
      ['malformed-request', () => `<response xmlns='${SASL}'>${Buffer.from('out of order').toString('base64')}</response>`],
      ['malformed-request', tlsUnique], // slixmpp's -PLUS attempt on TLS 1.3
      ['not-authorized', downgrade], // `y` while -PLUS is offered (RFC 5802 §6)
      ['aborted', () => `<abort xmlns='${SASL}'/>`],
    ];
    let failures = 0;
    while (failures < 3 * MAX) {
      const client = await open();
      // Five per stream: the sixth failed exchange on one stream closes it (RFC 6120 §6.4.5).
      for (const [condition, xml] of attempts.slice(0, 5)) {
        expect(await outcome(client, xml())).toBe(condition);
        failures++;
      }
      client.close();
      attempts.push(attempts.shift()!);
    }
    expect(await loginResult('alice-secret')).toBe('success');
    expect(server.logs.filter((line) => line.msg === 'login failed')).toEqual([]);
  });

  test('a `y` on a fresh stream (what a stripped offer looks like) is a warning; after a -PLUS attempt it is info', async () => {
    const bindingLines = (): Record<string, unknown>[] => server.logs.filter((line) => line.cause === 'channel-binding');
    const stripped = await open();
    expect(await outcome(stripped, downgrade())).toBe('not-authorized');
    expect(bindingLines()).toEqual([expect.objectContaining({ level: WARN, user: 'alice', reason: 'not-authorized: channel binding downgrade' })]);
    const fallback = await open();
    expect(await outcome(fallback, tlsUnique())).toBe('malformed-request');
    expect(await outcome(fallback, downgrade())).toBe('not-authorized');
    expect(bindingLines().map((line) => line.level)).toEqual([WARN, 30]);
    stripped.close();
    fallback.close();
  });

  test('a stream closes after six failed exchanges of any kind', async () => {
    const client = await open();
    for (let i = 0; i < 6; i++) expect(await outcome(client, tlsUnique())).toBe('malformed-request');
    expect(await client.streamError()).toBe('policy-violation');
  });
});

test('failures and the lockout are logged at warn with address, user, mechanism and reason, never the password', async () => {
  await wrongPasswords(MAX);
  expect(await loginResult('alice-secret')).toBe('temporary-auth-failure');
  const warnings = server.logs.filter((line) => line.level === WARN);
  const failed = warnings.filter((line) => line.msg === 'login failed');
  expect(failed).toHaveLength(MAX);
  expect(failed[0]).toMatchObject({ address: '127.0.0.1', user: 'alice', mechanism: 'PLAIN', reason: 'not-authorized', failuresFromAddress: 1 });
  expect(warnings.filter((line) => line.msg === 'address locked out: too many failed logins')).toEqual([
    expect.objectContaining({ address: '127.0.0.1', user: 'alice', mechanism: 'PLAIN', reason: 'not-authorized', failures: MAX }),
  ]);
  // The refusals during the lockout are info: a client hammering a locked address floods no warnings.
  expect(server.logs.filter((line) => line.msg === 'login refused: too many failed logins from this address'))
    .toEqual([expect.objectContaining({ level: 30, address: '127.0.0.1', mechanism: 'PLAIN' })]);
  const text = JSON.stringify(server.logs);
  expect([text.includes('guess-'), text.includes('alice-secret')]).toEqual([false, false]);
});
