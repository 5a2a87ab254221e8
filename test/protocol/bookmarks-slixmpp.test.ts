/**
 * Interoperability: slixmpp as a XEP-0048 client (xep_0048 over private storage and over the
 * legacy PEP node) and as a XEP-0402 client (xep_0060/xep_0223) of one account
 * against Salon's XEP-0411 bridge (test/interop/slixmpp_bookmarks.py). slixmpp 1.8 has no
 * XEP-0402 plugin, so this replaces an upstream integration test. slixmpp is a requirement of
 * the test suite: without it this test fails.
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

test('slixmpp XEP-0048 and XEP-0402 resources of one account see the same bookmarks', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_bookmarks.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
