/**
 * Interoperability: slixmpp's stream management plugin (xep_0198) against Salon
 * (test/interop/slixmpp_resume.py): a client whose TCP connection is cut without a closing stream
 * resumes its session and gets every message sent meanwhile exactly once. slixmpp is a
 * requirement of the test suite: without it this test fails.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_resume.py');

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer();
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-sm-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('slixmpp resumes after its connection is cut and gets every message exactly once', async () => {
  expectSlixmpp();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10'], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('messages: 6; ids: m1 m2 m3 m4 m5 m6');
  // The server saw it as a resumption of the hibernated session, not a new login.
  expect(server.logs.filter((line) => line.msg === 'session resumed').length).toBe(1);
}, 20_000);
