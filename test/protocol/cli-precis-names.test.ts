/**
 * `salon adduser` and `salon import` hold user names to the same PRECIS rules as in-band
 * registration and login (RFC 7622 §3.3, RFC 8265 §3.3): an invisible or compatibility
 * look-alike of a name is refused and nothing is written.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openAccountStore } from '../../server/accounts/index.js';
import { createStorageDriver } from '../../server/storage/index.js';
import { createRosterImporter } from '../../roster/index.js';
import { runSalon } from '../helpers/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-cli-names-'));
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({ data_path: 'var', sasl_iterations: 4096, hosts: [VirtualHost('localhost')] });
`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The account names stored on the data directory, read through a fresh driver. */
async function storedNames(): Promise<string[]> {
  const driver = createStorageDriver('internal', join(dir, 'var'));
  if (!driver.ok) throw new Error(driver.error);
  try {
    return (await openAccountStore(driver.value, 'localhost', { iterations: 4096 }).list()).sort();
  } finally {
    await driver.value.close();
  }
}

describe('user names on the command line', () => {
  test('adduser refuses look-alikes of a name and creates the width- and case-mapped one', async () => {
    for (const name of ['ad\u00admin', 'ad\u200bmin', '\ufb01le', 'adm\u2139n']) {
      const run = await runSalon(['adduser', `${name}@localhost`, 'pw'], { cwd: dir });
      expect([name, run.code, run.stderr]).toEqual([name, 2, `salon: "${name}@localhost" is not a user JID (user@host)\n`]);
    }
    const plain = await runSalon(['adduser', '\uff21dmin@localhost', 'pw'], { cwd: dir });
    expect(plain).toEqual({ code: 0, stdout: 'created admin@localhost\n', stderr: '' });
    expect(await storedNames()).toEqual(['admin']);
  });

  test('import refuses a file naming a look-alike and imports nothing from it', async () => {
    await writeFile(join(dir, 'users.csv'), 'carol@localhost,pw\nca\u00adrol@localhost,pw\n');
    const run = await runSalon(['import', 'users.csv'], { cwd: dir, deps: { rosterImporter: createRosterImporter } });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('ca\u00adrol@localhost');
    expect(await storedNames()).toEqual(['admin']);
  });
});
