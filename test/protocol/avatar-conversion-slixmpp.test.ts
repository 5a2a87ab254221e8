/**
 * Interoperability: XEP-0398 conversion seen by slixmpp (test/interop/slixmpp_avatar_conversion.py):
 * an avatar published with xep_0084 is read back with xep_0054 as the vCard photo, and one set with
 * xep_0153 reaches a contact's xep_0084 as a metadata notification. slixmpp is a requirement of the
 * test suite: without it this fails.
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

test('xep_0084 publish → xep_0054 reads the photo; xep_0153 set_avatar → xep_0084 metadata event', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_avatar_conversion.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
