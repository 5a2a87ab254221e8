/**
 * Interoperability: a MUC private message (XEP-0045 §7.5) found again by slixmpp's MAM plugin
 * (xep_0313) in the users' own archives, by occupant JID and by room, with the stanza id the
 * delivered message carried (test/interop/slixmpp_muc_pm_mam.py). slixmpp is a requirement of
 * the test suite: without it this test fails.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { runSlixmppScript } from '../helpers/slixmpp-run.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({ globals: { fixture: { rooms: ['lobby'] } } });
});
afterEach(async () => {
  await server.stop();
});

test('slixmpp finds a private message in its own archive, by occupant JID and by room', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_muc_pm_mam.py', { args: ['--room', 'lobby@conference.localhost'] });
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: the private message is in both archives once');
}, 20_000);
