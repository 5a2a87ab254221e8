/**
 * Interoperability: slixmpp's MUC plugin (xep_0045, Debian's python3-slixmpp) creates and
 * configures a room, and sees a refused join as an error rather than a timeout
 * (test/interop/slixmpp_muc.py). slixmpp is a requirement of the test suite (.ci/run installs it):
 * without it this test fails rather than passing silently.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { AuthBackend, deny } from '../helpers/muc-http-auth-backend.js';
import { expectSlixmpp, interopScript, runPythonScript, type ScriptOutcome } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_muc.py');

let server: TestServer | undefined;
let backend: AuthBackend | undefined;
let directory: string;

beforeEach(async () => {
  expectSlixmpp();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-muc-'));
});
afterEach(async () => {
  await server?.stop();
  await backend?.close();
  server = undefined;
  backend = undefined;
  await rm(directory, { recursive: true, force: true });
});

async function runScript(running: TestServer, args: string[], timeoutMs: number): Promise<ScriptOutcome> {
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, running.certificate!);
  // SLIXMPP_DEBUG=1 shows slixmpp's own log (in the failure message) when something goes wrong.
  return runPythonScript(SCRIPT, [...args, '--port', String(running.port), '--cafile', cafile, '--timeout', '8'], timeoutMs);
}

test('slixmpp creates a room and configures it with get_room_config / set_room_config', async () => {
  server = await startTestServer();
  const room = 'slixroom@conference.localhost';
  const outcome = await runScript(server, ['configure', '--jid', 'alice@localhost', '--password', 'alice-secret', '--room', room, '--name', 'Salon Lounge'], 25_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain("OK: room slixroom@conference.localhost created and configured; get_room_config and disco#info name it 'Salon Lounge'");
}, 30_000);

test("slixmpp's join_muc_wait reports a muc_http_auth refusal as a PresenceError, not a timeout", async () => {
  backend = await AuthBackend.start();
  backend.script = deny('not on the guest list');
  server = await startTestServer({
    hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', { modules_enabled: ['muc_http_auth'], muc_http_auth_url: backend.url() })],
  });
  const outcome = await runScript(server, ['refused', '--jid', 'bob@localhost', '--password', 'bob-secret', '--room', 'vip@conference.localhost', '--condition', 'not-authorized'], 25_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: join_muc_wait raised PresenceError not-authorized for vip@conference.localhost');
  // The refusal came from the authorizer, asked once for this join.
  expect(backend.requests.map((request) => request.query.get('room') ?? request.rawQuery)).toHaveLength(1);
}, 30_000);
