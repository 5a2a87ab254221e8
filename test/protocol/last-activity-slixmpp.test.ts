/**
 * Interoperability: slixmpp's Last Activity plugin (xep_0012) against Salon
 * (test/interop/slixmpp_last_activity.py), with `lastactivity` enabled: a client's own answer
 * (the scenario of slixmpp's integration test), the server's uptime and the server's answers for
 * a contact online and offline, and for a stranger. slixmpp is a requirement of the test suite:
 * without it this test fails.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { DEFAULT_USERS, startTestServer, type TestServer } from '../helpers/test-server.js';
import { runSlixmppScript } from '../helpers/slixmpp-run.js';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' },
    globals: { modules_enabled: ['lastactivity'], fixture: { rosters: [['alice', 'bob']] } },
  });
});
afterEach(async () => {
  await server.stop();
});

test('slixmpp reads a client\'s idle time, the server\'s uptime and a contact\'s last logout', async () => {
  const outcome = await runSlixmppScript(server, 'slixmpp_last_activity.py');
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
