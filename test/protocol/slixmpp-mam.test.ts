/**
 * Interoperability: slixmpp's MAM plugin (xep_0313, Debian's python3-slixmpp) pages through
 * 1,000 archived messages both ways, and passes what slixmpp's own itests/test_mam.py checks
 * (test/interop/slixmpp_mam.py reproduces it: that file is not in Debian's package). slixmpp is
 * a requirement of the test suite (.ci/run installs it): without it this test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript, type ScriptOutcome } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_mam.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  expectSlixmpp();
  // Two seeded accounts, as the itests' CI_ACCOUNT1 and CI_ACCOUNT2.
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-mam-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

async function runScript(args: string[], timeoutMs: number): Promise<ScriptOutcome> {
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  // SLIXMPP_DEBUG=1 shows slixmpp's own log (in the failure message) when something goes wrong.
  return runPythonScript(SCRIPT, [...args, '--port', String(server.port), '--cafile', cafile, '--timeout', '10'], timeoutMs);
}

test('slixmpp pages through 1,000 archived messages forwards and backwards', async () => {
  const outcome = await runScript(['paging', '--count', '1000', '--page', '50'], 40_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: 1000 messages paged forwards in 20 pages of 50 and backwards');
}, 45_000);

test("slixmpp's test_mam checks pass (retrieve and iterate in reverse)", async () => {
  const outcome = await runScript(['itest'], 25_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK: test_mam_retrieve and test_mam_iterate pass');
}, 30_000);
