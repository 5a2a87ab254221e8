/**
 * http_webhooks: the room events that follow a change made inside a room (configuration, roles,
 * affiliations, messages), triggered by real XMPP clients, and the endpoint filters (`events`,
 * `rooms`) and the `http_webhooks_messages` opt-in.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import type { RawClient } from '../helpers/raw-client.js';
import { ask, configure, createInstantRoom, enter, login, MUC_ADMIN, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { WebhookReceiver, type ReceivedWebhook } from './webhooks-receiver.js';

const TEA = `tea@${SERVICE}`;
const COFFEE = `coffee@${SERVICE}`;
let server: TestServer;
let receiver: WebhookReceiver;
/** Wants only occupant.joined and message.posted, and only in the tea room. */
let filtered: WebhookReceiver;
let alice: RawClient;
let bob: RawClient;

beforeAll(async () => {
  [receiver, filtered] = await Promise.all([WebhookReceiver.start(), WebhookReceiver.start()]);
  server = await startTestServer({
    users: users('alice', 'bob'),
    globals: {
      modules_enabled: ['http_webhooks'],
      http_webhooks: [receiver.endpoint(), filtered.endpoint({ events: ['occupant.joined', 'message.posted'], rooms: ['Tea@Conference.Localhost'] })],
      http_webhooks_messages: [TEA],
    },
  });
  [alice, bob] = await Promise.all([login(server.port, 'alice', 'r'), login(server.port, 'bob', 'r')]);
  await createInstantRoom(alice, 'tea', 'Alice');
  await createInstantRoom(alice, 'coffee', 'Alice');
  await enter(bob, 'tea', 'Bob');
  await enter(bob, 'coffee', 'Bob');
});
afterAll(async () => {
  alice?.close();
  bob?.close();
  await server?.stop();
  await Promise.all([receiver?.stop(), filtered?.stop()]);
});

const isEvent = (type: string, match: Record<string, unknown>) => (webhook: ReceivedWebhook) =>
  webhook.payload?.type === type && Object.entries(match).every(([key, value]) => webhook.payload?.data[key] === value);

test('room.configured names the fields that changed and who changed them', async () => {
  const reply = await configure(alice, 'tea', { 'muc#roomconfig_roomname': 'Tea time', 'muc#roomconfig_moderatedroom': '1' });
  expect(reply.attrs.type).toBe('result');
  const webhook = await receiver.waitFor((w) => isEvent('room.configured', { room: TEA, actor: 'alice@localhost' })(w)
    && (w.payload!.data.changed as string[]).includes('roomname'));
  expect(webhook.problem).toBeUndefined();
  expect(webhook.payload!.data.changed).toEqual(expect.arrayContaining(['roomname', 'moderatedroom']));
});

test('occupant.role_changed when a moderator grants or revokes voice', async () => {
  const reply = await ask(alice, (id) => `<iq type='set' id='${id}' to='${TEA}'><query xmlns='${MUC_ADMIN}'><item nick='Bob' role='visitor'/></query></iq>`);
  expect(reply.attrs.type).toBe('result');
  const webhook = await receiver.waitFor(isEvent('occupant.role_changed', { room: TEA, nick: 'Bob', role: 'visitor' }));
  expect(webhook.payload!.data).toMatchObject({ jid: 'bob@localhost', previous_role: 'participant', actor: 'alice@localhost' });
});

test('affiliation.changed for a user in the room and for one who is not', async () => {
  const reply = await ask(alice, (id) => `<iq type='set' id='${id}' to='${TEA}'><query xmlns='${MUC_ADMIN}'>`
    + "<item jid='bob@localhost' affiliation='member'/><item jid='carol@localhost' affiliation='admin'/></query></iq>");
  expect(reply.attrs.type).toBe('result');
  const bobs = await receiver.waitFor(isEvent('affiliation.changed', { room: TEA, jid: 'bob@localhost' }));
  expect(bobs.payload!.data).toMatchObject({ affiliation: 'member', previous_affiliation: 'none', actor: 'alice@localhost' });
  const carols = await receiver.waitFor(isEvent('affiliation.changed', { room: TEA, jid: 'carol@localhost' }));
  expect(carols.payload!.data).toMatchObject({ affiliation: 'admin', previous_affiliation: 'none' });
});

test('message.posted only for the rooms that opted in; the filtered endpoint gets only what it asked for', async () => {
  alice.send(`<message to='${COFFEE}' type='groupchat' id='c1'><body>coffee is not reported</body></message>`);
  alice.send(`<message to='${TEA}' type='groupchat' id='t1'><body>tea is</body></message>`);
  const posted = await receiver.waitFor(isEvent('message.posted', { room: TEA }));
  expect(posted.payload!.data).toMatchObject({ nick: 'Alice', jid: 'alice@localhost', body: 'tea is', id: 't1', occupant_id: expect.any(String) });
  await filtered.waitFor(isEvent('message.posted', { room: TEA, body: 'tea is' }));
  await sync(alice);
  // A later event through the same queue: once it arrives, an earlier coffee message would have too.
  bob.send(`<presence to='${COFFEE}/Bob' type='unavailable'/>`);
  await receiver.waitFor(isEvent('occupant.left', { room: COFFEE, nick: 'Bob' }));
  expect(receiver.ofType('message.posted').map((w) => w.payload!.data.room)).toEqual([TEA]);
  const filteredTypes = new Set(filtered.received.map((w) => `${w.payload!.type} ${String(w.payload!.data.room)}`));
  expect(filteredTypes).toEqual(new Set([`occupant.joined ${TEA}`, `message.posted ${TEA}`]));
  expect(filtered.received.every((w) => w.problem === undefined)).toBe(true);
});
