/**
 * `salon import`: accounts and rosters written into a real data directory by the command, then
 * used by a real server started on that directory (login over TCP, roster get).
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { createRosterImporter } from '../../roster/index.js';
import { silentLogger } from '../../server/log/index.js';
import { runSalon, type CliRun } from '../helpers/cli-harness.js';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { getRoster, itemsOf } from '../helpers/roster-raw.js';
import { trustCertificate } from '../helpers/xmpp-client.js';

let dir: string;
let server: RunningServer | undefined;
const clients: RawClient[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-cli-import-'));
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({ data_path: 'var', sasl_iterations: 4096, hosts: [VirtualHost('localhost')] });
`);
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function importFile(name: string, content: string): Promise<CliRun> {
  await writeFile(join(dir, name), content);
  return runSalon(['import', name], { cwd: dir, deps: { rosterImporter: createRosterImporter } });
}

/** A server on the command's data directory, with no accounts of its own. */
async function startOnData(): Promise<number> {
  server = await startServer({
    config: {
      c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [], https_ports: [], sasl_iterations: 4096,
      data_path: join(dir, 'var'), hosts: [VirtualHost('localhost')],
    },
    logger: silentLogger(),
    tls: 'test',
  });
  trustCertificate(server.certificate);
  return server.c2s!.port;
}

async function login(port: number, jid: string, password: string): Promise<RawClient> {
  const client = await rawLogin(port, jid, password, 'import-test');
  clients.push(client);
  return client;
}

describe('salon import', () => {
  test('JSON accounts and rosters: an imported user logs in and gets the imported roster', async () => {
    const run = await importFile('users.json', JSON.stringify({
      users: [
        {
          jid: 'Alice@LocalHost', password: 'alice pw',
          roster: [
            { jid: 'bob@localhost', name: 'Bob', groups: ['Friends', 'Work'], subscription: 'both' },
            { jid: 'carol@remote.example' },
          ],
        },
        { jid: 'bob@localhost', password: 'bob-pw', roster: [{ jid: 'alice@localhost', subscription: 'both' }] },
      ],
    }));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^imported 2 accounts \(2 created, 0 updated\) and 2 rosters \(3 contacts\) in \d+\.\d s\n$/);
    const port = await startOnData();
    const alice = await login(port, 'alice@localhost', 'alice pw');
    const items = itemsOf(await getRoster(alice));
    expect([...items.keys()].sort()).toEqual(['bob@localhost', 'carol@remote.example']);
    expect(items.get('bob@localhost')).toEqual({ subscription: 'both', ask: undefined, name: 'Bob', groups: ['Friends', 'Work'] });
    expect(items.get('carol@remote.example')).toEqual({ subscription: 'none', ask: undefined, name: undefined, groups: [] });
    const bob = await login(port, 'bob@localhost', 'bob-pw');
    expect([...itemsOf(await getRoster(bob)).keys()]).toEqual(['alice@localhost']);
  });

  test('CSV accounts; importing again changes the password of an existing account', async () => {
    const first = await importFile('users.csv', 'jid,password\r\ndave@localhost,"comma, and ""quote"""\r\nerin@localhost,erin-pw\r\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^imported 2 accounts \(2 created, 0 updated\) and 0 rosters/);
    const again = await importFile('again.csv', 'erin@localhost,new-erin-pw\n');
    expect(again.stdout).toMatch(/^imported 1 accounts \(0 created, 1 updated\)/);
    const port = await startOnData();
    await login(port, 'dave@localhost', 'comma, and "quote"');
    await login(port, 'erin@localhost', 'new-erin-pw');
    await expect(rawLogin(port, 'erin@localhost', 'erin-pw')).rejects.toThrow(/login failed/);
  });

  test('a file with problems imports nothing and names every problem (exit 2)', async () => {
    const run = await importFile('bad.json', JSON.stringify({
      users: [
        { jid: 'frank@localhost', password: 'pw' },
        { jid: 'grace@elsewhere.example', password: 'pw' },
        { jid: 'frank@localhost', password: 'again' },
        { jid: 'heidi@localhost', password: 'pw', roster: [{ jid: 'x@localhost/resource' }] },
      ],
    }));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('users.2 (frank@localhost): listed twice');
    expect(run.stderr).toContain('users.3 (heidi@localhost): roster.0: "x@localhost/resource" is not a bare JID');
    const accounts = await readdir(join(dir, 'var', 'localhost', 'accounts')).catch(() => []);
    expect(accounts.filter((name) => name.startsWith('frank') || name.startsWith('heidi'))).toEqual([]);
    const foreign = await importFile('foreign.csv', 'grace@elsewhere.example,pw\n');
    expect(foreign.code).toBe(2);
    expect(foreign.stderr).toMatch(/"elsewhere\.example" is not a VirtualHost in salon\.config\.ts/);
  });

  test('a file with rosters needs a roster writer; a missing file is a usage error', async () => {
    await writeFile(join(dir, 'roster.json'), JSON.stringify({ users: [{ jid: 'ivan@localhost', password: 'pw', roster: [] }] }));
    const run = await runSalon(['import', 'roster.json'], { cwd: dir });
    expect(run).toMatchObject({ code: 2, stderr: 'salon: this build cannot import rosters\n' });
    const missing = await runSalon(['import', 'nowhere.json'], { cwd: dir });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^salon: cannot read .*nowhere\.json/);
  });
});
