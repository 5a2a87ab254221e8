/**
 * Archives kept by the default (`internal`) storage survive a full server restart: a real server
 * on a temporary data directory archives items, is stopped (which closes the archive
 * environment) and started again on the same directory, and finds them by id, by `with` and in
 * pages. The archives of a second server on another directory stay its own.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/core-of.js';
import { silentLogger } from '../../server/log/index.js';
import type { ArchiveStore } from '../../server/storage/archive-store.js';
import { makeItem } from '../helpers/archive-contract.js';

const dataPaths: string[] = [];
const servers: RunningServer[] = [];

beforeEach(async () => {
  dataPaths.push(await mkdtemp(join(tmpdir(), 'salon-archive-restart-')));
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
  for (const path of dataPaths.splice(0)) await rm(path, { recursive: true, force: true });
});

async function start(dataPath: string): Promise<RunningServer> {
  const server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [0], https_ports: [], http_interfaces: ['127.0.0.1'],
      data_path: dataPath, hosts: [VirtualHost('localhost')],
    },
    logger: silentLogger(),
    tls: 'test',
  });
  servers.push(server);
  return server;
}

async function stop(server: RunningServer): Promise<void> {
  servers.splice(servers.indexOf(server), 1);
  await server.stop();
}

const archiveOf = (server: RunningServer): ArchiveStore => coreOf(server).storage.openArchive('localhost', 'archive');

test('archived items are there after a restart on the same data directory', async () => {
  const dataPath = dataPaths[0]!;
  let server = await start(dataPath);
  const items = [makeItem('bob@localhost/phone'), makeItem('carol@localhost'), makeItem('bob@localhost')];
  await Promise.all(items.map((item) => archiveOf(server).append('alice@localhost', item)));
  await stop(server);

  server = await start(dataPath);
  const archive = archiveOf(server);
  expect(await archive.query('alice@localhost', { limit: 10 })).toEqual({ items, complete: true, count: 3 });
  expect(await archive.query('alice@localhost', { limit: 10, with: 'bob@localhost', fromEnd: true })).toEqual({ items: [items[0], items[2]], complete: true, count: 2 });
  expect(await archive.get('alice@localhost', items[1]!.id)).toEqual(items[1]);

  // Another server, another data directory: nothing of the first one's archive.
  dataPaths.push(await mkdtemp(join(tmpdir(), 'salon-archive-restart-')));
  const other = await start(dataPaths[1]!);
  expect(await archiveOf(other).query('alice@localhost', { limit: 10 })).toEqual({ items: [], complete: true, count: 0 });
});
