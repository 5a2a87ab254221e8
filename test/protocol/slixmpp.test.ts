/**
 * Interoperability: slixmpp (Debian's python3-slixmpp) performs the subscription handshake
 * against Salon (test/interop/slixmpp_subscribe.py). slixmpp is a requirement of the test suite
 * (.ci/run installs it): without it this test fails rather than passing silently.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { runSlixmppScript } from '../helpers/slixmpp-run.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

test('slixmpp clients subscribe to each other and see each other online', async () => {
  // SLIXMPP_DEBUG=1 shows slixmpp's own log (in the failure message) when something goes wrong.
  const outcome = await runSlixmppScript(server, 'slixmpp_subscribe.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
  // slixmpp chose its own mechanism: its -PLUS attempts (tls-unique) and its `y` SCRAM attempts
  // are refused (RFC 5802 §6: -PLUS was offered), so it logs in with PLAIN inside TLS.
  const mechanisms = server.logs.filter((line) => line.msg === 'authenticated').map((line) => line.mechanism);
  expect(mechanisms).toEqual(['PLAIN', 'PLAIN']);
}, 20_000);
