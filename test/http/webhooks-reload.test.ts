/**
 * http_webhooks on a config reload (`RunningServer.reload`): changed options apply in place
 * (`reconfigure`), so deliveries pending or in flight stay where they are and go out once; a
 * changed secret signs the next attempt; a changed event filter or in-flight limit acts at once;
 * an endpoint taken out of the config leaves its pending deliveries as dead letters.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from '@jest/globals';
import { Webhook } from 'standardwebhooks';
import { moduleCatalog } from '../../module-catalog.js';
import { startServer, type RunningServer } from '../../salon.js';
import { loadConfig } from '../../server/config/index.js';
import { coreOf } from '../../server/core/index.js';
import { RawClient } from '../helpers/raw-client.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { webhookStatsKey, type WebhookStats } from '../../webhooks/index.js';
import { hang, newSecret, WebhookReceiver, type ReceivedWebhook } from './webhooks-receiver.js';

let dir: string;
let server: RunningServer | undefined;
let receiver: WebhookReceiver;
let logs: Record<string, unknown>[];
const clients: RawClient[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-webhooks-reload-'));
  receiver = await WebhookReceiver.start();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await server?.stop();
  server = undefined;
  await receiver.stop();
  await rm(dir, { recursive: true, force: true });
});

async function writeConfig(webhookOptions: Record<string, unknown>): Promise<void> {
  await writeFile(join(dir, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';
export default defineConfig({
  c2s_ports: [0], c2s_direct_tls_ports: [], c2s_interfaces: ['127.0.0.1'], http_ports: [0], https_ports: [],
  http_interfaces: ['127.0.0.1'], c2s_require_encryption: false, allow_unencrypted_plain_auth: true,
  data_path: 'data', sasl_iterations: 4096, log_level: 'info',
  modules_enabled: ['http_webhooks'],
  ...${JSON.stringify(webhookOptions)},
  hosts: [VirtualHost('localhost')],
});
`);
}

async function start(webhookOptions: Record<string, unknown>): Promise<RunningServer> {
  await writeConfig(webhookOptions);
  const loaded = await loadConfig({ configPath: 'salon.config.ts', env: {}, cwd: dir, catalog: moduleCatalog });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.error));
  const recording = recordingLogger('info');
  logs = recording.lines;
  server = await startServer({
    config: loaded.value, logger: recording.logger, storage: 'memory', users: { alice: 'alice-secret', bob: 'bob-secret', carol: 'carol-secret' }, cwd: dir, tls: false,
  });
  return server;
}

/** `user` logs in without TLS (this server has none): SASL PLAIN, restart, bind. */
async function plainLogin(user: string): Promise<RawClient> {
  const client = await RawClient.connect(server!.c2s!.port);
  clients.push(client);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from(`\0${user}\0${user}-secret`).toString('base64')}</auth>`);
  await client.waitFor((el) => el.name === 'success');
  client.restartParser();
  const seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send("<iq type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
  await client.waitFor((el) => el.attrs.id === 'b1' && el.attrs.type === 'result', 3000, seen);
  return client;
}

/** Whether `webhook` carries a valid Standard Webhooks signature made with `secret`. */
function signedWith(secret: string, webhook: ReceivedWebhook): boolean {
  try {
    new Webhook(secret).verify(webhook.body, {
      'webhook-id': webhook.id, 'webhook-timestamp': String(webhook.timestamp), 'webhook-signature': webhook.signature,
    });
    return true;
  } catch {
    return false;
  }
}

function jidOf(webhook: ReceivedWebhook): unknown {
  return (JSON.parse(webhook.body) as { data: { jid: string } }).data.jid;
}

const stats = (): WebhookStats => coreOf(server!).services.get('localhost', webhookStatsKey)!;

const settle = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

test('a reload keeps deliveries in flight and queued: each is sent once, the queued one signed with the new secret', async () => {
  const secret = newSecret();
  await start({ http_webhooks: [receiver.endpoint()], http_webhooks_max_in_flight: 1 });
  receiver.script = hang; // alice's user.online stays in flight
  await plainLogin('alice');
  await receiver.waitForCount(1);
  await plainLogin('bob'); // bob's waits behind it: one request in flight at a time
  await settle(100);
  expect(receiver.received.map(jidOf)).toEqual(['alice@localhost']);

  await writeConfig({ http_webhooks: [{ url: receiver.url, secret }], http_webhooks_max_in_flight: 2 });
  const report = await server!.reload();
  expect(report.ok).toBe(true);
  expect(report.needsRestart).toEqual([]);
  const change = report.changes.find((candidate) => candidate.name === 'http_webhooks');
  expect(change).toMatchObject({ kind: 'module-reconfigured', outcome: 'applied', details: ['http_webhooks', 'http_webhooks_max_in_flight'] });

  // Two in flight now: bob's goes out while alice's still hangs, signed with the new secret.
  const bob = await receiver.waitFor((webhook) => jidOf(webhook) === 'bob@localhost');
  expect(signedWith(secret, bob)).toBe(true);
  expect(signedWith(receiver.secret, bob)).toBe(false);
  const alice = receiver.received[0]!;
  expect(signedWith(receiver.secret, alice)).toBe(true); // sent before the reload
  receiver.release(204);
  await settle(300);
  // Nothing was stored and sent again: one request per webhook id, both delivered.
  expect(receiver.received.map((webhook) => webhook.id).sort()).toEqual([alice.id, bob.id].sort());
  expect(logs.some((line) => line.msg === 'pending webhook deliveries stored for the next start')).toBe(false);
  const counts = stats().counts();
  expect(counts).toMatchObject({ queued: 0, inFlight: 0, delivered: 2, dead: 0 });
});

test('an event filter added by a reload acts on the next event; an endpoint removed leaves its pending deliveries as dead letters', async () => {
  const other = await WebhookReceiver.start();
  try {
    await start({ http_webhooks: [receiver.endpoint(), other.endpoint()] });
    other.script = hang;
    await plainLogin('alice');
    await other.waitForCount(1);
    await receiver.waitForCount(1);
    expect(other.received.map(jidOf)).toEqual(['alice@localhost']);

    // `other` leaves while alice's webhook hangs there; `receiver` now takes only user.offline.
    await writeConfig({ http_webhooks: [receiver.endpoint({ events: ['user.offline'] })] });
    expect((await server!.reload()).needsRestart).toEqual([]);
    const bob = await plainLogin('bob');
    bob.close();
    const offline = await receiver.waitFor((webhook) => webhook.payload?.type === 'user.offline');
    expect(jidOf(offline)).toBe('bob@localhost');
    expect(receiver.ofType('user.online').map(jidOf)).toEqual(['alice@localhost']);
    expect(other.received).toHaveLength(1);

    // The request in flight to the removed endpoint fails: given up, not retried.
    other.release(503);
    const deadline = Date.now() + 3000;
    while (stats().deadLetters().length === 0 && Date.now() < deadline) await settle(20);
    expect(stats().deadLetters().map((letter) => [letter.type, letter.reason])).toEqual([['user.online', 'endpoint no longer configured']]);
    await settle(200);
    expect(other.received).toHaveLength(1);
    expect(stats().counts()).toMatchObject({ queued: 0, inFlight: 0 });
  } finally {
    await other.stop();
  }
});
