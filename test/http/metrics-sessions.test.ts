/**
 * http_openmetrics: the gauges are worked out from what is live. A BOSH session counts as bosh, a
 * session whose connection is cut hibernates (XEP-0198) and is counted so until it resumes over a
 * new connection, a closed connection leaves the gauge; webhook queues and their failed attempts
 * show up once http_webhooks has a receiver that refuses.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { boshLogin } from '../helpers/bosh-client.js';
import { users } from '../helpers/muc-harness.js';
import { histogramOf, scrape, valueOf, type Scrape } from '../helpers/metrics-scrape.js';
import type { RawClient } from '../helpers/raw-client.js';
import { authenticate, resume, smLogin } from '../helpers/sm-raw.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { status, WebhookReceiver } from './webhooks-receiver.js';

let server: TestServer;
let receiver: WebhookReceiver;
const clients: RawClient[] = [];

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  receiver.script = status(503);
  server = await startTestServer({
    users: users('alice', 'bob'),
    globals: { modules_enabled: ['http_openmetrics', 'http_webhooks'], http_webhooks: [receiver.endpoint()], http_webhooks_retry_base: 3600, http_webhooks_retry_max_delay: 3600 },
  });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await server?.stop();
  await receiver?.stop();
});

/** Scrapes until `check` holds (the server notices a closed socket a moment after the client). */
async function until(check: (scraped: Scrape) => boolean, timeoutMs = 3000): Promise<Scrape> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const scraped = await scrape(server.httpUrl!);
    if (check(scraped)) return scraped;
    if (Date.now() > deadline) throw new Error(`metrics never matched:\n${scraped.reply.body.split('\n').filter((l) => l.startsWith('salon_mod_c2s')).join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const sessions = (scraped: Scrape, transport: string) => valueOf(scraped, 'salon_mod_c2s__sessions', { host: 'localhost', transport });
const connections = (scraped: Scrape, transport: string) => valueOf(scraped, 'salon_mod_c2s__connections', { transport });

test('a BOSH session is a bosh connection and a bosh session', async () => {
  await boshLogin(`${server.httpUrl!}/http-bind`, 'bob@localhost', 'bob-secret', 'bosh');
  const scraped = await scrape(server.httpUrl!);
  expect(connections(scraped, 'bosh')).toBe(1);
  expect(sessions(scraped, 'bosh')).toBe(1);
  expect(valueOf(scraped, 'salon_mod_c2s__connections_opened_total', { transport: 'bosh' })).toBe(1);
});

test('a cut connection leaves its session hibernated until it resumes on a new one', async () => {
  const { client, id } = await smLogin(server.port, 'alice', 'phone');
  const bound = await scrape(server.httpUrl!);
  expect(sessions(bound, 'tcp')).toBe(1);
  expect(connections(bound, 'tcp')).toBe(1);
  client.socket.destroy();
  const cut = await until((s) => sessions(s, 'hibernated') === 1);
  expect(sessions(cut, 'tcp')).toBe(0);
  expect(connections(cut, 'tcp')).toBe(0);
  const again = await authenticate(server.port, 'alice');
  clients.push(again);
  expect((await resume(again, id, 0)).name).toBe('resumed');
  const resumed = await scrape(server.httpUrl!);
  expect(sessions(resumed, 'hibernated')).toBe(0);
  expect(sessions(resumed, 'tcp')).toBe(1);
  expect(valueOf(resumed, 'salon_mod_c2s__connections_opened_total', { transport: 'tcp' })).toBe(2);
});

test('webhook deliveries a receiver refuses are failures, still queued, and timed as outbound requests', async () => {
  // alice's and bob's logins above each queued user.online for the receiver, which answers 503.
  await receiver.waitForCount(2);
  const scraped = await until((s) => valueOf(s, 'salon_mod_http_webhooks__failures_total', { host: 'localhost' }) === 2);
  expect(valueOf(scraped, 'salon_mod_http_webhooks__accepted_total', { host: 'localhost' })).toBe(2);
  expect(valueOf(scraped, 'salon_mod_http_webhooks__delivered_total', { host: 'localhost' })).toBe(0);
  // Retried later (the first retry waits up to an hour): both wait in the queue meanwhile.
  expect(valueOf(scraped, 'salon_mod_http_webhooks__queued', { host: 'localhost' })).toBe(2);
  expect(histogramOf(scraped, 'salon_outbound_http__request_duration_seconds', { outcome: '503' }).count).toBe(2);
});
