/**
 * Interoperability: slixmpp as a XEP-0048 client (xep_0048 over private storage and over the
 * legacy PEP node) and as a XEP-0402 client (xep_0060/xep_0223) of one account
 * against Salon's XEP-0411 bridge (test/interop/slixmpp_bookmarks.py). slixmpp 1.8 has no
 * XEP-0402 plugin, so this replaces an upstream integration test. slixmpp is a requirement of
 * the test suite: without it this test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_bookmarks.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-bookmarks-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('slixmpp XEP-0048 and XEP-0402 resources of one account see the same bookmarks', async () => {
  expectSlixmpp();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
