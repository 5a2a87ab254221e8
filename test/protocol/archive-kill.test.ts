/**
 * DESIGN.md §3 for archives: `kill -9` at any moment loses no acknowledged item. A child process
 * appends to the `internal` driver's archives (LMDB) with 64 appends in flight and prints each id
 * as its append resolves; we SIGKILL it at different moments, reopen the data directory and find
 * every acknowledged item, by id, by `with`, and in id order when paging, across rounds that each
 * start from what the previous kill left.
 */
import { describe, test, expect, beforeAll, afterAll } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ArchiveSyncMode } from '../../server/storage/lmdb-environment.js';
import { createJsonFileDriver } from '../../server/storage/json-file-driver.js';
import type { ArchivedItem, ArchiveStore } from '../../server/storage/archive-store.js';

const CHILD = fileURLToPath(new URL('../helpers/archive-kill-child.mjs', import.meta.url));
const CHILD_DEADLINE_MS = 15_000;

/** Runs the child until it has acknowledged `killAfter` appends, SIGKILLs it; returns the acknowledged ids per archive. */
function runAndKill(dataPath: string, killAfter: number, sync: ArchiveSyncMode = 'ordered'): Promise<Map<string, string[]>> {
  const child = spawn(process.execPath, [CHILD, dataPath, sync], { stdio: ['ignore', 'pipe', 'pipe'] });
  const acknowledged = new Map<string, string[]>();
  let count = 0;
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(() => child.kill('SIGKILL'), CHILD_DEADLINE_MS);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const ack = /^ack (\S+) (\S+)$/.exec(line);
      if (ack?.[1] !== undefined && ack[2] !== undefined) {
        acknowledged.set(ack[1], [...(acknowledged.get(ack[1]) ?? []), ack[2]]);
        count++;
      }
      if ((ack !== null || line === 'ready') && count >= killAfter) child.kill('SIGKILL');
    });
    // 'close' comes after stdout has ended, so every line printed before the kill has been read.
    child.on('close', (code, signal) => {
      clearTimeout(deadline);
      if (signal === 'SIGKILL' && count >= killAfter) resolve(acknowledged);
      else reject(new Error(`child ended with ${signal ?? code} after ${count} appends: ${stderr}`));
    });
  });
}

async function everyItem(store: ArchiveStore, archive: string, query: { with?: string } = {}): Promise<ArchivedItem[]> {
  const items: ArchivedItem[] = [];
  for (;;) {
    const page = await store.query(archive, { ...query, limit: 500, ...(items.length > 0 ? { afterId: items.at(-1)!.id } : {}) });
    if (typeof page === 'string') throw new Error(page);
    items.push(...page.items);
    if (page.complete) return items;
  }
}

describe.each(['ordered', 'background'] as const)('internal archive storage under kill -9, archive_sync = %s', (sync) => {
  let dataPath: string;
  const all = new Map<string, string[]>();

  beforeAll(async () => {
    dataPath = await mkdtemp(join(tmpdir(), 'salon-archive-kill-'));
  });
  afterAll(async () => {
    await rm(dataPath, { recursive: true, force: true });
  });

  test.each([[1], [400]])('killed after %i acknowledged appends, every one is kept', async (killAfter) => {
    const acknowledged = await runAndKill(dataPath, killAfter, sync);
    for (const [archive, ids] of acknowledged) all.set(archive, [...(all.get(archive) ?? []), ...ids]);

    const driver = createJsonFileDriver(dataPath, sync);
    const store = driver.openArchive('localhost', 'archive');
    try {
      for (const [archive, ids] of all) {
        const items = await everyItem(store, archive);
        const kept = new Set(items.map((i) => i.id));
        expect(ids.filter((id) => !kept.has(id))).toEqual([]);
        // In id order, none twice, each whole (its body's length is what the child wrote).
        expect(items.map((i) => i.id)).toEqual([...kept].sort());
        for (const item of items) expect(item.stanza).toMatch(new RegExp(`^<message xmlns="jabber:client" id="${item.id}"><body>z*</body></message>$`));
        // The with index holds them too.
        const viaWith = (await Promise.all(['peer0@example.org', 'peer1@example.org', 'peer2@example.org'].map((peer) => everyItem(store, archive, { with: peer })))).flat();
        expect(viaWith.map((i) => i.id).sort()).toEqual([...kept].sort());
      }
    } finally {
      await driver.close();
    }
  }, 40_000);
});

test('processes share the environment: a server holding it open sees what another process appends, and goes on after that one is killed', async () => {
  const dataPath = await mkdtemp(join(tmpdir(), 'salon-archive-shared-'));
  const driver = createJsonFileDriver(dataPath);
  try {
    const store = driver.openArchive('localhost', 'archive');
    const mine = { id: '0000000000000000000000', when: 0, with: 'bob@localhost', stanza: '<message/>' };
    await store.append('user0@localhost', mine);
    // The child appends (and is killed mid-write) while this process has the environment open.
    const acknowledged = await runAndKill(dataPath, 100);
    for (const [archive, ids] of acknowledged) {
      const kept = new Set((await everyItem(store, archive)).map((i) => i.id));
      expect(ids.filter((id) => !kept.has(id))).toEqual([]);
    }
    // A writer killed in the middle of its transactions does not hold this one up (LMDB's robust mutex).
    const after = { ...mine, id: 'v000000000000000000000' };
    await store.append('user0@localhost', after);
    expect(await store.get('user0@localhost', after.id)).toEqual(after);
    expect(await store.get('user0@localhost', mine.id)).toEqual(mine);
  } finally {
    await driver.close();
    await rm(dataPath, { recursive: true, force: true });
  }
}, 40_000);
