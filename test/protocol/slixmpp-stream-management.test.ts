/**
 * Interoperability: slixmpp's stream management plugin (xep_0198) against Salon
 * (test/interop/slixmpp_resume.py): a client whose TCP connection is cut without a closing stream
 * resumes its session and gets every message sent meanwhile exactly once. slixmpp is a
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

test('slixmpp resumes after its connection is cut and gets every message exactly once', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_resume.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('messages: 6; ids: m1 m2 m3 m4 m5 m6');
  // The server saw it as a resumption of the hibernated session, not a new login.
  expect(server.logs.filter((line) => line.msg === 'session resumed').length).toBe(1);
}, 20_000);
