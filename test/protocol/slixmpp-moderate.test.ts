/**
 * Interoperability: slixmpp's moderation plugin (xep_0425, Debian's python3-slixmpp, which sends
 * the urn:xmpp:message-moderate:0 form) in the scenario of slixmpp's own integration test
 * test_moderate: an owner sets up a members-only room, retracts a member's message, the member is
 * told; plus a refusal and the tombstones in the archive (test/interop/slixmpp_moderate.py).
 * Without slixmpp this test fails rather than passing silently.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_moderate.py');

let server: TestServer | undefined;
let directory: string;

beforeEach(async () => {
  expectSlixmpp();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-moderate-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(directory, { recursive: true, force: true });
});

test("slixmpp's xep_0425 moderates a member's message as slixmpp's test_moderate does", async () => {
  server = await startTestServer();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--room', 'moderated@conference.localhost'], 25_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: two messages moderated (by stanza id and by their own id), bob told each time, a member refused, tombstones in the archive');
}, 30_000);
