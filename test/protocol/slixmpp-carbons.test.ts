/**
 * Interoperability: slixmpp's Message Carbons plugin (xep_0280) against Salon
 * (test/interop/slixmpp_carbons.py): one account online twice gets the sent and the received
 * carbon. slixmpp is a requirement of the test suite: without it this test fails.
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

test('a second slixmpp session of the account gets sent and received carbons', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_carbons.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
