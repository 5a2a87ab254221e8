/**
 * http_webhooks: a session that hibernates (XEP-0198) keeps its account online; user.offline
 * comes when the hibernation ends without a resumption, or when the resumed session ends.
 * Hibernation is lifted to 1 s (shipped 600 s) so that the test sees it run out.
 */
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { coreOf } from '../../server/core/index.js';
import { authenticate, resume, smLogin } from '../helpers/sm-raw.js';
import { users } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { WebhookReceiver, type ReceivedWebhook } from './webhooks-receiver.js';

let server: TestServer;
let receiver: WebhookReceiver;
const hibernated: string[] = [];

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  server = await startTestServer({
    users: users('dave', 'erin'),
    globals: { modules_enabled: ['http_webhooks'], http_webhooks: [receiver.endpoint()], smacks_hibernation_time: 1 },
  });
  coreOf(server).host('localhost')!.hooks.on('session-hibernated', ({ session }) => {
    hibernated.push(session.jid.toString());
  });
});
afterAll(async () => {
  await server?.stop();
  await receiver?.stop();
});

const of = (jid: string) => (webhook: ReceivedWebhook) => webhook.payload?.data.jid === jid;

async function untilHibernated(jid: string): Promise<void> {
  const deadline = Date.now() + 3000;
  while (!hibernated.includes(jid)) {
    if (Date.now() > deadline) throw new Error(`${jid} did not hibernate`);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

test('a hibernated session that is resumed never takes its account offline', async () => {
  const { client, id } = await smLogin(server.port, 'dave', 'phone');
  await receiver.waitFor((w) => of('dave@localhost')(w) && w.payload!.type === 'user.online');
  client.close(); // the connection is lost, not closed: the session hibernates
  await untilHibernated('dave@localhost/phone');
  const again = await authenticate(server.port, 'dave');
  expect((await resume(again, id, 0)).name).toBe('resumed');
  again.send('</stream:stream>');
  const offline = await receiver.waitFor((w) => of('dave@localhost')(w) && w.payload!.type === 'user.offline');
  expect(offline.payload!.data).toEqual({ jid: 'dave@localhost', resource: 'phone' });
  expect(receiver.received.filter(of('dave@localhost')).map((w) => w.payload!.type)).toEqual(['user.online', 'user.offline']);
  again.close();
});

test('a hibernated session that is never resumed goes offline when its hibernation ends', async () => {
  const { client } = await smLogin(server.port, 'erin', 'tablet');
  await receiver.waitFor((w) => of('erin@localhost')(w) && w.payload!.type === 'user.online');
  client.close();
  await untilHibernated('erin@localhost/tablet');
  const lost = Date.now();
  const offline = await receiver.waitFor((w) => of('erin@localhost')(w) && w.payload!.type === 'user.offline', 4000);
  expect(offline.receivedAt - lost).toBeGreaterThanOrEqual(800);
  expect(receiver.received.filter(of('erin@localhost')).map((w) => w.payload!.type)).toEqual(['user.online', 'user.offline']);
});
