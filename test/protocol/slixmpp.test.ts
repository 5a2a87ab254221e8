/**
 * Interoperability: slixmpp (Debian's python3-slixmpp) performs the subscription handshake
 * against Salon (test/interop/slixmpp_subscribe.py). slixmpp is a requirement of the test suite
 * (.ci/run installs it): without it this test fails rather than passing silently.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_subscribe.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});


test('slixmpp clients subscribe to each other and see each other online', async () => {
  expectSlixmpp();

  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  // SLIXMPP_DEBUG=1 shows slixmpp's own log (in the failure message) when something goes wrong.
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
  // slixmpp chose its own mechanism: its -PLUS attempts (tls-unique) and its `y` SCRAM attempts
  // are refused (RFC 5802 §6: -PLUS was offered), so it logs in with PLAIN inside TLS.
  const mechanisms = server.logs.filter((line) => line.msg === 'authenticated').map((line) => line.mechanism);
  expect(mechanisms).toEqual(['PLAIN', 'PLAIN']);
}, 20_000);
