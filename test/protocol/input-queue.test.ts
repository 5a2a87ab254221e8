/**
 * A client that sends faster than its stanzas are handled: input waits behind the slow stanza
 * (here a roster get whose backend answer the test holds back), the wait is bounded in bytes
 * (`c2s_input_queue_limit`), and once it is full the server stops reading from the socket instead
 * of buffering. Everything is handled afterwards, in order, nothing lost, the stream still up.
 */
import { afterEach, expect, test } from '@jest/globals';
import {
  linesWith, paddedPing, PAUSED, RESUMED, ROSTER_GET, slowRosterServer, waitForLog,
} from '../helpers/input-flood.js';
import type { RawClient } from '../helpers/raw-client.js';
import type { RosterBackend } from '../helpers/roster-admin-backend.js';
import { loginAs } from '../helpers/roster-admin-xmpp.js';
import type { TestServer } from '../helpers/test-server.js';

/**
 * What may join the queue after reading stopped: the rest of one socket read (at most 64 KiB of
 * stanzas, counted with their per-element overhead) and the stanza it ends in.
 */
const READ_SLACK = 192 * 1024;

let server: TestServer | undefined;
let backend: RosterBackend | undefined;
let client: RawClient | undefined;

afterEach(async () => {
  client?.close();
  await server?.stop();
  await backend?.close();
  client = undefined;
  server = undefined;
  backend = undefined;
});

/**
 * Logs john in, holds his roster get at the backend so his stream is busy, sends `count` padded
 * pings behind it, and returns the ids in the order sent.
 */
async function floodBehindSlowStanza(globals: Record<string, unknown>, count: number, padding: number): Promise<string[]> {
  ({ backend, server } = await slowRosterServer(globals));
  client = await loginAs(server, 'john');
  client.send(ROSTER_GET);
  await backend.waitForRequests(1);
  const ids = Array.from({ length: count }, (_, i) => `p${i}`);
  for (const id of ids) client.send(paddedPing(id, padding));
  return ids;
}

/** Releases the backend and checks that the roster and every ping were answered, in order. */
async function expectAllAnsweredInOrder(ids: string[]): Promise<void> {
  const from = client!.received.length;
  backend!.release();
  const last = ids[ids.length - 1]!;
  await client!.waitFor((el) => el.name === 'iq' && el.attrs.id === last, 30_000, from);
  const answered = client!.received.filter((el) => el.name === 'iq' && (el.attrs.id === 'roster' || el.attrs.id?.startsWith('p')));
  expect(answered.map((el) => el.attrs.id)).toEqual(['roster', ...ids]);
  expect(answered.every((el) => el.attrs.type === 'result')).toBe(true);
  expect(client!.closed).toBe(false);
}

test('a flood behind a slow stanza pauses reading at the byte limit and is handled in order', async () => {
  // Lowered from 2 MiB so that 2,000 stanzas of 1 KiB (2 MiB) fill the queue many times over.
  const limit = 64 * 1024;
  const ids = await floodBehindSlowStanza({ c2s_input_queue_limit: limit }, 2000, 1000);
  const paused = await waitForLog(server!, (line) => line.msg === PAUSED, 10_000);
  expect(paused.bytes as number).toBeGreaterThanOrEqual(limit);
  expect(paused.bytes as number).toBeLessThan(limit + READ_SLACK);
  // 2,000 stanzas are more than the 1,000 that once closed the stream: here they only wait.
  await expectAllAnsweredInOrder(ids);
  const resumed = linesWith(server!, RESUMED);
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  expect(linesWith(server!, PAUSED).length).toBe(resumed.length);
  // Reading stopped each time: the queue never held more than the limit and what one read brought,
  // although the client had written all 2 MiB before the slow stanza was answered.
  for (const line of resumed) expect(line.peakBytes as number).toBeLessThan(limit + READ_SLACK);
}, 60_000);

test('with the shipped limit (2 MiB), 5 MiB of large stanzas wait bounded and are all handled', async () => {
  const shipped = 2 * 1024 * 1024;
  const ids = await floodBehindSlowStanza({}, 128, 40 * 1024);
  const paused = await waitForLog(server!, (line) => line.msg === PAUSED, 10_000);
  expect(paused.bytes as number).toBeGreaterThanOrEqual(shipped);
  expect(paused.stanzas as number).toBeLessThan(1000); // the byte bound, not the stanza count, stopped reading
  await expectAllAnsweredInOrder(ids);
  const resumed = linesWith(server!, RESUMED);
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  for (const line of resumed) expect(line.peakBytes as number).toBeLessThan(shipped + READ_SLACK);
}, 60_000);
