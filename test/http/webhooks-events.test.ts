/**
 * http_webhooks: each event type triggered by real XMPP clients (or the MUC service API) reaches a
 * real receiver, signed so that the independent `standardwebhooks` package verifies it. A second
 * endpoint never answers: nothing the clients do waits for it.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { coreOf } from '../../server/core/index.js';
import { webhookStatsKey, type WebhookStats } from '../../webhooks/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { createInstantRoom, enter, login, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { hang, WebhookReceiver, type ReceivedWebhook } from './webhooks-receiver.js';

let server: TestServer;
let receiver: WebhookReceiver;
let deadReceiver: WebhookReceiver;

beforeAll(async () => {
  [receiver, deadReceiver] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
  deadReceiver.script = hang;
  server = await startTestServer({
    users: users('alice', 'bob', 'carol'),
    globals: { modules_enabled: ['http_webhooks'], http_webhooks: [receiver.endpoint(), deadReceiver.endpoint()] },
  });
});
afterAll(async () => {
  await server?.stop();
  await Promise.all([receiver?.stop(), deadReceiver?.stop()]);
});

const stats = (host: string): WebhookStats => coreOf(server).services.get(host, webhookStatsKey)!;
const data = (webhook: ReceivedWebhook) => webhook.payload!.data;
const isEvent = (type: string, match: Record<string, unknown>) => (webhook: ReceivedWebhook) =>
  webhook.payload?.type === type && Object.entries(match).every(([key, value]) => webhook.payload?.data[key] === value);

/** Waits until the healthy receiver has acknowledged everything the host accepted for it. */
async function drained(host: string): Promise<void> {
  const deadline = Date.now() + 5000;
  // Half of every delivery goes to the endpoint that never answers: it stays queued there.
  while (stats(host).counts().delivered * 2 < stats(host).counts().accepted) {
    if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(stats(host).counts())}`);
    await receiver.waitForCount(receiver.received.length + 1, () => true, 200).catch(() => undefined);
  }
}

test('every request carries the Standard Webhooks headers and a signature the reference implementation verifies', async () => {
  const client = await login(server.port, 'carol', 'desk');
  const webhook = await receiver.waitFor(isEvent('user.online', { jid: 'carol@localhost' }));
  client.close();
  expect(webhook.problem).toBeUndefined();
  expect(webhook.id).toMatch(/^msg_[A-Za-z0-9_-]+$/);
  expect(Math.abs(webhook.timestamp - Date.now() / 1000)).toBeLessThan(5);
  expect(webhook.signature).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
  expect(JSON.parse(webhook.body)).toEqual({ type: 'user.online', timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), data: { jid: 'carol@localhost', resource: 'desk' } });
  // The receiver that never answers got the same event: it simply never acknowledges it.
  await deadReceiver.waitFor((w) => w.id === webhook.id);
});

test('user.online on an account\'s first resource only, user.offline when its last one ends', async () => {
  const desk = await login(server.port, 'alice', 'desk');
  await receiver.waitFor(isEvent('user.online', { jid: 'alice@localhost', resource: 'desk' }));
  const phone = await login(server.port, 'alice', 'phone');
  desk.close();
  await sync(phone);
  phone.close();
  const offline = await receiver.waitFor(isEvent('user.offline', { jid: 'alice@localhost' }));
  expect(data(offline)).toEqual({ jid: 'alice@localhost', resource: 'phone' });
  await drained('localhost');
  expect(receiver.received.filter((w) => w.payload?.data.jid === 'alice@localhost').map((w) => w.payload!.type)).toEqual(['user.online', 'user.offline']);
});

test('room created, occupants joined and left (leave, kick, destroy), room destroyed', async () => {
  const [alice, bob] = await Promise.all([login(server.port, 'alice', 'r'), login(server.port, 'bob', 'r')]);
  try {
    await createInstantRoom(alice, 'tea', 'Alice');
    const room = `tea@${SERVICE}`;
    expect(data(await receiver.waitFor(isEvent('room.created', { room })))).toEqual({ room, creator: 'alice@localhost' });
    const aliceJoined = data(await receiver.waitFor(isEvent('occupant.joined', { room, nick: 'Alice' })));
    expect(aliceJoined).toMatchObject({ jid: 'alice@localhost', role: 'moderator', affiliation: 'owner', occupant_id: expect.any(String) });

    await enter(bob, 'tea', 'Bob');
    expect(data(await receiver.waitFor(isEvent('occupant.joined', { room, nick: 'Bob' })))).toMatchObject({ jid: 'bob@localhost', role: 'participant', affiliation: 'none' });
    bob.send(`<presence to='${room}/Bob' type='unavailable'/>`);
    expect(data(await receiver.waitFor(isEvent('occupant.left', { room, nick: 'Bob', reason: 'left' })))).toMatchObject({ jid: 'bob@localhost' });

    await enter(bob, 'tea', 'Bob');
    expect(server.muc().kick(room, 'Bob', { reason: 'enough' }).ok).toBe(true);
    await receiver.waitFor(isEvent('occupant.left', { room, nick: 'Bob', reason: 'kicked' }));

    expect((await server.muc().destroy(room, { reason: 'closing time' })).ok).toBe(true);
    await receiver.waitFor(isEvent('occupant.left', { room, nick: 'Alice', reason: 'room-destroyed' }));
    expect(data(await receiver.waitFor(isEvent('room.destroyed', { room })))).toEqual({ room, cause: 'destroyed', reason: 'closing time' });
    await drained(SERVICE);
    expect(receiver.received.filter((w) => w.payload?.data.room === room && w.payload.data.nick === 'Bob').map((w) => w.payload!.type))
      .toEqual(['occupant.joined', 'occupant.left', 'occupant.joined', 'occupant.left']);
  } finally {
    alice.close();
    bob.close();
  }
});

test('a room the service API creates is reported too', async () => {
  const created = await server.muc().createRoom(`lounge@${SERVICE}`);
  expect(created.ok).toBe(true);
  await receiver.waitFor(isEvent('room.created', { room: `lounge@${SERVICE}` }));
});

test('the endpoint that never answers holds at most 16 requests per host and delays no client', async () => {
  for (let index = 0; index < 20; index++) expect((await server.muc().createRoom(`spare${index}@${SERVICE}`)).ok).toBe(true);
  await Promise.all([drained(SERVICE), drained('localhost')]);
  // Every event went to it too (over 16 on the MUC service); none was answered and none has timed
  // out (15 s) yet. The bound is per endpoint and host: the VirtualHost's queue holds its own.
  expect(stats(SERVICE).counts().inFlight).toBe(16);
  expect(stats('localhost').counts().inFlight).toBeLessThanOrEqual(16);
  expect(deadReceiver.maxOpen).toBe(deadReceiver.open);
  expect(deadReceiver.open).toBe(16 + stats('localhost').counts().inFlight);
  const started = Date.now();
  const bob = await login(server.port, 'bob', 'again');
  await enter(bob, 'lounge', 'Bob');
  await sync(bob);
  bob.close();
  // Far below the 15 s the hanging endpoint's requests wait: nothing a client does waits for it.
  expect(Date.now() - started).toBeLessThan(5000);
  expect(receiver.received.every((webhook) => webhook.problem === undefined)).toBe(true);
});
