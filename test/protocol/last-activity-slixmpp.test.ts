/**
 * Interoperability: slixmpp's Last Activity plugin (xep_0012) against Salon
 * (test/interop/slixmpp_last_activity.py), with `lastactivity` enabled: a client's own answer
 * (the scenario of slixmpp's integration test), the server's uptime and the server's answers for
 * a contact online and offline, and for a stranger. slixmpp is a requirement of the test suite:
 * without it this test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { DEFAULT_USERS, startTestServer, type TestServer } from '../helpers/test-server.js';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';

const SCRIPT = interopScript('slixmpp_last_activity.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer({
    users: { ...DEFAULT_USERS, 'carol@localhost': 'carol-secret' },
    globals: { modules_enabled: ['lastactivity'], fixture: { rosters: [['alice', 'bob']] } },
  });
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-last-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('slixmpp reads a client\'s idle time, the server\'s uptime and a contact\'s last logout', async () => {
  expectSlixmpp();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
}, 20_000);
