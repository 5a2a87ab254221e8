/**
 * http_file_share on disk: with file storage, files live under
 * `<data_path>/http_file_share/<host>/` and survive a restart together with their records; parts
 * of uploads a previous run left unfinished are removed at start.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from '@jest/globals';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { grantedSlot, pattern, send, upload, UPLOAD } from '../helpers/file-share-harness.js';
import type { TestServer } from '../helpers/test-server.js';
import { connectClient, trustCertificate } from '../helpers/xmpp-client.js';

let directory: string | undefined;
const running: RunningServer[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.stop()));
  if (directory !== undefined) await rm(directory, { recursive: true, force: true });
});

async function start(dataPath: string): Promise<TestServer> {
  const server = await startServer({
    config: {
      data_path: dataPath, c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'],
      http_ports: [0], https_ports: [0], http_interfaces: ['127.0.0.1'], https_interfaces: ['127.0.0.1'],
      sasl_iterations: 4096, log_level: 'silent',
      hosts: [VirtualHost('localhost'), Component(UPLOAD, 'http_file_share')],
    },
    users: { 'alice@localhost': 'alice-secret' },
    tls: 'test',
  });
  running.push(server);
  trustCertificate(server.certificate);
  return Object.assign(server, { logs: [], port: server.c2s!.port, directTlsPort: 0 });
}

test('an uploaded file is kept on disk and served again after a restart', async () => {
  directory = await mkdtemp(join(tmpdir(), 'salon-file-share-disk-'));
  const first = await start(directory);
  const alice = await connectClient({ port: first.port, username: 'alice', password: 'alice-secret' });
  const slot = await grantedSlot(alice, 'kept.txt', 100, 'text/plain');
  expect((await upload(first, slot, pattern(100), 'text/plain')).status).toBe(201);
  await alice.stop();
  await first.stop();
  running.length = 0;

  const files = join(directory, 'http_file_share', UPLOAD);
  const slotId = new URL(slot.getUrl).pathname.split('/')[2]!;
  expect(await readdir(files)).toEqual([slotId]);
  await writeFile(join(files, `${slotId}x.part-0123456789ab`), 'left over by a crash');

  const second = await start(directory);
  const again = new URL(slot.getUrl);
  again.port = new URL(second.httpsUrl!).port;
  const got = await send(second, again.toString(), { method: 'GET' });
  expect(got.status).toBe(200);
  expect(got.body.equals(pattern(100))).toBe(true);
  expect(await readdir(files)).toEqual([slotId]);
});
