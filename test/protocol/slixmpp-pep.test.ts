/**
 * Interoperability: slixmpp's PEP plugins against Salon. test/interop/slixmpp_pep.py follows
 * slixmpp's itests/test_pep.py (XEP-0222 and XEP-0223 storage), test/interop/slixmpp_avatar.py
 * its itests/test_user_avatar.py (XEP-0084 with XEP-0115 +notify), with a contact receiving the
 * metadata notification too. slixmpp is a requirement of the test suite: without it these fail.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer;
let cafile: string;
let directory: string;

beforeEach(async () => {
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-pep-'));
  cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

async function run(script: string): Promise<string> {
  expectSlixmpp();
  const outcome = await runPythonScript(interopScript(script), ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  return outcome.stdout;
}

test('public (XEP-0222) and private (XEP-0223) data are stored and read back; private data is refused to another user', async () => {
  expect(await run('slixmpp_pep.py')).toContain('OK');
}, 20_000);

test('a published avatar (XEP-0084) notifies the owner and a contact of its metadata, and its data is read back', async () => {
  expect(await run('slixmpp_avatar.py')).toContain('OK');
}, 20_000);
