/**
 * Interoperability: slixmpp's stream management (xep_0198) and delayed delivery (xep_0203)
 * plugins against Salon (test/interop/slixmpp_resume_delay.py): a message queued while the
 * client's connection was gone is redelivered on resumption with a delay stamp of when it was
 * queued, which slixmpp reads as `msg['delay']['stamp']`. slixmpp is a requirement of the test
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

test('slixmpp reads the delay stamp of a message redelivered on resumption', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_resume_delay.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('delay: from=alice@localhost; queued before resumption');
  expect(server.logs.filter((line) => line.msg === 'session resumed').length).toBe(1);
}, 20_000);
