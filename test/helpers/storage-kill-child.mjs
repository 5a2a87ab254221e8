// A process that writes to the json-file driver as fast as it can, to be killed with SIGKILL by
// test/protocol/storage-kill.test.ts. It prints one line per write that resolved ("acknowledged"):
//   account <name>   an account was created
//   counter <n>      the key "counter" was overwritten with {n}
//   log <n>          the record {n} was appended to the log "queue" (store "offline")
// Usage: node storage-kill-child.mjs <dataPath> <account-name-prefix>
// A run continues where a killed one stopped: the counter resumes from the stored value.
import { createJiti } from 'jiti';

const jiti = createJiti(import.meta.url);
const { createJsonFileDriver } = await jiti.import('../../server/storage/json-file-driver.ts');
const { openAccountStore } = await jiti.import('../../server/accounts/index.ts');

const [dataPath, prefix] = process.argv.slice(2);
if (!dataPath || !prefix) throw new Error('usage: storage-kill-child.mjs <dataPath> <prefix>');

const driver = createJsonFileDriver(dataPath);
const accounts = openAccountStore(driver, 'localhost', { iterations: 1 });
const counter = driver.open('localhost', 'counter');
const start = ((await counter.get('counter'))?.n ?? -1) + 1;
const log = driver.openLog('localhost', 'offline');
const logStart = (await log.read('queue')).length;
process.stdout.write('ready\n');

let next = 0;
async function createAccounts() {
  for (;;) {
    const name = `${prefix}${next++}`;
    const result = await accounts.create(name, `pw-${name}`);
    if (!result.ok) throw new Error(`create ${name}: ${result.error}`);
    process.stdout.write(`account ${name}\n`);
  }
}

async function bumpCounter() {
  for (let n = start; ; n++) {
    await counter.set('counter', { n, padding: 'x'.repeat(n % 4096) });
    process.stdout.write(`counter ${n}\n`);
  }
}

async function appendRecords() {
  for (let n = logStart; ; n++) {
    await log.append('queue', { n, padding: 'y'.repeat((n * 37) % 8192) });
    process.stdout.write(`log ${n}\n`);
  }
}

// Several writers at once, so a kill lands in the middle of writes to different files.
await Promise.all([createAccounts(), createAccounts(), bumpCounter(), appendRecords()]);
