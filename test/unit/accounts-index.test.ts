/**
 * The account index (server/accounts/account-index.ts) on the real json-file driver in a temporary
 * directory: what a starting server learns from the log, and how it stays true to the account
 * files whatever another process, a crash or a hand edit did to them.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { appendFile, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccountIndex, ACCOUNT_INDEX_STORE, type AccountIndexLine } from '../../server/accounts/account-index.js';
import type { AccountRecord } from '../../server/accounts/account-store.js';
import { ACCOUNTS_STORE, openAccountStore } from '../../server/accounts/index.js';
import type { StorageDriver } from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

let dir: string;
const drivers: StorageDriver[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-account-index-'));
});
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  await rm(dir, { recursive: true, force: true });
});

/** A driver on the test directory, as a server or a `salon` command would open one. */
function open(): StorageDriver {
  const driver = createJsonFileDriver(dir);
  drivers.push(driver);
  return driver;
}

/** The index a starting server would load, on a driver of its own. */
async function loadedIndex(): Promise<AccountIndex> {
  const driver = open();
  const index = new AccountIndex(driver.openLog!<AccountIndexLine>('localhost', ACCOUNT_INDEX_STORE), driver.open<AccountRecord>('localhost', ACCOUNTS_STORE));
  await index.load();
  return index;
}

const LOG = (): string => join(dir, 'localhost', ACCOUNT_INDEX_STORE, 'accounts.log');
const ACCOUNT_FILE = (name: string): string => join(dir, 'localhost', ACCOUNTS_STORE, `${name}.json`);

test('accounts made by another process are known from the log alone, and names that are not accounts too', async () => {
  const cli = openAccountStore(open(), 'localhost', { iterations: 4096 });
  await cli.create('alice', 'secret');
  await cli.create('bob', 'other');
  await cli.delete('bob');
  await drivers[0]!.flush();
  const index = await loadedIndex();
  const record = JSON.parse(await readFile(ACCOUNT_FILE('alice'), 'utf8')) as AccountRecord;
  expect(index.lookup('alice')).toEqual(record.scram);
  expect(index.lookup('bob')).toBeNull();
  expect(index.lookup('nobody')).toBeNull();
});

test('a change cut short by a crash (its "changing" line last) is read from the account file', async () => {
  const cli = openAccountStore(open(), 'localhost', { iterations: 4096 });
  await cli.create('alice', 'old');
  await cli.create('carol', 'carol');
  await drivers[0]!.flush();
  // As if `setPassword` had written its first line and the new file, then the process died.
  const other = openAccountStore(createJsonFileDriver(join(dir, 'elsewhere')), 'localhost', { iterations: 4096 });
  await other.create('alice', 'new');
  await appendFile(LOG(), `${JSON.stringify([{ k: 'alice', c: 1 }])}\n`);
  await writeFile(ACCOUNT_FILE('alice'), await readFile(join(dir, 'elsewhere', 'localhost', ACCOUNTS_STORE, 'alice.json')));
  const index = await loadedIndex();
  expect(index.lookup('alice')).toBeUndefined();
  expect(index.lookup('carol')).toBeDefined();
  const server = openAccountStore(open(), 'localhost', { iterations: 4096 });
  expect(await server.verifyPassword('alice', 'new')).toBe(true);
  expect(await server.verifyPassword('alice', 'old')).toBe(false);
});

test('files the log does not know are read from disk; log entries without a file are dropped', async () => {
  const cli = openAccountStore(open(), 'localhost', { iterations: 4096 });
  await cli.create('alice', 'secret');
  await cli.create('dave', 'dave');
  await drivers[0]!.flush();
  // An account file copied in by hand, and one removed by hand.
  await writeFile(ACCOUNT_FILE('erin'), await readFile(ACCOUNT_FILE('alice')));
  await unlink(ACCOUNT_FILE('dave'));
  const index = await loadedIndex();
  expect(index.lookup('erin')).toBeUndefined();
  expect(index.lookup('dave')).toBeNull();
  const server = openAccountStore(open(), 'localhost', { iterations: 4096 });
  expect(await server.verifyPassword('erin', 'secret')).toBe(true);
  expect(await server.exists('dave')).toBe(false);
});

test('the first start on accounts without a log writes one, with every account', async () => {
  const cli = openAccountStore(open(), 'localhost', { iterations: 4096 });
  for (const name of ['a1', 'a2', 'a3']) await cli.create(name, 'pw');
  await drivers[0]!.flush();
  await unlink(LOG());
  const index = await loadedIndex();
  for (const name of ['a1', 'a2', 'a3']) expect(index.lookup(name)).toBeDefined();
  const lines = (await readFile(LOG(), 'utf8')).trim().split('\n');
  expect(lines).toHaveLength(3);
  expect((await loadedIndex()).lookup('a2')).toEqual(index.lookup('a2'));
});

test('a running index follows changes made by another process (through the directory watch)', async () => {
  const serverDriver = open();
  const server = openAccountStore(serverDriver, 'localhost', { iterations: 4096 });
  await server.create('alice', 'old');
  expect(await server.verifyPassword('alice', 'old')).toBe(true);
  const cli = openAccountStore(open(), 'localhost', { iterations: 4096 });
  await cli.setPassword('alice', 'new');
  await cli.create('frank', 'frank');
  // The watch reports the changed files within a turn or two of the event loop.
  const deadline = Date.now() + 3_000;
  while (!(await server.verifyPassword('alice', 'new')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(await server.verifyPassword('alice', 'old')).toBe(false);
  expect(await server.verifyPassword('frank', 'frank')).toBe(true);
});
