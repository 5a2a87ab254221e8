import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { openAccountStore } from '../../server/accounts/index.js';
import type { CliInput } from '../../server/cli/cli-io.js';
import { createStorageDriver } from '../../server/storage/index.js';
import { runSalon } from '../helpers/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-cli-accounts-'));
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost, Component } from 'salon';
export default defineConfig({
  data_path: 'var',
  sasl_iterations: 4096,
  hosts: [VirtualHost('localhost'), VirtualHost('memory.test', { storage: 'memory' }), Component('conference.localhost', 'muc')],
});
`);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads back what the commands wrote, through a fresh driver on the same data directory. */
async function verify(local: string, password: string): Promise<{ exists: boolean; valid: boolean }> {
  const driver = createStorageDriver('internal', join(dir, 'var'));
  if (!driver.ok) throw new Error(driver.error);
  try {
    const store = openAccountStore(driver.value, 'localhost', { iterations: 4096 });
    return { exists: await store.exists(local), valid: await store.verifyPassword(local, password) };
  } finally {
    await driver.value.close();
  }
}

/** A fake terminal: raw mode switches are recorded, keystrokes are written by the test. */
function fakeTerminal(): { stdin: CliInput & PassThrough; rawModes: boolean[] } {
  const rawModes: boolean[] = [];
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode(mode: boolean) {
      rawModes.push(mode);
      return this;
    },
  });
  return { stdin, rawModes };
}

describe('salon adduser / passwd / deluser', () => {
  test('adduser reads the password from piped standard input and stores SCRAM keys', async () => {
    const run = await runSalon(['adduser', 'Alice@LocalHost'], { cwd: dir, stdin: 's3cret pass\n' });
    expect(run).toEqual({ code: 0, stdout: 'created alice@localhost\n', stderr: '' });
    expect(await verify('alice', 's3cret pass')).toEqual({ exists: true, valid: true });
    const files = await readdir(join(dir, 'var'), { recursive: true });
    expect(files.join('\n')).not.toContain('s3cret');
  });

  test('adduser of an existing account fails with exit 1', async () => {
    await runSalon(['adduser', 'bob@localhost', 'first'], { cwd: dir });
    const again = await runSalon(['adduser', 'bob@localhost', 'second'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('salon: bob@localhost: the account already exists\n');
    expect(await verify('bob', 'first')).toEqual({ exists: true, valid: true });
  });

  test('passwd changes the password (argument form)', async () => {
    await runSalon(['adduser', 'carol@localhost', 'old'], { cwd: dir });
    const run = await runSalon(['passwd', 'carol@localhost', 'new'], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: 'password changed for carol@localhost\n', stderr: '' });
    expect(await verify('carol', 'new')).toEqual({ exists: true, valid: true });
    expect(await verify('carol', 'old')).toEqual({ exists: true, valid: false });
  });

  test('passwd and deluser of a missing account exit 1', async () => {
    expect((await runSalon(['passwd', 'nobody@localhost', 'x'], { cwd: dir })).code).toBe(1);
    const run = await runSalon(['deluser', 'nobody@localhost'], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('salon: nobody@localhost: no such account\n');
  });

  test('deluser removes the account', async () => {
    await runSalon(['adduser', 'dave@localhost', 'pw'], { cwd: dir });
    const run = await runSalon(['deluser', 'dave@localhost'], { cwd: dir });
    expect(run).toEqual({ code: 0, stdout: 'deleted dave@localhost\n', stderr: '' });
    expect(await verify('dave', 'pw')).toEqual({ exists: false, valid: false });
  });

  test('on a terminal the password is asked twice, without echo', async () => {
    const { stdin, rawModes } = fakeTerminal();
    const pending = runSalon(['adduser', 'erin@localhost'], { cwd: dir, stdin });
    stdin.write('hid');
    stdin.write('dex\u007fn\r'); // a backspace erases the x
    stdin.write('hidden\r');
    const run = await pending;
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('Password: \nRepeat password: \n');
    expect(rawModes).toEqual([true, false, true, false]);
    expect(await verify('erin', 'hidden')).toEqual({ exists: true, valid: true });
  });

  test('mismatched terminal passwords are refused', async () => {
    const { stdin } = fakeTerminal();
    const pending = runSalon(['adduser', 'fay@localhost'], { cwd: dir, stdin });
    stdin.write('one\rtwo\r'); // both answers in one chunk, as when pasted
    const run = await pending;
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('salon: the passwords do not match\n');
    expect(await verify('fay', 'one')).toEqual({ exists: false, valid: false });
  });

  test('usage and configuration errors exit 2', async () => {
    const cases: Array<[string[], string | undefined, string]> = [
      [['adduser', 'not a jid'], 'pw\n', 'salon: "not a jid" is not a user JID (user@host)\n'],
      [['adduser', 'localhost'], 'pw\n', 'salon: "localhost" is not a user JID (user@host)\n'],
      [['adduser', 'x@localhost/res'], 'pw\n', 'salon: "x@localhost/res" is not a user JID (user@host)\n'],
      [['adduser', 'x@example.com'], 'pw\n',
        'salon: "example.com" is not a VirtualHost in salon.config.ts (VirtualHosts: localhost, memory.test)\n'],
      [['adduser', 'x@conference.localhost'], 'pw\n',
        'salon: "conference.localhost" is not a VirtualHost in salon.config.ts (VirtualHosts: localhost, memory.test)\n'],
      [['adduser', 'x@localhost'], '', 'salon: no password on standard input\n'],
      [['adduser', 'x@localhost'], '\n', 'salon: the password must not be empty\n'],
    ];
    for (const [argv, stdin, stderr] of cases) {
      const run = await runSalon(argv, { cwd: dir, ...(stdin === undefined ? {} : { stdin }) });
      expect([argv, run.code, run.stderr]).toEqual([argv, 2, stderr]);
    }
  });

  test('memory storage works but warns that nothing is kept', async () => {
    const run = await runSalon(['adduser', 'gus@memory.test', 'pw'], { cwd: dir });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/warning: accounts use the "memory" storage driver/);
  });
});
