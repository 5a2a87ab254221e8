/**
 * Interoperability: slixmpp's MAM plugin (xep_0313, Debian's python3-slixmpp) queries a room's
 * archive (`jid` = the room): pages forwards and backwards and by occupant JID, the archive ids
 * matching the stanza ids the room stamped on the reflections (test/interop/slixmpp_muc_mam.py).
 * Without slixmpp this test fails rather than passing silently.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_muc_mam.py');

let server: TestServer | undefined;
let directory: string;

beforeEach(async () => {
  expectSlixmpp();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-muc-mam-'));
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await rm(directory, { recursive: true, force: true });
});

test("slixmpp's xep_0313 pages through a room's archive forwards, backwards and by occupant", async () => {
  server = await startTestServer();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, [
    '--port', String(server.port), '--cafile', cafile, '--room', 'archived@conference.localhost', '--count', '25', '--page', '10',
  ], 25_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: 25 room messages paged forwards in 3 pages of 10, backwards and by occupant, ids matching the stanza ids');
}, 30_000);
