/**
 * Interoperability: slixmpp's vcard-temp and vCard avatar plugins (xep_0054, xep_0153) against
 * Salon (test/interop/slixmpp_vcard.py), as slixmpp's own itests/test_vcard.py and
 * test_vcard_avatar.py use them, plus a contact who must see the avatar hash. slixmpp is a
 * requirement of the test suite: without it this test fails.
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

test('slixmpp publishes and reads vCards, sets an avatar, and its contact sees the hash', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_vcard.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
