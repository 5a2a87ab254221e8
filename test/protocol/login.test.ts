/** Logging in with a real client library over STARTTLS and Direct TLS (RFC 6120 §5, §6; XEP-0368). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient } from '../helpers/xmpp-client.js';
import { RawClient } from '../helpers/raw-client.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

describe('login with @xmpp/client', () => {
  for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-1', 'PLAIN'] as const) {
    for (const scheme of ['xmpp', 'xmpps'] as const) {
      test(`${mechanism} over ${scheme === 'xmpp' ? 'STARTTLS' : 'Direct TLS'}`, async () => {
        const port = scheme === 'xmpp' ? server.port : server.directTlsPort;
        const client = await connectClient({ port, scheme, username: 'alice', password: 'alice-secret', mechanism, resource: `r-${mechanism}-${scheme}` });
        try {
          expect(client.jid).toBe(`alice@localhost/r-${mechanism}-${scheme}`);
        } finally {
          await client.stop();
        }
      });
    }
  }

  test('a wrong password is refused with not-authorized', async () => {
    await expect(connectClient({ port: server.port, username: 'alice', password: 'wrong', mechanism: 'SCRAM-SHA-1' })).rejects.toMatchObject({
      condition: 'not-authorized',
    });
  });
});

describe('encryption is required by default', () => {
  test('the plain stream offers only STARTTLS', async () => {
    const raw = await RawClient.connect(server.port);
    raw.openStream();
    const features = await raw.waitFor((el) => el.name === 'stream:features');
    expect(features.getChild('starttls', 'urn:ietf:params:xml:ns:xmpp-tls')?.getChild('required')).toBeDefined();
    expect(features.getChild('mechanisms')).toBeUndefined();
    raw.close();
  });

  test('PLAIN on an unencrypted stream is refused', async () => {
    const raw = await RawClient.connect(server.port);
    raw.openStream();
    await raw.waitFor((el) => el.name === 'stream:features');
    raw.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0alice\0alice-secret').toString('base64')}</auth>`);
    const failure = await raw.waitFor((el) => el.name === 'failure');
    expect(failure.getChild('encryption-required')).toBeDefined();
    expect(await raw.streamError()).toBe('policy-violation');
    raw.close();
  });
});
