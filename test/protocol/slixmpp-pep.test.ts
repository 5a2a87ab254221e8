/**
 * Interoperability: slixmpp's PEP plugins against Salon. test/interop/slixmpp_pep.py follows
 * slixmpp's itests/test_pep.py (XEP-0222 and XEP-0223 storage), test/interop/slixmpp_avatar.py
 * its itests/test_user_avatar.py (XEP-0084 with XEP-0115 +notify), with a contact receiving the
 * metadata notification too. slixmpp is a requirement of the test suite: without it these fail.
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

async function run(script: string): Promise<string> {
  const outcome = await runSlixmppScript(server, script);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  return outcome.stdout;
}

test('public (XEP-0222) and private (XEP-0223) data are stored and read back; private data is refused to another user', async () => {
  expect(await run('slixmpp_pep.py')).toContain('OK');
}, 20_000);

test('a published avatar (XEP-0084) notifies the owner and a contact of its metadata, and its data is read back', async () => {
  expect(await run('slixmpp_avatar.py')).toContain('OK');
}, 20_000);
