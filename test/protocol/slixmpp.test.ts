/**
 * Interoperability: slixmpp (Debian's python3-slixmpp) performs the subscription handshake
 * against Salon (test/interop/slixmpp_subscribe.py). slixmpp is a requirement of the test suite
 * (.ci/run installs it): without it this test fails rather than passing silently.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const PYTHON = '/usr/bin/python3';
const SCRIPT = join(process.cwd(), 'test', 'interop', 'slixmpp_subscribe.py');

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

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], timeoutMs: number): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

test('slixmpp clients subscribe to each other and see each other online', async () => {
  const probe = spawnSync(PYTHON, ['-c', 'import slixmpp; print(slixmpp.__version__)'], { encoding: 'utf8' });
  // A clear failure, not a skip: install with `apt-get install -y python3-slixmpp` (see .ci/run).
  expect({ slixmppAvailable: probe.status === 0, stderr: probe.stderr }).toEqual({ slixmppAvailable: true, stderr: '' });

  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const args = [SCRIPT, '--port', String(server.port), '--cafile', cafile, '--timeout', '10'];
  // SLIXMPP_DEBUG=1 shows slixmpp's own log (in the failure message) when something goes wrong.
  if (process.env.SLIXMPP_DEBUG !== undefined) args.push('--debug');
  const outcome = await run(args, 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toContain('OK');
  // slixmpp chose its own mechanism: its -PLUS attempts (tls-unique) and its `y` SCRAM attempts
  // are refused (RFC 5802 §6: -PLUS was offered), so it logs in with PLAIN inside TLS.
  const mechanisms = server.logs.filter((line) => line.msg === 'authenticated').map((line) => line.mechanism);
  expect(mechanisms).toEqual(['PLAIN', 'PLAIN']);
}, 20_000);
