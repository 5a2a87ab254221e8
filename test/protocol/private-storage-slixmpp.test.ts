/**
 * Interoperability: slixmpp's Private XML Storage plugin (xep_0049, with xep_0048 bookmarks)
 * against Salon (test/interop/slixmpp_private_storage.py), the scenario of slixmpp's own
 * integration test plus a second resource and another user. slixmpp is a requirement of the test
 * suite: without it this test fails.
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

test('slixmpp stores, reads and purges bookmarks in private storage; another user is refused', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_private_storage.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
