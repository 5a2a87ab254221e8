/** SASL failures and limits, in-band registration, password change, timeouts (RFC 6120 §6; XEP-0077). */
import { afterEach, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { connectClient } from '../helpers/xmpp-client.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

const plainAuth = (user: string, password: string): string =>
  `<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${user}\0${password}`).toString('base64')}</auth>`;

/** A plaintext stream where SASL is allowed (config says so), to reach SASL without TLS. */
async function openInsecure(s: TestServer): Promise<RawClient> {
  const client = await RawClient.connect(s.port);
  client.openStream();
  await client.waitFor((el) => el.name === 'stream:features');
  return client;
}

const insecureGlobals = { c2s_require_encryption: false, allow_unencrypted_plain_auth: true };

describe('SASL', () => {
  test('an unknown mechanism → invalid-mechanism', async () => {
    server = await startTestServer({ globals: insecureGlobals });
    const client = await openInsecure(server);
    client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='X-UNKNOWN'/>");
    expect((await client.waitFor((el) => el.name === 'failure')).getChild('invalid-mechanism')).toBeDefined();
    client.close();
  });

  test('bad base64 → incorrect-encoding; a malformed PLAIN message → malformed-request', async () => {
    server = await startTestServer({ globals: insecureGlobals });
    const client = await openInsecure(server);
    client.send("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>!!notbase64</auth>");
    expect((await client.waitFor((el) => el.name === 'failure')).getChild('incorrect-encoding')).toBeDefined();
    const seen = client.received.length;
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('no-nul-bytes').toString('base64')}</auth>`);
    expect((await client.waitFor((el) => el.name === 'failure', 3000, seen)).getChild('malformed-request')).toBeDefined();
    client.close();
  });

  test('abort during SCRAM → aborted', async () => {
    server = await startTestServer({ globals: insecureGlobals });
    const client = await openInsecure(server);
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='SCRAM-SHA-1'>${Buffer.from('n,,n=alice,r=abcdefghijkl').toString('base64')}</auth>`);
    await client.waitFor((el) => el.name === 'challenge');
    client.send("<abort xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>");
    expect((await client.waitFor((el) => el.name === 'failure')).getChild('aborted')).toBeDefined();
    client.close();
  });

  test('three failed attempts on one stream close it with policy-violation', async () => {
    server = await startTestServer({ globals: insecureGlobals });
    const client = await openInsecure(server);
    for (let i = 0; i < 3; i++) {
      const seen = client.received.length;
      client.send(plainAuth('alice', `wrong${i}`));
      expect((await client.waitFor((el) => el.name === 'failure', 3000, seen)).getChild('not-authorized')).toBeDefined();
    }
    expect(await client.streamError()).toBe('policy-violation');
  });

  test('per-address failures are rate limited (limit_auth_max)', async () => {
    server = await startTestServer({ globals: { ...insecureGlobals, limit_auth_max: 2 } }); // lowered, not lifted: a set value is honoured (shipped one: auth-throttling.test.ts)
    for (let i = 0; i < 2; i++) {
      const client = await openInsecure(server);
      client.send(plainAuth('alice', 'wrong'));
      await client.waitFor((el) => el.name === 'failure');
      client.close();
    }
    const client = await openInsecure(server);
    client.send(plainAuth('alice', 'alice-secret'));
    const failure = await client.waitFor((el) => el.name === 'failure');
    expect(failure.getChild('temporary-auth-failure')).toBeDefined();
    client.close();
  });

  test('an unauthenticated stream is closed after c2s_timeout', async () => {
    server = await startTestServer({ globals: { c2s_timeout: 1 } });
    const client = await RawClient.connect(server.port);
    client.openStream();
    expect(await client.streamError(4000)).toBe('connection-timeout');
  });
});

describe('in-band registration (XEP-0077)', () => {
  test('is off by default: no feature, iq before auth is refused', async () => {
    server = await startTestServer({ globals: insecureGlobals });
    const client = await RawClient.connect(server.port);
    client.openStream();
    const features = await client.waitFor((el) => el.name === 'stream:features');
    expect(features.getChild('register')).toBeUndefined();
    client.send("<iq type='get' id='r1'><query xmlns='jabber:iq:register'/></iq>");
    expect(await client.streamError()).toBe('not-authorized');
  });

  test('with allow_registration a new account is created and can log in', async () => {
    server = await startTestServer({ globals: { ...insecureGlobals, allow_registration: true } });
    const client = await RawClient.connect(server.port);
    client.openStream();
    const features = await client.waitFor((el) => el.name === 'stream:features');
    expect(features.getChild('register', 'http://jabber.org/features/iq-register')).toBeDefined();
    client.send("<iq type='set' id='r2'><query xmlns='jabber:iq:register'><username>carol</username><password>carol-pw</password></query></iq>");
    expect((await client.waitFor((el) => el.attrs.id === 'r2')).attrs.type).toBe('result');
    client.send("<iq type='set' id='r3'><query xmlns='jabber:iq:register'><username>carol</username><password>other</password></query></iq>");
    const conflict = await client.waitFor((el) => el.attrs.id === 'r3');
    expect(conflict.getChild('error')?.getChild('conflict')).toBeDefined();
    client.close();
    const carol = await connectClient({ port: server.port, username: 'carol', password: 'carol-pw', mechanism: 'PLAIN' });
    await carol.stop();
  });

  test('a logged-in user changes the password', async () => {
    server = await startTestServer();
    const client = await rawLogin(server.port, 'alice@localhost', 'alice-secret');
    client.send("<iq type='set' id='pw' to='localhost'><query xmlns='jabber:iq:register'><username>alice</username><password>new-secret</password></query></iq>");
    expect((await client.waitFor((el) => el.attrs.id === 'pw')).attrs.type).toBe('result');
    client.close();
    await expect(rawLogin(server.port, 'alice@localhost', 'alice-secret')).rejects.toThrow(/not-authorized/);
    const again = await rawLogin(server.port, 'alice@localhost', 'new-secret');
    again.close();
  });
});
