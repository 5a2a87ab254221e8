/**
 * http_webhooks delivery: retries with backoff and their end (dead letters), the per-attempt
 * deadline, the bounded memory queue spilling to storage, and pending deliveries surviving a
 * restart. Events come from the MUC service API (`createRoom`: one `room.created` each), which
 * makes thousands of events cheap; the tests of each event type use real clients
 * (webhooks-events.test.ts).
 *
 * Limits lifted here, and why: the retry base (shipped 2 s) and window (shipped 1 h) and the
 * attempt deadline (shipped 15 s) are shortened so that a test observes several retries, the end
 * of a window and a deadline within seconds; their schedule at the shipped values is checked in
 * test/unit/webhooks-parts.test.ts. The queue size (10,000) and the in-flight bound (16) are tested
 * at their shipped values.
 */
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join as joinPath } from 'node:path';
import { Component, startServer, VirtualHost, type RunningServer } from '../../salon.js';
import { coreOf } from '../../server/core/index.js';
import { silentLogger } from '../../server/log/index.js';
import { webhookStatsKey, type WebhookStats } from '../../webhooks/index.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { hang, ok, status, WebhookReceiver, type ReceiverScript } from './webhooks-receiver.js';

const SERVICE = 'conference.localhost';
let receiver: WebhookReceiver;
let server: TestServer | undefined;

beforeEach(async () => {
  receiver = await WebhookReceiver.start();
});
afterEach(async () => {
  await server?.stop();
  server = undefined;
  await receiver.stop();
});

/** A server whose MUC service sends webhooks to the receiver, with `options` over the shipped ones. */
async function start(options: Record<string, unknown> = {}): Promise<TestServer> {
  server = await startTestServer({
    hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { modules_enabled: ['http_webhooks'] })],
    globals: { http_webhooks: [receiver.endpoint()], ...options },
  });
  return server;
}

const statsOf = (running: RunningServer): WebhookStats => coreOf(running).services.get(SERVICE, webhookStatsKey)!;

async function createRooms(running: RunningServer, count: number, prefix = 'room'): Promise<void> {
  for (let index = 0; index < count; index++) {
    const created = await running.muc().createRoom(`${prefix}${index}@${SERVICE}`);
    if (!created.ok) throw new Error(`room ${index}: ${created.error}`);
  }
}

/** Answers the n-th request (0-based) with `scripts[n]`, and every later one with the last. */
function sequence(...scripts: ReceiverScript[]): ReceiverScript {
  let count = 0;
  return (webhook, response) => scripts[Math.min(count++, scripts.length - 1)]!(webhook, response);
}

async function until(condition: () => boolean, what: string, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(server === undefined ? {} : statsOf(server).counts())}`);
    await receiver.waitForCount(receiver.received.length + 1, () => true, 50).catch(() => undefined);
  }
}

test('500 and 408 are retried with backoff, each attempt signed afresh with the same id, then delivered once', async () => {
  receiver.script = sequence(status(500), status(408), status(502), ok);
  const running = await start({ http_webhooks_retry_base: 0.1 });
  await createRooms(running, 1);
  const attempts = await receiver.waitForCount(4, () => true, 5000);
  expect(new Set(attempts.map((attempt) => attempt.id)).size).toBe(1);
  expect(attempts.every((attempt) => attempt.problem === undefined && attempt.payload?.type === 'room.created')).toBe(true);
  // Full jitter: retry n waits at most base * 2^(n-1) (100, 200, 400 ms), plus the request itself.
  const gaps = attempts.slice(1).map((attempt, index) => attempt.receivedAt - attempts[index]!.receivedAt);
  // (plus slack for the request and a loaded machine)
  gaps.forEach((gap, index) => expect(gap).toBeLessThan(100 * 2 ** index + 400));
  await until(() => statsOf(running).counts().delivered === 1, 'the delivery');
  expect(statsOf(running).counts()).toMatchObject({ accepted: 1, delivered: 1, failed: 3, dead: 0, queued: 0, inFlight: 0 });
});

test('Retry-After on 503 is honoured', async () => {
  receiver.script = sequence(status(503, { 'Retry-After': '1' }), ok);
  const running = await start({ http_webhooks_retry_base: 0.01 });
  await createRooms(running, 1);
  const [first, second] = await receiver.waitForCount(2, () => true, 5000);
  expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(950);
});

test('a 404 is a dead letter at once: logged at warn with id, url, type and status, kept for inspection', async () => {
  receiver.script = status(404);
  const running = await start();
  await createRooms(running, 1);
  const [attempt] = await receiver.waitForCount(1);
  await until(() => statsOf(running).counts().dead === 1, 'the dead letter');
  expect(statsOf(running).deadLetters()).toEqual([
    { id: attempt!.id, url: receiver.url, type: 'room.created', status: 404, reason: 'HTTP 404', attempts: 1, at: expect.any(Number) },
  ]);
  const warning = server!.logs.find((line) => line.level === 40 && line.msg === 'webhook delivery given up');
  expect(warning).toMatchObject({ id: attempt!.id, url: receiver.url, type: 'room.created', status: 404 });
  expect(JSON.stringify(server!.logs)).not.toContain(receiver.secret);
  expect(statsOf(running).counts()).toMatchObject({ delivered: 0, failed: 1, dead: 1, queued: 0 });
  expect(receiver.received).toHaveLength(1);
});

test('a delivery still failing when its retry window ends is a dead letter', async () => {
  receiver.script = status(500);
  const running = await start({ http_webhooks_retry_base: 0.05, http_webhooks_retry_for: 1 });
  await createRooms(running, 1);
  await until(() => statsOf(running).counts().dead === 1, 'the dead letter', 5000);
  const [letter] = statsOf(running).deadLetters();
  expect(letter).toMatchObject({ status: 500, reason: 'retry window ended (last attempt: HTTP 500)' });
  expect(letter!.attempts).toBeGreaterThanOrEqual(3);
  expect(receiver.received).toHaveLength(letter!.attempts);
  const span = receiver.received.at(-1)!.receivedAt - receiver.received[0]!.receivedAt;
  expect(span).toBeGreaterThan(700);
  expect(span).toBeLessThan(3000);
});

test('an attempt that outlives its deadline is abandoned and retried', async () => {
  receiver.script = sequence(hang, ok);
  const running = await start({ http_webhooks_timeout: 0.5, http_webhooks_retry_base: 0.01 });
  await createRooms(running, 1);
  const [first, second] = await receiver.waitForCount(2, () => true, 5000);
  expect(second!.id).toBe(first!.id);
  expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(450);
  await until(() => statsOf(running).counts().delivered === 1, 'the delivery');
});

test('beyond 10,000 queued deliveries (the shipped bound) the rest wait in storage', async () => {
  receiver.script = hang;
  const running = await start();
  const total = 10_050;
  await createRooms(running, total);
  await until(() => statsOf(running).counts().inFlight === 16, 'the first requests');
  await receiver.waitForCount(16);
  expect(statsOf(running).counts()).toMatchObject({ queued: total, spilled: 50, inFlight: 16, accepted: total });
  expect(receiver.maxOpen).toBe(16);
}, 20_000);

test('spilled deliveries come back as the queue drains: every one is delivered exactly once', async () => {
  // Queue lifted to 100: draining 10,000 deliveries through loopback HTTP takes over 15 s on a
  // two-core machine; the bound itself is checked at its shipped value above.
  receiver.script = hang;
  const running = await start({ http_webhooks_queue_size: 100 });
  const total = 250;
  await createRooms(running, total);
  await until(() => statsOf(running).counts().inFlight === 16, 'the first requests');
  expect(statsOf(running).counts()).toMatchObject({ queued: total, spilled: total - 100 });
  receiver.script = ok;
  receiver.release();
  await until(() => statsOf(running).counts().delivered === total, 'every delivery', 10_000);
  const ids = receiver.received.filter((webhook) => webhook.payload !== undefined).map((webhook) => webhook.id);
  // The 16 released requests were answered 204: they count once; everything else arrived once.
  expect(new Set(ids).size).toBe(total);
  expect(ids).toHaveLength(total);
  expect(statsOf(running).counts()).toMatchObject({ queued: 0, spilled: 0, dead: 0, failed: 0 });
});

test('deliveries pending at shutdown are stored and sent after a restart on the same data', async () => {
  const dataPath = await mkdtemp(joinPath(tmpdir(), 'salon-webhooks-'));
  const startOnDisk = () => startServer({
    config: {
      c2s_ports: [], c2s_direct_tls_ports: [], http_ports: [], https_ports: [], data_path: dataPath,
      http_webhooks: [receiver.endpoint()], http_webhooks_retry_base: 0.05,
      hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { modules_enabled: ['http_webhooks'] })],
    },
    logger: silentLogger(),
    tls: false,
  });
  try {
    receiver.script = status(503);
    const first = await startOnDisk();
    await createRooms(first, 20);
    await receiver.waitForCount(20, () => true);
    expect(statsOf(first).counts()).toMatchObject({ delivered: 0, queued: 20 });
    await first.stop();
    const accepted = new Set(receiver.received.map((webhook) => webhook.id));
    expect(accepted.size).toBe(20);

    receiver.script = ok;
    const before = receiver.received.length;
    const second = await startOnDisk();
    try {
      await until(() => statsOf(second).counts().delivered === 20, 'the resumed deliveries');
      const resumed = receiver.received.slice(before);
      expect(resumed).toHaveLength(20);
      expect(new Set(resumed.map((webhook) => webhook.id))).toEqual(accepted);
      expect(resumed.every((webhook) => webhook.problem === undefined && webhook.payload?.type === 'room.created')).toBe(true);
      expect(statsOf(second).counts()).toMatchObject({ queued: 0, dead: 0 });
    } finally {
      await second.stop();
    }
  } finally {
    await rm(dataPath, { recursive: true, force: true });
  }
});

test('stored deliveries for an endpoint no longer configured are dead letters after the restart', async () => {
  const dataPath = await mkdtemp(joinPath(tmpdir(), 'salon-webhooks-'));
  const other = await WebhookReceiver.start();
  const startOnDisk = (endpoint: Record<string, unknown>) => startServer({
    config: {
      c2s_ports: [], c2s_direct_tls_ports: [], http_ports: [], https_ports: [], data_path: dataPath, http_webhooks: [endpoint],
      hosts: [VirtualHost('localhost'), Component(SERVICE, 'muc', { modules_enabled: ['http_webhooks'] })],
    },
    logger: silentLogger(),
    tls: false,
  });
  try {
    receiver.script = status(503);
    const first = await startOnDisk(receiver.endpoint());
    await createRooms(first, 3);
    await receiver.waitForCount(3);
    await first.stop();
    const second = await startOnDisk(other.endpoint());
    try {
      await until(() => statsOf(second).counts().dead === 3, 'the dead letters');
      expect(statsOf(second).deadLetters().map((letter) => [letter.url, letter.reason])).toEqual(Array(3).fill([receiver.url, 'endpoint no longer configured']));
      expect(other.received).toEqual([]);
    } finally {
      await second.stop();
    }
  } finally {
    await other.stop();
    await rm(dataPath, { recursive: true, force: true });
  }
});

test('a secret that is not whsec_ + 24 to 64 bytes of base64 stops start-up, naming the option', async () => {
  await expect(start({ http_webhooks: [{ url: receiver.url, secret: 'whsec_dG9vIHNob3J0' }] }))
    .rejects.toThrow('option "http_webhooks" entry 1: secret must hold 24 to 64 bytes (has 9)');
  server = undefined;
});
