/**
 * http_file_share streams: a 50 MB upload and its download pass through the server with bounded
 * memory. The test process is the server and the client at once, so what it keeps measures both;
 * neither side ever holds the file, so the growth stays far below the file's size.
 */
import { createHash } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { grantedSlot, login, MIB, patternStream, send, startUploadServer, upload } from '../helpers/file-share-harness.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestClient } from '../helpers/xmpp-client.js';

const SIZE = 50 * 1000 * 1000;
/**
 * Growth of live memory allowed while 50 MB go up or come down: the buffers in flight take a few
 * MiB; holding the file would take at least its 47.7 MiB.
 */
const GROWTH_BOUND = 40 * MIB;

let server: TestServer;
let alice: TestClient;

beforeAll(async () => {
  // The shipped size limit is 10 MiB; 64 MiB lets one 50 MB file through.
  server = await startUploadServer({ http_file_share_size_limit: 64 * MIB });
  alice = await login(server, 'alice');
});
afterAll(async () => {
  await alice?.stop();
  await server?.stop();
});

/**
 * A full garbage collection, for a measure of what is still referenced. Not exposed to tests by
 * default; V8 gives it to a new context once the flag is set.
 */
setFlagsFromString('--expose_gc');
const collectGarbage = runInNewContext('gc') as () => void;

/**
 * What the process still references after a full collection: the JavaScript heap and the memory
 * of Buffers. Not the resident set: streaming 50 MB leaves garbage (TLS records, socket chunks)
 * that the collector frees when it pleases, and Jest runs several test files in one worker
 * process, whose resident set also moves with what earlier files left (it grew 136 MiB once in a
 * full run, 20–24 MiB when this file runs alone). Holding the file would show here, garbage not.
 */
function live(): number {
  collectGarbage();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
}

/**
 * Runs `work`, measuring what is live before it, whenever it calls `sample`, and after it;
 * resolves with the peak growth. A full collection in a Jest worker that has run other files
 * takes long, so it samples at chosen moments, not on a timer: where a server that held the file
 * would hold nearly all of it.
 */
async function peakGrowth(work: (sample: () => void) => Promise<void>): Promise<number> {
  const base = live();
  let peak = base;
  await work(() => {
    peak = Math.max(peak, live());
  });
  return Math.max(peak, live()) - base;
}

function digestOf(size: number): Promise<string> {
  const hash = createHash('sha256');
  return new Promise((resolve) => {
    patternStream(size).on('data', (chunk: Buffer) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex')));
  });
}

test('a 50 MB upload and download keep the memory they hold bounded', async () => {
  const slot = await grantedSlot(alice, 'big.bin', SIZE, 'application/octet-stream');
  const expected = await digestOf(SIZE);
  // Warm up the TLS and HTTP paths so their one-time allocations do not count.
  await send(server, slot.getUrl, { method: 'HEAD' });

  let status = 0;
  const up = await peakGrowth(async (sample) => {
    // The client has read the whole file into the request: the server has received all of it
    // but what the sockets still carry, and has not answered yet.
    const source = patternStream(SIZE).once('end', sample);
    status = (await upload(server, slot, source, 'application/octet-stream', SIZE)).status;
  });
  expect(status).toBe(201);

  const hash = createHash('sha256');
  let received = 0;
  const down = await peakGrowth(async (sample) => {
    let sampled = false;
    const onData = (chunk: Buffer): void => {
      hash.update(chunk);
      received += chunk.length;
      // Halfway: a server that read the file into memory to send it would still hold it.
      if (!sampled && received >= SIZE / 2) {
        sampled = true;
        sample();
      }
    };
    const answer = await send(server, slot.getUrl, { method: 'GET', discardBody: true, onData });
    status = answer.status;
    received = answer.received;
  });
  expect({ status, received }).toEqual({ status: 200, received: SIZE });
  expect(hash.digest('hex')).toBe(expected);
  process.stdout.write(`file-share live memory growth: upload ${(up / MIB).toFixed(1)} MiB, download ${(down / MIB).toFixed(1)} MiB\n`);
  expect(up).toBeLessThan(GROWTH_BOUND);
  expect(down).toBeLessThan(GROWTH_BOUND);
});
