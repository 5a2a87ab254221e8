/**
 * XMPP over BOSH (XEP-0124, XEP-0206) on a real server: session creation, login, messages to and
 * from a WebSocket client, rid ordering and resends, long polling, CORS, and each kind of bad
 * request answered by the spec's error while other sessions carry on.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { BOSH_NS, BoshClient, boshLogin, boshPost, XBOSH_NS } from '../helpers/bosh-client.js';
import { send } from '../helpers/http-request.js';
import { createInstantRoom, login, MUC, SERVICE, xmlEscape } from '../helpers/muc-harness.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { coreOf } from '../../server/core/index.js';
import { parseJid } from '../../server/jid/index.js';
import { waitForLog } from '../helpers/wait-for-log.js';
import { WsClient, wsLogin } from '../helpers/ws-client.js';

const OTHER_SITE = 'http://chat.example.net:8080';

let server: TestServer;
let url: string;
let wsUrl: string;

beforeAll(async () => {
  server = await startTestServer({
    globals: {
      consider_bosh_secure: true,
      consider_websocket_secure: true,
      cross_domain_bosh: [OTHER_SITE],
      bosh_max_wait: 30,
      c2s_stanza_size_limit: 16 * 1024,
    },
  });
  url = `${server.httpUrl!}/http-bind`;
  wsUrl = `${server.httpUrl!.replace('http:', 'ws:')}/xmpp-websocket`;
});
afterAll(() => server.stop());

function chat(to: string, body: string): string {
  return `<message xmlns='jabber:client' to='${to}' type='chat'><body>${body}</body></message>`;
}

function children(reply: { element: Element | undefined }): Element[] {
  return reply.element?.getChildElements() ?? [];
}

describe('sessions', () => {
  test('creation answers with the session terms and the stream features', async () => {
    const client = await BoshClient.create(url, 'localhost', { wait: '300', hold: '3' });
    const attrs = client.created.attrs;
    expect(attrs.xmlns).toBe(BOSH_NS);
    expect(attrs.sid).toMatch(/^[0-9a-f]{32}$/);
    expect(attrs).toMatchObject({ wait: '30', hold: '1', requests: '2', inactivity: '60', polling: '5', ver: '1.11', from: 'localhost' });
    expect(attrs['xmpp:version']).toBe('1.0');
    expect(attrs['xmlns:xmpp']).toBe(XBOSH_NS);
    expect(typeof attrs.authid).toBe('string');
    const features = client.created.getChild('features', 'http://etherx.jabber.org/streams');
    const mechanisms = features?.getChild('mechanisms')?.getChildren('mechanism').map((m) => m.getText());
    expect(mechanisms).toEqual(expect.arrayContaining(['SCRAM-SHA-1', 'PLAIN']));
    await client.request('', { type: 'terminate' });
  });

  test('a BOSH client and a WebSocket client exchange messages, stanzas in jabber:client', async () => {
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'bosh');
    const ws = await wsLogin(wsUrl, 'bob@localhost', 'bob-secret', 'web');
    ws.send(chat('alice@localhost/bosh', 'to bosh'));
    const received = await bosh.waitFor((el) => el.name === 'message');
    expect(received.attrs.xmlns).toBe('jabber:client');
    expect(received.getChildText('body')).toBe('to bosh');
    // A request carrying a stanza is held like any other, until data or the next request comes.
    const sent = bosh.request(chat('bob@localhost/web', 'from bosh'));
    const back = await ws.waitFor((el) => el.name === 'message');
    expect(back.attrs.from).toBe('alice@localhost/bosh');
    ws.stop();
    const end = await bosh.request('', { type: 'terminate' });
    expect((await sent).status).toBe(200);
    expect(end.element?.attrs.type).toBe('terminate');
    const after = await bosh.request();
    expect(after.status).toBe(404);
  });

  test('room fan-out reaches a BOSH occupant in jabber:client, multibyte and escaped text intact', async () => {
    const owner = await login(server.port, 'bob', 'room-owner');
    await createInstantRoom(owner, 'boshroom', 'Owner');
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'room-bosh');
    // The request carrying the join is held until the room answers: the answer comes in its reply.
    const joined = await bosh.request(`<presence xmlns='jabber:client' to='boshroom@${SERVICE}/Zo\u00eb'><x xmlns='${MUC}'/></presence>`);
    const isSelf = (el: Element): boolean => el.name === 'presence' && el.attrs.from === `boshroom@${SERVICE}/Zo\u00eb` && el.attrs.type === undefined;
    if (!children(joined).some(isSelf)) await bosh.waitFor(isSelf);
    const body = 'th\u00e9 \u2615 <b> & \ud83d\ude00';
    owner.send(`<message to='boshroom@${SERVICE}' type='groupchat' id='fan-1'><body>${xmlEscape(body)}</body></message>`);
    const got = await bosh.waitFor((el) => el.name === 'message' && el.attrs.id === 'fan-1');
    expect(got.attrs).toMatchObject({ xmlns: 'jabber:client', to: 'alice@localhost/room-bosh', from: `boshroom@${SERVICE}/Owner`, type: 'groupchat' });
    expect(got.getChildText('body')).toBe(body);
    await bosh.request('', { type: 'terminate' });
    owner.close();
  });

  test('a held request is answered as soon as data arrives (long polling)', async () => {
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'poll');
    const ws = await wsLogin(wsUrl, 'bob@localhost', 'bob-secret', 'poller');
    const held = bosh.request();
    ws.send(chat('alice@localhost/poll', 'wake up'));
    const reply = await held;
    expect(children(reply).find((el) => el.name === 'message')?.getChildText('body')).toBe('wake up');
    ws.stop();
    await bosh.request('', { type: 'terminate' });
  });

  test('beyond hold=1, the older held request is answered empty', async () => {
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'hold');
    const first = bosh.request();
    const second = bosh.request();
    const reply = await first;
    expect(reply.status).toBe(200);
    expect(children(reply)).toEqual([]);
    const end = bosh.request('', { type: 'terminate' });
    expect((await second).status).toBe(200);
    expect((await end).element?.attrs.type).toBe('terminate');
  });

  test('requests that arrive out of order are processed in rid order', async () => {
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'order');
    const ws = await wsLogin(wsUrl, 'bob@localhost', 'bob-secret', 'order');
    const one = bosh.nextBody(chat('bob@localhost/order', 'first'));
    const two = bosh.nextBody(chat('bob@localhost/order', 'second'));
    const later = boshPost(url, two.text);
    const earlier = boshPost(url, one.text);
    await ws.waitFor((el) => el.getChildText('body') === 'second');
    const bodies = ws.received.filter((el) => el.name === 'message').map((el) => el.getChildText('body'));
    expect(bodies).toEqual(['first', 'second']);
    ws.stop();
    await bosh.request('', { type: 'terminate' });
    expect((await earlier).status).toBe(200);
    expect((await later).status).toBe(200);
  });

  test('a repeated rid gets the cached answer again (XEP-0124 §14.3)', async () => {
    const bosh = await BoshClient.create(url);
    const payload = Buffer.from('\0alice\0alice-secret').toString('base64');
    const auth = bosh.nextBody(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${payload}</auth>`);
    const first = await boshPost(url, auth.text);
    expect(first.element?.getChild('success')).toBeDefined();
    const again = await boshPost(url, auth.text);
    expect(again.status).toBe(200);
    expect(again.body).toBe(first.body);
    await bosh.request('', { type: 'terminate' });
  });

  test('the whole session ends with its stream: presence goes unavailable for contacts', async () => {
    const bosh = await boshLogin(url, 'alice@localhost', 'alice-secret', 'bye');
    const end = await bosh.request("<presence xmlns='jabber:client' type='unavailable'/>", { type: 'terminate' });
    expect(end.element?.attrs).toMatchObject({ type: 'terminate' });
    expect(end.element?.attrs.condition).toBeUndefined();
  });
});

describe('bad requests get the spec\'s answer; other sessions carry on', () => {
  let alice: BoshClient;
  let bob: WsClient;
  let round = 0;
  const pending: Promise<unknown>[] = [];

  beforeAll(async () => {
    alice = await boshLogin(url, 'alice@localhost', 'alice-secret', 'steady');
    bob = await wsLogin(wsUrl, 'bob@localhost', 'bob-secret', 'steady');
  });
  afterAll(async () => {
    bob.stop();
    await alice.request('', { type: 'terminate' });
    await Promise.all(pending);
  });

  async function stillWorks(): Promise<void> {
    round += 1;
    const text = `still here ${round}`;
    pending.push(alice.request(chat('bob@localhost/steady', text)));
    await bob.waitFor((el) => el.getChildText('body') === text);
  }

  test('an unknown sid → HTTP 404 with a terminate body, item-not-found', async () => {
    const reply = await boshPost(url, `<body xmlns='${BOSH_NS}' rid='42' sid='no-such-session'/>`);
    expect(reply.status).toBe(404);
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'item-not-found' });
    expect(reply.headers['content-type']).toBe('text/xml; charset=utf-8');
    await stillWorks();
  });

  test.each([
    ['not XML', 'definitely <not xml'],
    ['not a BOSH body', `<iq xmlns='jabber:client' type='get' id='1'/>`],
    ['no rid', `<body xmlns='${BOSH_NS}' to='localhost' wait='10'/>`],
    ['a negative rid', `<body xmlns='${BOSH_NS}' rid='-5' to='localhost' wait='10'/>`],
    ['text beside the stanzas', `<body xmlns='${BOSH_NS}' rid='5' sid='x'>loose text</body>`],
    ['a session request without wait', `<body xmlns='${BOSH_NS}' rid='5' to='localhost'/>`],
  ])('a malformed body (%s) → HTTP 400, bad-request', async (_name, body) => {
    const reply = await boshPost(url, body);
    expect(reply.status).toBe(400);
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'bad-request' });
    await stillWorks();
  });

  test('a rid beyond the window → item-not-found, and the session is gone', async () => {
    const victim = await boshLogin(url, 'bob@localhost', 'bob-secret', 'window');
    victim.rid += 5;
    const reply = await victim.request();
    expect(reply.status).toBe(404);
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'item-not-found' });
    victim.rid -= 6;
    expect((await victim.request()).status).toBe(404);
    await stillWorks();
  });

  test('a request whose predecessor never comes ends the session after wait seconds (lost request)', async () => {
    const victim = await BoshClient.create(url, 'localhost', { wait: '1' });
    victim.rid += 1;
    const reply = await victim.request();
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'item-not-found' });
    expect((await victim.request()).status).toBe(404);
    await stillWorks();
  });

  test('a repeated rid no longer cached → item-not-found', async () => {
    const victim = await boshLogin(url, 'bob@localhost', 'bob-secret', 'old');
    const stale = victim.rid - 2;
    const reply = await boshPost(url, `<body xmlns='${BOSH_NS}' rid='${stale}' sid='${victim.sid}'/>`);
    expect(reply.status).toBe(404);
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'item-not-found' });
    await stillWorks();
  });

  test('an oversized stanza → the session ends with policy-violation', async () => {
    const victim = await boshLogin(url, 'bob@localhost', 'bob-secret', 'big');
    const reply = await victim.request(chat('alice@localhost/steady', 'x'.repeat(20 * 1024)));
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'policy-violation' });
    expect((await victim.request()).status).toBe(404);
    await stillWorks();
  });

  test('a session request for an unknown host → host-unknown', async () => {
    const reply = await boshPost(url, `<body xmlns='${BOSH_NS}' xmlns:xmpp='${XBOSH_NS}' rid='7' to='elsewhere.example' wait='10' xmpp:version='1.0'/>`);
    expect(reply.status).toBe(200);
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'host-unknown' });
    await stillWorks();
  });

  test('a stanza before authentication → remote-stream-error carrying the stream error', async () => {
    const victim = await BoshClient.create(url);
    const reply = await victim.request(chat('alice@localhost', 'sneaky'));
    expect(reply.element?.attrs).toMatchObject({ type: 'terminate', condition: 'remote-stream-error' });
    const error = reply.element?.getChild('error', 'http://etherx.jabber.org/streams');
    expect(error?.getChild('not-authorized', 'urn:ietf:params:xml:ns:xmpp-streams')).toBeDefined();
    await stillWorks();
  });
});

describe('CORS (cross_domain_bosh) and the other HTTP methods', () => {
  test('a listed origin gets CORS headers on the pre-flight and the POST', async () => {
    const preflight = await send(url, { method: 'OPTIONS', host: 'localhost', headers: { Origin: OTHER_SITE, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe(OTHER_SITE);
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
    expect(preflight.headers['access-control-allow-headers']).toBe('Content-Type');
    const reply = await boshPost(url, `<body xmlns='${BOSH_NS}' rid='1' sid='unknown'/>`, { origin: OTHER_SITE });
    expect(reply.headers['access-control-allow-origin']).toBe(OTHER_SITE);
  });

  test('another origin gets none; the admin routes never get any', async () => {
    const preflight = await send(url, { method: 'OPTIONS', host: 'localhost', headers: { Origin: 'http://evil.example' } });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const health = await send(`${server.httpUrl!}/health`, { host: 'localhost', headers: { Origin: OTHER_SITE } });
    expect(health.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('GET explains the endpoint', async () => {
    const reply = await send(url, { host: 'localhost' });
    expect(reply.status).toBe(200);
    expect(reply.body).toContain('XEP-0206');
  });
});

describe('inactivity', () => {
  let quick: TestServer;
  beforeAll(async () => {
    quick = await startTestServer({ globals: { bosh_max_inactivity: 1, consider_bosh_secure: true } });
  });
  afterAll(() => quick.stop());

  test('a session without a pending request for bosh_max_inactivity seconds ends', async () => {
    const quickUrl = `${quick.httpUrl!}/http-bind`;
    const bosh = await boshLogin(quickUrl, 'alice@localhost', 'alice-secret', 'idle');
    const jid = parseJid('alice@localhost/idle');
    if (!jid.ok) throw new Error('test JID');
    expect(coreOf(quick).sessions.get(jid.value)).toBeDefined();
    await waitForLog(quick, (line) => line.msg === 'BOSH session inactive: ended', 5000);
    expect(JSON.stringify(quick.logs)).not.toContain(bosh.sid);
    expect((await bosh.request()).status).toBe(404);
    expect(coreOf(quick).sessions.get(jid.value)).toBeUndefined();
  });
});

