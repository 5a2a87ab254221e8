/**
 * Interoperability: slixmpp's Private XML Storage plugin (xep_0049, with xep_0048 bookmarks)
 * against Salon (test/interop/slixmpp_private_storage.py), the scenario of slixmpp's own
 * integration test plus a second resource and another user. slixmpp is a requirement of the test
 * suite: without it this test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_private_storage.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-private-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('slixmpp stores, reads and purges bookmarks in private storage; another user is refused', async () => {
  expectSlixmpp();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
