import { afterAll, beforeAll, describe, test, expect } from '@jest/globals';
import { LoadClient, type LoginOptions } from '../../bench/support/load-client.js';
import { attributeOf } from '../../bench/support/stanza-splitter.js';
import { generateSelfSigned } from '../../server/tls/self-signed.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    globals: { c2s_require_encryption: false, allow_unencrypted_plain_auth: true },
    users: { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' },
  });
});
afterAll(() => server.stop());

function options(overrides: Partial<LoginOptions>): LoginOptions {
  return {
    host: '127.0.0.1', port: server.port, domain: 'localhost', username: 'alice', password: 'alice-secret',
    mechanism: 'SCRAM-SHA-1', tls: 'none', ca: server.certificate, timeoutMs: 5_000, ...overrides,
  };
}

describe('LoadClient', () => {
  test.each([
    ['PLAIN', 'none'], ['SCRAM-SHA-1', 'none'], ['SCRAM-SHA-256', 'starttls'], ['SCRAM-SHA-1', 'direct'],
  ] as const)('logs in with %s over %s, binds, and closes cleanly', async (mechanism, tls) => {
    const port = tls === 'direct' ? server.directTlsPort : server.port;
    const client = await LoadClient.login(options({ mechanism, tls, port }));
    expect(client.jid).toMatch(/^alice@localhost\/.+/);
    await client.roundTrip('check');
    await client.close();
  });

  test('with `ca` the server certificate is verified against it; without, any certificate is accepted', async () => {
    const other = await generateSelfSigned(['localhost']);
    await expect(LoadClient.login(options({ tls: 'starttls', ca: other.cert }))).rejects.toThrow(/self[- ]signed|certificate/i);
    const { ca: _unused, ...withoutCa } = options({ tls: 'starttls' });
    for (const tls of ['starttls', 'direct'] as const) {
      const client = await LoadClient.login({ ...withoutCa, tls, port: tls === 'direct' ? server.directTlsPort : server.port });
      expect(client.jid).toMatch(/^alice@localhost\/.+/);
      await client.close();
    }
  });

  test('a wrong password is refused with the server\'s SASL failure', async () => {
    await expect(LoadClient.login(options({ password: 'wrong' }))).rejects.toThrow(/expected <success>, got <failure/);
  });

  test('a message to a bare JID reaches the other account with its id', async () => {
    const alice = await LoadClient.login(options({}));
    const bob = await LoadClient.login(options({ username: 'bob', password: 'bob-secret' }));
    await bob.roundTrip('presence-applied');
    const received = new Promise<string>((resolve) => {
      bob.onStanza = (xml, name) => {
        if (name === 'message') resolve(xml);
      };
    });
    alice.send("<message to='bob@localhost' type='chat' id='hello-1'><body>hi &amp; bye</body></message>");
    const xml = await received;
    expect(attributeOf(xml, 'id')).toBe('hello-1');
    expect(attributeOf(xml, 'from')).toBe(alice.jid);
    await Promise.all([alice.close(), bob.close()]);
  });

  test('onEnd reports a stream the server ends', async () => {
    const client = await LoadClient.login(options({}));
    const ended = new Promise<string>((resolve) => (client.onEnd = resolve));
    client.send('<not-a-stanza/>');
    expect(await ended).toMatch(/stream error: <stream:error><unsupported-stanza-type/);
    client.destroy();
  });
});
