/**
 * Interoperability: slixmpp's HTTP File Upload plugin (xep_0363, over aiohttp) against Salon's
 * http_file_share (test/interop/slixmpp_http_upload.py): discovery, the size limit from the
 * disco form, a slot, the PUT with the slot's header and the GET. The component publishes its
 * routes under 127.0.0.1 (`http_host`) on plain HTTP so that the client reaches the URLs it is
 * given without a name lookup (`upload.localhost` does not resolve everywhere).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { Component, VirtualHost } from '../../salon.js';
import { expectSlixmpp, interopScript, runPythonScript } from '../helpers/python-script.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SCRIPT = interopScript('slixmpp_http_upload.py');
const LIMIT = 10 * 1024 * 1024; // the shipped http_file_share_size_limit

let server: TestServer;
let directory: string;

beforeEach(async () => {
  server = await startTestServer({
    globals: { https_ports: [] },
    hosts: [VirtualHost('localhost'), Component('upload.localhost', 'http_file_share', { http_host: '127.0.0.1' })],
  });
  directory = await mkdtemp(join(tmpdir(), 'salon-slixmpp-upload-'));
});
afterEach(async () => {
  await server.stop();
  await rm(directory, { recursive: true, force: true });
});

test('slixmpp finds the service, uploads a file and downloads it again', async () => {
  expectSlixmpp();
  const cafile = join(directory, 'server.pem');
  await writeFile(cafile, server.certificate!);
  const outcome = await runPythonScript(SCRIPT, ['--port', String(server.port), '--cafile', cafile, '--timeout', '10', '--limit', String(LIMIT)], 15_000);
  expect({ code: outcome.code, stderr: outcome.stderr }).toEqual({ code: 0, stderr: '' });
  expect(outcome.stdout).toMatch(/^OK: uploaded and downloaded \d+ bytes via http:\/\/127\.0\.0\.1:\d+\/file_share\//);
}, 20_000);
