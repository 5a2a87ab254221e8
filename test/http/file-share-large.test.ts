/**
 * http_file_share streams: a 50 MB upload and its download pass through the server with bounded
 * memory. The test process is the server and the client at once, so its resident set measures
 * both; neither side ever holds the file, so the growth stays far below the file's size.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { grantedSlot, login, MIB, patternStream, send, startUploadServer, upload } from '../helpers/file-share-harness.js';
import type { TestServer } from '../helpers/test-server.js';
import type { TestClient } from '../helpers/xmpp-client.js';

const SIZE = 50 * 1000 * 1000;
/**
 * Growth of the resident set allowed while 50 MB go up or come down. Streaming leaves garbage
 * (TLS records, socket chunks) that V8's young generation holds until its next scavenge, up to
 * 20 to 24 MiB in this test (a fresh server process levels off near 39 MiB whatever the size:
 * bench/file-share.ts); holding the file would take at least its 47.7 MiB, plus that garbage.
 */
const RSS_GROWTH_BOUND = 40 * MIB;

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

/** Runs `work` while sampling the resident set every 5 ms; resolves with its peak growth. */
async function peakRssGrowth(work: () => Promise<void>): Promise<number> {
  const base = process.memoryUsage.rss();
  let peak = base;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, process.memoryUsage.rss()) - base;
}

function digestOf(size: number): Promise<string> {
  const hash = createHash('sha256');
  return new Promise((resolve) => {
    patternStream(size).on('data', (chunk: Buffer) => hash.update(chunk)).on('end', () => resolve(hash.digest('hex')));
  });
}

test('a 50 MB upload and download keep the resident set bounded', async () => {
  const slot = await grantedSlot(alice, 'big.bin', SIZE, 'application/octet-stream');
  const expected = await digestOf(SIZE);
  // Warm up the TLS and HTTP paths so their one-time allocations do not count.
  await send(server, slot.getUrl, { method: 'HEAD' });

  let status = 0;
  const up = await peakRssGrowth(async () => {
    status = (await upload(server, slot, patternStream(SIZE), 'application/octet-stream', SIZE)).status;
  });
  expect(status).toBe(201);

  const hash = createHash('sha256');
  let received = 0;
  const down = await peakRssGrowth(async () => {
    const answer = await send(server, slot.getUrl, { method: 'GET', discardBody: true, onData: (chunk) => hash.update(chunk) });
    status = answer.status;
    received = answer.received;
  });
  expect({ status, received }).toEqual({ status: 200, received: SIZE });
  expect(hash.digest('hex')).toBe(expected);
  process.stdout.write(`file-share RSS growth: upload ${(up / MIB).toFixed(1)} MiB, download ${(down / MIB).toFixed(1)} MiB\n`);
  expect(up).toBeLessThan(RSS_GROWTH_BOUND);
  expect(down).toBeLessThan(RSS_GROWTH_BOUND);
});
