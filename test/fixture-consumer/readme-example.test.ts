// The README's example, kept here so that it runs: a bot's test suite with Salon as its server.
import { afterAll, beforeAll, expect, test } from '@jest/globals';
import { client, xml, type XmppClient } from '@xmpp/client';
import { parseJid, startServer, type RunningServer } from 'salon';
import { delayDelivery, dropSession, tapStanzas } from 'salon/testing';

/** The bot under test: answers "ping" with "pong", and reconnects when its connection drops. */
async function startBot(server: RunningServer): Promise<XmppClient> {
  const { username, password } = server.user('bot');
  const bot = client({ service: `xmpp://127.0.0.1:${server.c2s!.port}`, domain: server.domain, username, password });
  bot.on('error', () => undefined);
  bot.on('online', () => void bot.send(xml('presence')));
  bot.on('stanza', (stanza) => {
    if (stanza.is('message') && stanza.getChildText('body') === 'ping') {
      void bot.send(xml('message', { to: String(stanza.attrs.from), type: 'chat' }, xml('body', {}, 'pong')));
    }
  });
  await bot.start();
  return bot;
}

let server: RunningServer;
let bot: XmppClient;
let alice: XmppClient;

beforeAll(async () => {
  server = await startServer({
    tls: false, // plain TCP with PLAIN allowed: any client library connects without certificates
    users: { alice: 'alice-pw', bot: 'bot-pw' },
    rooms: ['lobby', { name: 'ops', config: { membersonly: true }, affiliations: { alice: 'owner' }, subject: 'On call' }],
    rosters: [['alice', 'bot']], // each in the other's roster, subscription "both"
  });
  bot = await startBot(server);
  alice = client({ service: `xmpp://127.0.0.1:${server.c2s!.port}`, domain: server.domain, username: 'alice', password: 'alice-pw' });
  alice.on('error', () => undefined);
  await alice.start();
});

afterAll(async () => {
  // @xmpp/client schedules a reconnection on every disconnect, its own stop() included.
  bot.reconnect.stop();
  alice.reconnect.stop();
  await Promise.all([bot.stop(), alice.stop()]);
  await server.stop(); // every socket and timer is released: jest exits without --forceExit
});

const ping = () => alice.send(xml('message', { to: server.user('bot').jid, type: 'chat' }, xml('body', {}, 'ping')));
const isPong = (s: { name: string; element: { getChildText(name: string): string | null } }) =>
  s.name === 'message' && s.element.getChildText('body') === 'pong';

test('the bot answers alice', async () => {
  const tap = tapStanzas(server, { jid: server.user('alice').jid }); // what the server routes to alice
  await ping();
  const reply = await tap.waitFor(isPong, { timeoutMs: 5000 });
  expect(reply.from).toMatch(/^bot@localhost\//);
  tap.stop();
});

test('the bot answers after its connection drops, even with slow delivery', async () => {
  const slow = delayDelivery(server, server.user('bot').jid, 200); // every stanza to the bot waits 200 ms
  const back = new Promise((resolve) => bot.on('online', resolve));
  expect(await dropSession(server, server.user('bot').jid)).toBe(1); // its socket is cut, no </stream:stream>
  await back; // the bot reconnected by itself
  const tap = tapStanzas(server, { jid: server.user('alice').jid });
  await ping();
  await tap.waitFor(isPong, { timeoutMs: 5000 });
  tap.stop();
  slow.remove();
});

test('the handles: the MUC service, a roster service and storage readiness', async () => {
  const server = await startServer({ tls: false, users: { alice: 'alice-pw' }, rooms: ['lobby'] });
  try {
    const created = await server.muc().createRoom(`board@${server.mucDomain}`, { affiliations: { [server.user('alice').jid]: 'owner' }, subject: 'Figures' });
    expect(created.ok).toBe(true);
    expect(server.muc().rooms().map((room) => room.jid.toString())).toEqual(['lobby@conference.localhost', 'board@conference.localhost']);
    const alice = parseJid(server.user('alice').jid);
    expect(alice.ok && (await server.rosters().subscribers(alice.value))).toEqual([]);
    expect(await server.storage.ready()).toEqual({ ready: true });
  } finally {
    await server.stop();
  }
});
