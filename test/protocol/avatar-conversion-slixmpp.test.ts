/**
 * Interoperability: XEP-0398 conversion seen by slixmpp (test/interop/slixmpp_avatar_conversion.py):
 * an avatar published with xep_0084 is read back with xep_0054 as the vCard photo, and one set with
 * xep_0153 reaches a contact's xep_0084 as a metadata notification. slixmpp is a requirement of the
 * test suite: without it this fails.
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
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-avatar-conversion-'));
  cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('xep_0084 publish → xep_0054 reads the photo; xep_0153 set_avatar → xep_0084 metadata event', async () => {
  expectSlixmpp();
  const outcome = await runPythonScript(interopScript('slixmpp_avatar_conversion.py'), ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
