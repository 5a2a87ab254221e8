/**
 * `salon deluser`, run as another process beside a running server, deletes the account's message
 * archive and archiving preferences too, in the archive database the server holds open: LMDB lets both processes
 * use it at once, and the server sees the deletion at once.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/core-of.js';
import { silentLogger } from '../../server/log/index.js';
import { makeItem } from '../helpers/archive-contract.js';

const CLI = join(process.cwd(), 'dist', 'cli.js');
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-archive-deluser-'));
  const dataPath = join(dir, 'data');
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({ data_path: ${JSON.stringify(dataPath)}, sasl_iterations: 4096, hosts: [VirtualHost('localhost')] });
`);
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      data_path: dataPath, sasl_iterations: 4096, hosts: [VirtualHost('localhost')],
    },
    users: { 'alice@localhost': 'alice-secret', 'bob@localhost': 'bob-secret' },
    logger: silentLogger(),
    tls: 'test',
  });
}, 30_000);
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

function salon(...args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

test('deluser in another process deletes the archive the running server holds open and the archive preferences, and only those', async () => {
  const archive = coreOf(server).storage.openArchive('localhost', 'archive');
  const alices = [makeItem('bob@localhost'), makeItem('bob@localhost/phone')];
  const bobs = [makeItem('alice@localhost')];
  await Promise.all([...alices.map((i) => archive.append('alice@localhost', i)), ...bobs.map((i) => archive.append('bob@localhost', i))]);
  expect(await archive.query('alice@localhost', { limit: 10 })).toEqual({ items: alices, complete: true, count: 2 });
  const prefs = coreOf(server).storage.open<unknown>('localhost', 'archive_prefs');
  await prefs.set('alice', { default: 'never', always: [], never: [] });
  await prefs.set('bob', { default: 'roster', always: [], never: [] });

  expect(await salon('deluser', 'alice@localhost')).toBe(0);

  expect(await prefs.get('alice')).toBeUndefined();
  expect(await prefs.get('bob')).toEqual({ default: 'roster', always: [], never: [] });

  expect(await archive.query('alice@localhost', { limit: 10 })).toEqual({ items: [], complete: true, count: 0 });
  expect(await archive.get('alice@localhost', alices[0]!.id)).toBeUndefined();
  expect(await archive.query('bob@localhost', { limit: 10 })).toEqual({ items: bobs, complete: true, count: 1 });
  // The server goes on writing to the database after the other process has closed it.
  const later = makeItem('carol@localhost');
  await archive.append('bob@localhost', later);
  expect(await archive.get('bob@localhost', later.id)).toEqual(later);
}, 30_000);
