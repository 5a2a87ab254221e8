// A process that appends to the `internal` driver's archives as fast as it can, 64 appends in
// flight, to be killed with SIGKILL by test/protocol/archive-kill.test.ts. It prints "ready",
// then one line "ack <archive> <id>" per append that resolved (acknowledged: committed).
// Usage: node archive-kill-child.mjs <dataPath> [ordered|background]  (the archive_sync mode)
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url);
const { createJsonFileDriver } = await jiti.import('../../server/storage/json-file-driver.ts');
const { newArchiveId } = await jiti.import('../../server/storage/archive-id.ts');

const [dataPath, sync = 'ordered'] = process.argv.slice(2);
if (!dataPath) throw new Error('usage: archive-kill-child.mjs <dataPath> [ordered|background]');

const driver = createJsonFileDriver(dataPath, sync);
const store = driver.openArchive('localhost', 'archive');
await store.query('user0@localhost', { limit: 1 }); // opens the environment before "ready"
process.stdout.write('ready\n');

let n = 0;
async function appendForever() {
  for (;;) {
    const archive = `user${n % 5}@localhost`;
    const when = Date.now();
    const id = newArchiveId(when);
    const peer = `peer${n % 3}@example.org${n % 2 === 0 ? '/phone' : ''}`;
    n++;
    await store.append(archive, { id, when, with: peer, stanza: `<message xmlns="jabber:client" id="${id}"><body>${'z'.repeat(n % 700)}</body></message>` });
    process.stdout.write(`ack ${archive} ${id}\n`);
  }
}

await Promise.all(Array.from({ length: 64 }, appendForever));
