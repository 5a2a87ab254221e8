/**
 * A running server keeps account records in memory (the json-file driver's read cache): a password
 * change or an account removal must take effect at the next login all the same, whether it was made
 * in-band by this server (XEP-0077) or by `salon passwd|deluser|adduser` run as another process on
 * the same data directory.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { silentLogger } from '../../server/log/index.js';
import { connectClient, trustCertificate, xml } from '../helpers/xmpp-client.js';

const CLI = join(process.cwd(), 'dist', 'cli.js');
let dir: string;
let server: RunningServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-account-changes-'));
  const dataPath = join(dir, 'data');
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({ data_path: ${JSON.stringify(dataPath)}, sasl_iterations: 4096, hosts: [VirtualHost('localhost')] });
`);
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [],
      data_path: dataPath, sasl_iterations: 4096, hosts: [VirtualHost('localhost')],
    },
    users: {
      'alice@localhost': 'alice-old', 'bob@localhost': 'bob-secret', 'carol@localhost': 'carol-old', 'dave@localhost': 'dave-secret',
    },
    logger: silentLogger(),
    tls: 'test',
  });
  trustCertificate(server.certificate);
}, 30_000);
afterAll(async () => {
  await server.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The `salon` CLI as a separate process on the server's data directory; resolves with its exit code. */
function salon(...args: string[]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args, '--config', 'salon.config.ts'], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) => resolve(code ?? -1));
  });
}

/** Logs in with SCRAM-SHA-1 over STARTTLS; resolves with the bound JID, or rejects with the SASL condition. */
async function login(username: string, password: string): Promise<string> {
  const client = await connectClient({ port: server.c2s!.port, username, password, mechanism: 'SCRAM-SHA-1' });
  await client.stop();
  return client.jid;
}

const refused = { condition: 'not-authorized' };

describe('changes made by another process', () => {
  test('a password changed with `salon passwd` is the only one accepted at the next login', async () => {
    expect(await login('alice', 'alice-old')).toMatch(/^alice@localhost\//);
    expect(await login('alice', 'alice-old')).toMatch(/^alice@localhost\//); // served from memory now
    expect(await salon('passwd', 'alice@localhost', 'alice-new')).toBe(0);
    await expect(login('alice', 'alice-old')).rejects.toMatchObject(refused);
    expect(await login('alice', 'alice-new')).toMatch(/^alice@localhost\//);
  }, 30_000);

  test('an account removed with `salon deluser` can no longer log in', async () => {
    expect(await login('bob', 'bob-secret')).toMatch(/^bob@localhost\//);
    expect(await salon('deluser', 'bob@localhost')).toBe(0);
    await expect(login('bob', 'bob-secret')).rejects.toMatchObject(refused);
  }, 30_000);

  test('an account added with `salon adduser` logs in although a login just found none', async () => {
    await expect(login('erin', 'erin-secret')).rejects.toMatchObject(refused);
    expect(await salon('adduser', 'erin@localhost', 'erin-secret')).toBe(0);
    expect(await login('erin', 'erin-secret')).toMatch(/^erin@localhost\//);
  }, 30_000);
});

describe('changes made in-band by this server (XEP-0077)', () => {
  test('a changed password is the only one accepted at the next login', async () => {
    const client = await connectClient({ port: server.c2s!.port, username: 'carol', password: 'carol-old', mechanism: 'SCRAM-SHA-1' });
    await client.send(xml('iq', { type: 'set', id: 'pw1', to: 'localhost' },
      xml('query', { xmlns: 'jabber:iq:register' }, xml('username', {}, 'carol'), xml('password', {}, 'carol-new'))));
    const answer = await client.waitFor((el) => el.attrs.id === 'pw1');
    expect(answer.attrs.type).toBe('result');
    await client.stop();
    await expect(login('carol', 'carol-old')).rejects.toMatchObject(refused);
    expect(await login('carol', 'carol-new')).toMatch(/^carol@localhost\//);
  }, 30_000);

  test('a removed account can no longer log in', async () => {
    const client = await connectClient({ port: server.c2s!.port, username: 'dave', password: 'dave-secret', mechanism: 'SCRAM-SHA-1' });
    await client.send(xml('iq', { type: 'set', id: 'rm1', to: 'localhost' }, xml('query', { xmlns: 'jabber:iq:register' }, xml('remove'))));
    await client.waitFor((el) => el.attrs.id === 'rm1');
    await client.stop();
    await expect(login('dave', 'dave-secret')).rejects.toMatchObject(refused);
  }, 30_000);
});
