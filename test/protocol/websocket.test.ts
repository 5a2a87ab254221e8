/**
 * XMPP over WebSocket (RFC 7395) on a real server: the handshake checks, a login and a message
 * between two WebSocket clients and a TCP client, and each kind of bad input ending only its
 * own stream.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { send } from '../helpers/http-request.js';
import { createInstantRoom, MUC, SERVICE, xmlEscape } from '../helpers/muc-harness.js';
import { rawLogin } from '../helpers/raw-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { FRAMING_NS, WsClient, handshakeStatus, wsLogin } from '../helpers/ws-client.js';

let server: TestServer;
let url: string;
let pageOrigin: string;

beforeAll(async () => {
  server = await startTestServer({
    globals: {
      consider_websocket_secure: true,
      cross_domain_websocket: ['http://chat.example.net:8080'],
      c2s_stanza_size_limit: 16 * 1024,
    },
  });
  url = `${server.httpUrl!.replace('http:', 'ws:')}/xmpp-websocket`;
  pageOrigin = `http://localhost:${new URL(url).port}`;
});
afterAll(() => server.stop());


function chat(to: string, body: string): string {
  return `<message xmlns='jabber:client' to='${to}' type='chat'><body>${body}</body></message>`;
}

/** A message travels from `from` to `to`, proving both streams are still up. */
async function exchange(from: WsClient, to: WsClient, toJid: string, body: string): Promise<void> {
  from.send(chat(toJid, body));
  await to.waitFor((el) => el.name === 'message' && el.getChildText('body') === body);
}

describe('handshake', () => {
  test('the xmpp subprotocol is answered, and required', async () => {
    const client = await WsClient.connect(url);
    expect(client.socket.protocol).toBe('xmpp');
    client.stop();
    expect(await handshakeStatus(url, { protocols: ['chat'] })).toBe(400);
    expect(await handshakeStatus(url, { protocols: [] })).toBe(400);
  });

  test('origins: no Origin, the own origin and listed ones may connect; others get 403', async () => {
    expect(await handshakeStatus(url, {})).toBe(101);
    expect(await handshakeStatus(url, { origin: pageOrigin })).toBe(101);
    expect(await handshakeStatus(url, { origin: 'http://CHAT.example.net:8080' })).toBe(101);
    expect(await handshakeStatus(url, { origin: 'http://evil.example' })).toBe(403);
    expect(await handshakeStatus(url, { origin: 'https://chat.example.net:8080' })).toBe(403);
  });

  test('a plain GET explains the endpoint', async () => {
    const reply = await send(`${server.httpUrl!}/xmpp-websocket`, { host: 'localhost' });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('RFC 7395');
  });
});

describe('streams', () => {
  test('the server opens with <open/>, offers SASL without STARTTLS when declared secure', async () => {
    const client = await WsClient.connect(url);
    client.openStream('localhost');
    const open = await client.waitFor((el) => el.name === 'open');
    expect(open.attrs).toMatchObject({ xmlns: FRAMING_NS, from: 'localhost', version: '1.0' });
    const features = await client.waitFor((el) => el.name === 'stream:features');
    expect(features.getChild('starttls')).toBeUndefined();
    const mechanisms = features.getChild('mechanisms')?.getChildren('mechanism').map((m) => m.getText());
    expect(mechanisms).toEqual(expect.arrayContaining(['SCRAM-SHA-1', 'SCRAM-SHA-256', 'PLAIN']));
    client.stop();
  });

  test('two WebSocket clients and a TCP client exchange messages; stanzas declare jabber:client', async () => {
    const alice = await wsLogin(url, 'alice@localhost', 'alice-secret', 'web');
    const bob = await wsLogin(url, 'bob@localhost', 'bob-secret', 'web');
    const tcp = await rawLogin(server.port, 'bob@localhost', 'bob-secret', 'desk');
    alice.send(chat('bob@localhost/web', 'hello over websocket'));
    const got = await bob.waitFor((el) => el.name === 'message');
    expect(got.attrs.xmlns).toBe('jabber:client');
    expect(got.attrs.from).toBe('alice@localhost/web');
    tcp.send(`<message to='alice@localhost/web' type='chat'><body>from tcp</body></message>`);
    const fromTcp = await alice.waitFor((el) => el.name === 'message' && el.getChildText('body') === 'from tcp');
    expect(fromTcp.attrs.xmlns).toBe('jabber:client');
    alice.stop();
    bob.stop();
    tcp.close();
  });

  test('room fan-out reaches a WebSocket occupant in jabber:client, multibyte and escaped text intact', async () => {
    const owner = await rawLogin(server.port, 'bob@localhost', 'bob-secret', 'room-owner');
    await createInstantRoom(owner, 'wsroom', 'Owner');
    const web = await wsLogin(url, 'alice@localhost', 'alice-secret', 'room-web');
    web.send(`<presence xmlns='jabber:client' to='wsroom@${SERVICE}/Zo\u00eb'><x xmlns='${MUC}'/></presence>`);
    await web.waitFor((el) => el.name === 'presence' && el.attrs.from === `wsroom@${SERVICE}/Zo\u00eb` && el.attrs.type === undefined);
    const body = 'th\u00e9 \u2615 <b> & \ud83d\ude00';
    owner.send(`<message to='wsroom@${SERVICE}' type='groupchat' id='fan-1'><body>${xmlEscape(body)}</body></message>`);
    const got = await web.waitFor((el) => el.name === 'message' && el.attrs.id === 'fan-1');
    expect(got.attrs).toMatchObject({ xmlns: 'jabber:client', to: 'alice@localhost/room-web', from: `wsroom@${SERVICE}/Owner`, type: 'groupchat' });
    expect(got.getChildText('body')).toBe(body);
    web.send(`<message xmlns='jabber:client' to='wsroom@${SERVICE}' type='groupchat' id='fan-2'><body>\u00e0 bient\u00f4t</body></message>`);
    const back = await owner.waitFor((el) => el.name === 'message' && el.attrs.id === 'fan-2');
    expect(back.attrs.from).toBe(`wsroom@${SERVICE}/Zo\u00eb`);
    expect(back.getChildText('body')).toBe('\u00e0 bient\u00f4t');
    web.stop();
    owner.close();
  });

  test('a client <close/> is answered with <close/> and the server closes the WebSocket', async () => {
    const alice = await wsLogin(url, 'alice@localhost', 'alice-secret', 'closing');
    alice.send(`<close xmlns='${FRAMING_NS}'/>`);
    await alice.waitFor((el) => el.name === 'close' && el.attrs.xmlns === FRAMING_NS);
    expect(await alice.closed).toBe(1000);
  });
});

describe('bad input ends only its own stream', () => {
  let bystander: WsClient;
  let peer: WsClient;

  beforeAll(async () => {
    bystander = await wsLogin(url, 'alice@localhost', 'alice-secret', 'bystander');
    peer = await wsLogin(url, 'bob@localhost', 'bob-secret', 'peer');
  });
  afterAll(() => {
    bystander.stop();
    peer.stop();
  });

  async function expectStreamError(client: WsClient, condition: string): Promise<void> {
    await client.waitFor((el) => el.name === 'close' && el.attrs.xmlns === FRAMING_NS);
    expect(client.streamErrorCondition()).toBe(condition);
    const error = client.received.find((el: Element) => el.name === 'stream:error')!;
    expect(error.attrs['xmlns:stream']).toBe('http://etherx.jabber.org/streams');
    expect(await client.closed).toBe(1000);
    await exchange(bystander, peer, 'bob@localhost/peer', `still here after ${condition}`);
  }

  test('a message that is not XML → not-well-formed', async () => {
    const client = await wsLogin(url, 'bob@localhost', 'bob-secret', 'garbage');
    client.send('this is not xml <<<');
    await expectStreamError(client, 'not-well-formed');
  });

  test('half an element → not-well-formed', async () => {
    const client = await wsLogin(url, 'bob@localhost', 'bob-secret', 'half');
    client.send("<message xmlns='jabber:client' to='alice@localhost'><body>cut");
    await expectStreamError(client, 'not-well-formed');
  });

  test('two stanzas in one message → not-well-formed (RFC 7395 §3.3.3)', async () => {
    const client = await wsLogin(url, 'bob@localhost', 'bob-secret', 'double');
    client.send(chat('alice@localhost/bystander', 'one') + chat('alice@localhost/bystander', 'two'));
    await expectStreamError(client, 'not-well-formed');
    expect(bystander.received.some((el) => el.getChildText('body') === 'one')).toBe(false);
  });

  test('a binary message → not-well-formed', async () => {
    const client = await wsLogin(url, 'bob@localhost', 'bob-secret', 'binary');
    client.socket.send(Buffer.from(chat('alice@localhost', 'bin')), { binary: true });
    await expectStreamError(client, 'not-well-formed');
  });

  test('an oversized stanza → policy-violation', async () => {
    const client = await wsLogin(url, 'bob@localhost', 'bob-secret', 'big');
    client.send(chat('alice@localhost/bystander', 'x'.repeat(20 * 1024)));
    await expectStreamError(client, 'policy-violation');
  });

  test('before authentication the smaller limit applies → policy-violation', async () => {
    const client = await WsClient.connect(url);
    client.openStream('localhost');
    await client.waitFor((el) => el.name === 'stream:features');
    client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${'A'.repeat(12_000)}</auth>`);
    await expectStreamError(client, 'policy-violation');
  });

  test('a stream opened to an unknown host → host-unknown', async () => {
    const client = await WsClient.connect(url);
    client.openStream('elsewhere.example');
    await expectStreamError(client, 'host-unknown');
    expect(client.received[0]?.name).toBe('open');
  });

  test('a TCP-style stream header → not-well-formed (it is not a complete element)', async () => {
    const client = await WsClient.connect(url);
    client.send("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>");
    await expectStreamError(client, 'not-well-formed');
  });
});

describe('keepalive and shutdown', () => {
  let quick: TestServer;
  let quickUrl: string;

  beforeAll(async () => {
    quick = await startTestServer({ globals: { consider_websocket_secure: true, websocket_ping_interval: 0.2 } });
    quickUrl = `${quick.httpUrl!.replace('http:', 'ws:')}/xmpp-websocket`;
  });
  afterAll(() => quick.stop());

  test('a peer that answers pings stays; one that does not is closed', async () => {
    const lively = await wsLogin(quickUrl, 'alice@localhost', 'alice-secret', 'lively');
    let pings = 0;
    const threePings = new Promise<void>((resolve) => lively.socket.on('ping', () => {
      pings += 1;
      if (pings === 3) resolve();
    }));
    const silent = await WsClient.connect(quickUrl, { autoPong: false });
    expect(await silent.closed).toBe(1006);
    await threePings;
    expect(lively.socket.readyState).toBe(lively.socket.OPEN);
    lively.stop();
  });

  test('shutdown ends WebSocket streams with system-shutdown', async () => {
    const client = await wsLogin(quickUrl, 'bob@localhost', 'bob-secret', 'last');
    const stopping = quick.stop();
    await client.waitFor((el) => el.name === 'close');
    expect(client.streamErrorCondition()).toBe('system-shutdown');
    await stopping;
  });
});
