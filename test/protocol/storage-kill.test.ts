/**
 * DESIGN.md §3: `kill -9` at any moment loses nothing that was acknowledged. A child process writes
 * accounts, overwrites one key and appends to one log in a loop with the json-file driver; we
 * SIGKILL it at different moments and check that every file parses, every acknowledged write is
 * there, and the log holds its records in order with none torn or missing.
 */
import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openAccountStore } from '../../server/accounts/index.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';

const CHILD = fileURLToPath(new URL('../helpers/storage-kill-child.mjs', import.meta.url));
const CHILD_DEADLINE_MS = 20_000;

interface Acknowledged {
  accounts: string[];
  /** Highest acknowledged counter value, -1 for none. */
  counter: number;
  /** Highest acknowledged log record, -1 for none. */
  log: number;
}

/** Runs the child until it has acknowledged `killAfter` writes, SIGKILLs it, and returns what it acknowledged. */
function runAndKill(dataPath: string, prefix: string, killAfter: number): Promise<Acknowledged> {
  const child = spawn(process.execPath, [CHILD, dataPath, prefix], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged: Acknowledged = { accounts: [], counter: -1, log: -1 };
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    let writes = 0;
    createInterface({ input: child.stdout }).on('line', (line) => {
      const account = /^account (\S+)$/.exec(line);
      const counter = /^counter (\d+)$/.exec(line);
      const record = /^log (\d+)$/.exec(line);
      if (record?.[1] !== undefined) acknowledged.log = Math.max(acknowledged.log, Number(record[1]));
      if (account?.[1] !== undefined) acknowledged.accounts.push(account[1]);
      if (counter?.[1] !== undefined) acknowledged.counter = Math.max(acknowledged.counter, Number(counter[1]));
      if (account || counter || record || line === 'ready') {
        if (line !== 'ready') writes++;
        if (writes >= killAfter) child.kill('SIGKILL');
      }
    });
    // 'close' comes after stdout has ended, so every line printed before the kill has been read.
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && writes >= killAfter) resolve(acknowledged);
      else reject(new Error(`child ended with ${signal ?? code} after ${writes} writes: ${stderr}`));
    });
  });
}

async function jsonFiles(directory: string): Promise<string[]> {
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.json')).map((e) => join(e.parentPath, e.name));
}

describe('json-file storage under kill -9', () => {
  let dataPath: string;
  const allAccounts: string[] = [];
  let lastCounter = -1;
  let lastRecord = -1;

  beforeAll(async () => {
    dataPath = await mkdtemp(join(tmpdir(), 'salon-kill-'));
  });

  afterAll(async () => {
    await rm(dataPath, { recursive: true, force: true });
  });

  // Each round reuses the directory the previous kill left behind, crash leftovers included.
  test.each([[0], [3], [25], [120], [250]])('killed after %i acknowledged writes, nothing acknowledged is lost', async (killAfter) => {
    const acknowledged = await runAndKill(dataPath, `r${killAfter}x`, killAfter);
    allAccounts.push(...acknowledged.accounts);
    lastCounter = Math.max(lastCounter, acknowledged.counter);
    lastRecord = Math.max(lastRecord, acknowledged.log);

    for (const file of await jsonFiles(dataPath)) {
      const text = await readFile(file, 'utf8');
      expect(() => JSON.parse(text)).not.toThrow();
    }

    const driver = createJsonFileDriver(dataPath);
    const accounts = openAccountStore(driver, 'localhost', { iterations: 1 });
    const listed = new Set(await accounts.list());
    for (const name of allAccounts) {
      expect(listed.has(name)).toBe(true);
      expect(await accounts.verifyPassword(name, `pw-${name}`)).toBe(true);
    }
    const counter = await driver.open<{ n: number }>('localhost', 'counter').get('counter');
    expect(counter?.n ?? -1).toBeGreaterThanOrEqual(lastCounter);
    // Every acknowledged record, in order, none twice; a torn last one (never acknowledged) dropped.
    const records = await driver.openLog!<{ n: number }>('localhost', 'offline').read('queue');
    expect(records.map((r) => r.n)).toEqual(records.map((_, i) => i));
    expect(records.length - 1).toBeGreaterThanOrEqual(lastRecord);
    // By the last round the log writer has had its turn (it runs beside three others).
    if (killAfter === 250) expect(lastRecord).toBeGreaterThan(10);
    await driver.close();
  }, 60_000);
});
