/** Append-only logs (offline queues): the same semantics in every driver, and what a crash leaves. */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals';
import { appendFile, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMemoryDriver, createStorageDriver, openAppendLog, type StorageDriver,
} from '../../server/storage/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

interface Entry { n: number; text: string }

let dataPath: string;
const drivers: StorageDriver[] = [];

beforeEach(async () => {
  dataPath = await mkdtemp(join(tmpdir(), 'salon-log-'));
});
afterEach(async () => {
  for (const driver of drivers.splice(0)) await driver.close();
  await rm(dataPath, { recursive: true, force: true });
});

function make(kind: 'memory' | 'internal' | 'fallback'): StorageDriver {
  const driver = kind === 'internal' ? createJsonFileDriver(dataPath) : createMemoryDriver();
  drivers.push(driver);
  if (kind !== 'fallback') return driver;
  // A driver that offers only key-value stores gets a log kept in one.
  const { openLog: _unused, ...withoutLog } = driver;
  return withoutLog;
}

function entry(n: number): Entry {
  return { n, text: `line\nbreak ${n} é` };
}

describe.each(['memory', 'internal', 'fallback'] as const)('%s driver logs', (kind) => {
  test('append, read in order, replace, delete; keys and hosts are separate', async () => {
    const driver = make(kind);
    const log = openAppendLog<Entry>(driver, 'localhost', 'offline');
    expect(await log.read('bob')).toEqual([]);
    await log.append('bob', entry(1));
    await log.append('bob', entry(2));
    await log.append('alice', entry(9));
    expect(await log.read('bob')).toEqual([entry(1), entry(2)]);
    expect(await openAppendLog<Entry>(driver, 'other.host', 'offline').read('bob')).toEqual([]);
    await log.replace('bob', [entry(0), entry(2)]);
    expect(await log.read('bob')).toEqual([entry(0), entry(2)]);
    await log.append('bob', entry(3));
    expect(await log.read('bob')).toEqual([entry(0), entry(2), entry(3)]);
    await log.delete('bob');
    await log.delete('never-there');
    expect(await log.read('bob')).toEqual([]);
    await log.append('bob', entry(4));
    await log.replace('alice', []);
    expect([await log.read('bob'), await log.read('alice')]).toEqual([[entry(4)], []]);
  });

  test('records are copies: changing what was appended or read changes nothing stored', async () => {
    const log = openAppendLog<Entry>(make(kind), 'localhost', 'offline');
    const record = entry(1);
    const appending = log.append('bob', record);
    record.n = 99;
    await appending;
    const read = await log.read('bob');
    read[0]!.n = 42;
    read.push(entry(7));
    expect(await log.read('bob')).toEqual([entry(1)]);
  });

  test('concurrent appends are all kept, in the order they were made', async () => {
    const log = openAppendLog<Entry>(make(kind), 'localhost', 'offline');
    await Promise.all(Array.from({ length: 20 }, (_, n) => log.append('bob', entry(n))));
    expect(await log.read('bob')).toEqual(Array.from({ length: 20 }, (_, n) => entry(n)));
  });
});

describe('internal driver log files', () => {
  async function logFile(): Promise<string> {
    const directory = join(dataPath, 'localhost', 'offline');
    const names = await readdir(directory);
    expect(names).toEqual(['bob.log']);
    return join(directory, 'bob.log');
  }

  test('an append adds one line and leaves the earlier bytes as they were (no rewrite)', async () => {
    const driver = make('internal');
    const log = driver.openLog!<Entry>('localhost', 'offline');
    await log.append('bob', entry(1));
    const path = await logFile();
    const before = await readFile(path, 'utf8');
    const inode = (await stat(path)).ino;
    await log.append('bob', entry(2));
    const after = await readFile(path, 'utf8');
    expect(after.startsWith(before)).toBe(true);
    expect(after.slice(before.length)).toBe(`${JSON.stringify([entry(2)])}\n`);
    expect((await stat(path)).ino).toBe(inode);
    expect(after.split('\n')).toHaveLength(3);
  });

  test.each([
    ['cut inside the record', (line: string) => line.slice(0, line.length - 5)],
    ['cut before its closing bracket', (line: string) => line.slice(0, -2)],
    ['cut after the first bracket', () => '['],
    ['zeros from a lost block', () => '\0\0\0\0'],
  ])('a torn last record (%s) is dropped, and the next append stays whole', async (_name, tear) => {
    const driver = make('internal');
    const log = driver.openLog!<Entry>('localhost', 'offline');
    await log.append('bob', entry(1));
    const path = await logFile();
    await appendFile(path, tear(`${JSON.stringify([entry(2)])}\n`));
    // A fresh driver, as after a restart: nothing cached.
    const restarted = make('internal').openLog!<Entry>('localhost', 'offline');
    expect(await restarted.read('bob')).toEqual([entry(1)]);
    await restarted.append('bob', entry(3));
    expect(await make('internal').openLog!<Entry>('localhost', 'offline').read('bob')).toEqual([entry(1), entry(3)]);
  });

  test('a whole record that lost only its newline is kept, and the next append starts a new line', async () => {
    const driver = make('internal');
    await driver.openLog!<Entry>('localhost', 'offline').append('bob', entry(1));
    await appendFile(await logFile(), JSON.stringify([entry(2)]));
    const restarted = make('internal').openLog!<Entry>('localhost', 'offline');
    expect(await restarted.read('bob')).toEqual([entry(1), entry(2)]);
    await restarted.append('bob', entry(3));
    expect(await make('internal').openLog!<Entry>('localhost', 'offline').read('bob')).toEqual([entry(1), entry(2), entry(3)]);
  });

  test('a line that is valid JSON but not one framed record is not taken for one', async () => {
    const driver = make('internal');
    const log = driver.openLog!<Entry>('localhost', 'offline');
    await log.append('bob', entry(1));
    await appendFile(await logFile(), '12\n[1,2]\n{"n":5}\n');
    expect(await make('internal').openLog!<Entry>('localhost', 'offline').read('bob')).toEqual([entry(1)]);
  });

  test('replace rewrites atomically and leaves no temporary file; an empty replace removes the file', async () => {
    const driver = make('internal');
    const log = driver.openLog!<Entry>('localhost', 'offline');
    await log.append('bob', entry(1));
    await log.replace('bob', [entry(5), entry(6)]);
    const path = await logFile();
    expect(await readFile(path, 'utf8')).toBe(`${JSON.stringify([entry(5)])}\n${JSON.stringify([entry(6)])}\n`);
    await log.replace('bob', []);
    expect(await readdir(join(dataPath, 'localhost', 'offline'))).toEqual([]);
  });

  test('a log sits beside the key-value files of its store without becoming a key', async () => {
    const driver = make('internal');
    await driver.openLog!<Entry>('localhost', 'offline').append('bob', entry(1));
    const store = driver.open<unknown>('localhost', 'offline');
    await store.set('carol', [1]);
    expect(await store.keys()).toEqual(['carol']);
    expect(await store.get('bob')).toBeUndefined();
    await writeFile(join(dataPath, 'localhost', 'offline', 'stray.log'), 'not a log\n');
    expect(await store.keys()).toEqual(['carol']);
  });

  test('the storage router gives each store the log of its configured driver', async () => {
    const routed = createStorageDriver({ offline: 'memory' }, dataPath);
    if (!routed.ok) throw new Error(routed.error);
    drivers.push(routed.value);
    await routed.value.openLog!<Entry>('localhost', 'offline').append('bob', entry(1));
    await routed.value.openLog!<Entry>('localhost', 'archive').append('bob', entry(2));
    expect(await readdir(dataPath)).toEqual(['localhost']);
    expect(await readdir(join(dataPath, 'localhost'))).toEqual(['archive']);
    expect(await routed.value.openLog!<Entry>('localhost', 'offline').read('bob')).toEqual([entry(1)]);
  });
});
