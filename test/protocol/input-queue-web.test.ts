/**
 * The input-queue bound over the web transports: a WebSocket stops being read while its stream's
 * queue is full (ws's own pause), and a BOSH request that arrives then waits, unanswered, until
 * the queue has room. In both, every stanza is handled afterwards, in order.
 */
import { afterEach, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { BoshClient, boshLogin, boshPost, type BoshReply } from '../helpers/bosh-client.js';
import {
  linesWith, paddedPing, PAUSED, RESUMED, ROSTER_GET, slowRosterServer, waitForLog,
} from '../helpers/input-flood.js';
import type { RosterBackend } from '../helpers/roster-admin-backend.js';
import { USERS } from '../helpers/roster-admin-xmpp.js';
import type { TestServer } from '../helpers/test-server.js';
import { wsLogin, type WsClient } from '../helpers/ws-client.js';

// Lowered from 2 MiB so that a few dozen stanzas of 1 KiB fill the queue.
const LIMIT = 64 * 1024;
const GLOBALS = { c2s_input_queue_limit: LIMIT, consider_websocket_secure: true, consider_bosh_secure: true };

let server: TestServer | undefined;
let backend: RosterBackend | undefined;
let ws: WsClient | undefined;

afterEach(async () => {
  ws?.stop();
  await server?.stop();
  await backend?.close();
  ws = undefined;
  server = undefined;
  backend = undefined;
});

const ids = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}`);
const answeredIds = (elements: Element[]): string[] => elements
  .filter((el) => el.name === 'iq' && el.attrs.type === 'result')
  .map((el) => el.attrs.id as string);

test('WebSocket: reading pauses while the queue is full; every message is handled in order', async () => {
  ({ backend, server } = await slowRosterServer(GLOBALS));
  ws = await wsLogin(server.websocketUrl!, 'john@example.com', USERS['john@example.com']!);
  ws.send(ROSTER_GET);
  await backend.waitForRequests(1);
  const pings = ids('w', 1000);
  for (const id of pings) ws.send(paddedPing(id, 1000));
  const paused = await waitForLog(server, (line) => line.msg === PAUSED, 10_000);
  expect(paused.bytes as number).toBeGreaterThanOrEqual(LIMIT);
  backend.release();
  await ws.waitFor((el) => el.attrs.id === pings[pings.length - 1], 30_000);
  expect(answeredIds(ws.received).filter((id) => id === 'roster' || id.startsWith('w'))).toEqual(['roster', ...pings]);
  // What ws had read before it paused (one socket read) joins the queue; 1 MiB sent never does at once.
  for (const line of linesWith(server, RESUMED)) expect(line.peakBytes as number).toBeLessThan(LIMIT + 192 * 1024);
  expect(ws.streamErrorCondition()).toBeUndefined();
}, 60_000);

test('BOSH: a request that arrives while the queue is full waits until it has room', async () => {
  ({ backend, server } = await slowRosterServer(GLOBALS));
  const bosh = await boshLogin(server.boshUrl!, 'john@example.com', USERS['john@example.com']!);
  const replies: Promise<BoshReply>[] = [];
  const post = (payload: string): void => {
    replies.push(boshPost(bosh.url, bosh.nextBody(payload).text));
  };
  post(ROSTER_GET);
  await backend.waitForRequests(1);
  // Two bodies of 40 pings (about 52 KiB each, counted as queued): the second fills the queue.
  const first = ids('a', 40);
  const second = ids('b', 40);
  const third = ids('c', 40);
  post(first.map((id) => paddedPing(id, 1000)).join(''));
  post(second.map((id) => paddedPing(id, 1000)).join(''));
  await waitForLog(server, (line) => line.msg === PAUSED, 10_000);
  // This body must wait: taken now, the queue would hold three bodies.
  post(third.map((id) => paddedPing(id, 1000)).join(''));
  backend.release();
  const seen = await collect(bosh, replies, third[third.length - 1]!);
  expect(answeredIds(seen).filter((id) => id === 'roster' || /^[abc]\d/.test(id))).toEqual(['roster', ...first, ...second, ...third]);
  const resumed = linesWith(server, RESUMED);
  expect(resumed.length).toBeGreaterThanOrEqual(1);
  // At most the limit and the rest of the body that crossed it; never the body sent while full.
  for (const line of resumed) expect(line.peakBytes as number).toBeLessThan(LIMIT + 56 * 1024);
}, 60_000);

/** Every element answered to the requests in flight, then polls until `lastId` has arrived. */
async function collect(bosh: BoshClient, inFlight: Promise<BoshReply>[], lastId: string): Promise<Element[]> {
  const seen: Element[] = [];
  for (const reply of await Promise.all(inFlight)) seen.push(...(reply.element?.getChildElements() ?? []));
  const deadline = Date.now() + 30_000;
  while (!seen.some((el) => el.attrs.id === lastId)) {
    if (Date.now() > deadline) throw new Error(`timed out; got ${seen.length} elements`);
    const reply = await bosh.request();
    if (reply.element?.attrs.type === 'terminate') throw new Error(`session terminated: ${reply.body}`);
    seen.push(...(reply.element?.getChildElements() ?? []));
  }
  return seen;
}
