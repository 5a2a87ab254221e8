/**
 * Namespace prefixes sent by a client (legal XML) must not change what a stanza does nor break
 * what others receive (DESIGN.md §1, canonical stanzas). slixmpp is the receiving end: it parses
 * with expat, which drops the connection on XML that is not namespace-well-formed.
 */
import { afterEach, expect, test } from '@jest/globals';
import { VirtualHost } from '../../salon.js';
import { boshLogin } from '../helpers/bosh-client.js';
import { wsLogin } from '../helpers/ws-client.js';
import { createInstantRoom, MUC, MUC_USER, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { childrenNamed, SlixmppObserver, type SlixElement, type SlixEvent } from '../helpers/slixmpp-observer.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const OCCUPANT_ID = 'urn:xmpp:occupant-id:0';
const NS_TLS = 'urn:ietf:params:xml:ns:xmpp-tls';
const NS_SASL = 'urn:ietf:params:xml:ns:xmpp-sasl';
const NS_BIND = 'urn:ietf:params:xml:ns:xmpp-bind';
const ROOM = `lobby@${SERVICE}`;
const PASSWORDS = users('alice', 'bob', 'carol', 'dave', 'erin');

let server: TestServer | undefined;
let observer: SlixmppObserver | undefined;
const clients: RawClient[] = [];

afterEach(async () => {
  for (const client of clients.splice(0)) client.close();
  await observer?.stop();
  observer = undefined;
  await server?.stop();
  server = undefined;
});

async function raw(user: string, resource = 'raw'): Promise<RawClient> {
  const client = await rawLogin(server!.port, `${user}@localhost`, `${user}-secret`, resource);
  clients.push(client);
  return client;
}

async function slix(user: string): Promise<string> {
  observer ??= await SlixmppObserver.start(server!.port, server!.certificate!);
  return observer.login(`${user}@localhost`, `${user}-secret`);
}

function isStanzaFor(jid: string, match: (xml: SlixElement) => boolean): (e: SlixEvent) => boolean {
  return (e) => e.event === 'stanza' && e.jid === jid && match(e.xml);
}

/** Joins the room from a slixmpp client and waits for its self-presence. */
async function slixJoin(jid: string, nick: string): Promise<void> {
  const from = observer!.events.length;
  observer!.raw(jid, `<presence to='${ROOM}/${nick}'><x xmlns='${MUC}'><history maxstanzas='20'/></x></presence>`);
  await observer!.waitFor(isStanzaFor(jid, (xml) => xml.tag === '{jabber:client}presence' && xml.attrs.from === `${ROOM}/${nick}`
    && childrenNamed(xml, `{${MUC_USER}}x`).some((x) => x.children.some((c) => c.attrs.code === '110'))), 5000, from);
}

/** The client still parses what the server sends: a ping gets its answer, no disconnection. */
async function expectConnected(jid: string): Promise<void> {
  expect(await observer!.ping(jid)).toEqual({ event: 'pong', jid });
  expect(observer!.disconnections()).toEqual([]);
}

function groupchatWithId(id: string): (xml: SlixElement) => boolean {
  return (xml) => xml.tag === '{jabber:client}message' && xml.attrs.id === id && xml.attrs.type === 'groupchat';
}

test('finding 1: a prefix declared on a groupchat message disconnects no occupant, nor a later joiner', async () => {
  server = await startTestServer({ users: PASSWORDS });
  const carol = await raw('carol');
  await createInstantRoom(carol, 'lobby', 'carol');
  const alice = await slix('alice');
  const bob = await slix('bob');
  await slixJoin(alice, 'alice');
  await slixJoin(bob, 'bob');
  observer!.raw(alice, `<message to='${ROOM}' type='groupchat' id='evil-1' xmlns:x='urn:x'><body>hi</body><x:evil/></message>`);
  for (const jid of [alice, bob]) {
    const got = await observer!.waitFor(isStanzaFor(jid, groupchatWithId('evil-1')));
    // The room's archive (muc_mam) stamps its XEP-0359 stanza id.
    expect(got.event === 'stanza' && got.xml.children.map((c) => c.tag)).toEqual(['{jabber:client}body', '{urn:x}evil', `{${OCCUPANT_ID}}occupant-id`, '{urn:xmpp:sid:0}stanza-id']);
    await expectConnected(jid);
  }
  // The message is in the room's history: a later joiner gets it and stays connected too.
  const dave = await slix('dave');
  await slixJoin(dave, 'dave');
  await observer!.waitFor(isStanzaFor(dave, groupchatWithId('evil-1')));
  await expectConnected(dave);
  const carolCopy = carol.received.find((el) => el.attrs.id === 'evil-1');
  expect(carolCopy?.getChildElements().map((c) => c.toString())).toEqual(['<body>hi</body>', '<evil xmlns="urn:x"/>', expect.stringContaining('<occupant-id'), expect.stringContaining('<stanza-id')]);
}, 40_000);

test('finding 1 over BOSH: a prefix declared on <body/> reaches the recipient declared', async () => {
  // The test listener is plain HTTP on loopback: BOSH is taken as secure so PLAIN may log in; a
  // request that carries a stanza is held up to bosh_max_wait, lowered so the test does not idle.
  server = await startTestServer({ users: PASSWORDS, globals: { consider_bosh_secure: true, bosh_max_wait: 1 } });
  const bob = await slix('bob');
  const alice = await boshLogin(`${server.httpUrl!}/http-bind`, 'alice@localhost', 'alice-secret');
  await alice.request(`<message xmlns='jabber:client' to='${bob}' type='chat' id='evil-2'><body>hi</body><x:evil/></message>`, { 'xmlns:x': 'urn:x' });
  const got = await observer!.waitFor(isStanzaFor(bob, (xml) => xml.attrs.id === 'evil-2'));
  // The recipient's archive (XEP-0313) stamps its XEP-0359 stanza id.
  expect(got.event === 'stanza' && got.xml.children.map((c) => c.tag)).toEqual(['{jabber:client}body', '{urn:x}evil', '{urn:xmpp:sid:0}stanza-id']);
  await expectConnected(bob);
}, 30_000);

test('a prefixed stanza in a WebSocket frame reaches the recipient namespace-well-formed', async () => {
  // Plain ws:// on loopback: the WebSocket is taken as secure so PLAIN may log in.
  server = await startTestServer({ users: PASSWORDS, globals: { consider_websocket_secure: true } });
  const bob = await slix('bob');
  const alice = await wsLogin(`${server.httpUrl!.replace('http:', 'ws:')}/xmpp-websocket`, 'alice@localhost', 'alice-secret');
  try {
    alice.send(`<c:message xmlns:c='jabber:client' xmlns:x='urn:x' to='${bob}' type='chat' id='evil-3'><c:body>hi</c:body><x:evil/></c:message>`);
    const got = await observer!.waitFor(isStanzaFor(bob, (xml) => xml.attrs.id === 'evil-3'));
    expect(got.event === 'stanza' && got.xml.children.map((c) => c.tag)).toEqual(['{jabber:client}body', '{urn:x}evil', '{urn:xmpp:sid:0}stanza-id']);
    await expectConnected(bob);
  } finally {
    alice.stop();
  }
}, 30_000);

/** Sends `stanzas` from `sender`, then proves `jid` has received everything routed to it before. */
async function sendAndSettle(sender: RawClient, stanzas: string[], jid: string): Promise<SlixEvent[]> {
  const from = observer!.events.length;
  for (const stanza of stanzas) sender.send(stanza);
  await sync(sender);
  await expectConnected(jid);
  return observer!.events.slice(from).filter((e) => e.event === 'stanza' && e.xml.tag !== '{jabber:client}iq');
}

test('finding 2: a prefixed iq to a bare JID is answered by the server and never reaches the user', async () => {
  server = await startTestServer({ users: PASSWORDS });
  const bob = await slix('bob');
  const alice = await raw('alice');
  for (const [id, stanza] of [
    ['plain', `<iq type='get' to='bob@localhost' id='plain'><query xmlns='jabber:iq:version'/></iq>`],
    ['prefixed', `<c:iq xmlns:c='jabber:client' type='get' to='bob@localhost' id='prefixed'><query xmlns='jabber:iq:version'/></c:iq>`],
  ] as const) {
    const from = observer!.events.length;
    const seen = alice.received.length;
    alice.send(stanza);
    const reply = await alice.waitFor((el) => el.attrs.id === id, 3000, seen);
    expect([reply.name, reply.attrs.type, reply.attrs.from]).toEqual(['iq', 'error', 'bob@localhost']);
    expect(reply.getChild('error')?.getChild('service-unavailable')).toBeDefined();
    await expectConnected(bob);
    expect(observer!.events.slice(from).filter((e) => e.event === 'stanza' && e.xml.attrs.id === id)).toEqual([]);
  }
}, 30_000);

test('finding 2: on a block_subscriptions host a prefixed subscribe is dropped like the plain one', async () => {
  server = await startTestServer({ users: PASSWORDS, hosts: [VirtualHost('localhost', { modules_enabled: ['block_subscriptions'] })] });
  const bob = await slix('bob');
  const alice = await raw('alice');
  const got = await sendAndSettle(alice, [
    `<presence type='subscribe' to='bob@localhost'/>`,
    `<p:presence xmlns:p='jabber:client' type='subscribe' to='bob@localhost'/>`,
    `<p:presence xmlns:p='jabber:client' type='subscribe' to='${bob}'/>`,
    `<presence xmlns='jabber:client' to='${bob}' id='directed'/>`,
  ], bob);
  // Only the directed presence (no subscription) arrives: it proves the path was open.
  expect(got.map((e) => e.event === 'stanza' && [e.xml.attrs.id, e.xml.attrs.type])).toEqual([['directed', undefined]]);
}, 30_000);

function occupantIds(xml: SlixElement): string[] {
  return childrenNamed(xml, `{${OCCUPANT_ID}}occupant-id`).map((c) => c.attrs.id ?? '');
}

function mucUserItems(xml: SlixElement): SlixElement[] {
  return childrenNamed(xml, `{${MUC_USER}}x`).flatMap((x) => childrenNamed(x, `{${MUC_USER}}item`));
}

test('finding 3: forged occupant-id and muc#user elements, prefixed or not, never reach other occupants', async () => {
  server = await startTestServer({ users: PASSWORDS });
  const carol = await raw('carol');
  await createInstantRoom(carol, 'lobby', 'carol');
  const bob = await slix('bob');
  await slixJoin(bob, 'bob');
  const alice = await raw('alice');
  const forged = (p: string): string => `<${p}occupant-id xmlns${p === '' ? '' : `:${p.slice(0, -1)}`}='${OCCUPANT_ID}' id='forged'/>`
    + `<${p}x xmlns${p === '' ? '' : `:${p.slice(0, -1)}`}='${MUC_USER}'><${p}item affiliation='owner' role='moderator'/><${p}status code='110'/></${p}x>`;
  // The forged elements first, between and last, in both spellings.
  const from = observer!.events.length;
  alice.send(`<presence to='${ROOM}/alice'>${forged('m:')}<x xmlns='${MUC}'/>${forged('')}<status>here</status>${forged('o:')}</presence>`);
  const presence = await observer!.waitFor(isStanzaFor(bob, (xml) => xml.attrs.from === `${ROOM}/alice`), 5000, from);
  if (presence.event !== 'stanza') throw new Error('expected a stanza');
  expect(occupantIds(presence.xml)).toHaveLength(1);
  expect(occupantIds(presence.xml)).not.toContain('forged');
  expect(mucUserItems(presence.xml).map((item) => [item.attrs.affiliation, item.attrs.role])).toEqual([['none', 'participant']]);
  expect(childrenNamed(presence.xml, `{${MUC_USER}}x`)[0]?.children.filter((c) => c.attrs.code === '110')).toEqual([]);
  const realId = occupantIds(presence.xml)[0];

  const messages = [
    `<message to='${ROOM}' type='groupchat' id='g1'>${forged('a:')}<body>hi</body>${forged('')}</message>`,
    `<message to='${ROOM}/bob' type='chat' id='p1'>${forged('')}<body>psst</body>${forged('b:')}</message>`,
  ];
  const got = await sendAndSettle(alice, messages, bob);
  const byId = (id: string): SlixElement | undefined => got.flatMap((e) => (e.event === 'stanza' && e.xml.attrs.id === id ? [e.xml] : []))[0];
  for (const id of ['g1', 'p1']) {
    const message = byId(id);
    expect(message && occupantIds(message)).toEqual([realId]);
    expect(message && mucUserItems(message)).toEqual([]);
  }
  // The private message carries the room's own (empty) <x/> only.
  expect(childrenNamed(byId('p1')!, `{${MUC_USER}}x`)).toEqual([{ tag: `{${MUC_USER}}x`, attrs: {}, children: [] }]);
  expect(childrenNamed(byId('g1')!, `{${MUC_USER}}x`)).toEqual([]);
}, 40_000);

test('negotiation matches on namespaces: prefixed starttls, auth and bind work; an unknown element is still refused', async () => {
  server = await startTestServer({ users: PASSWORDS });
  const client = await RawClient.connect(server.port);
  clients.push(client);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send(`<t:starttls xmlns:t='${NS_TLS}'/>`);
  await client.waitFor((el) => el.name === 'proceed');
  await client.startTls();
  let seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  const payload = Buffer.from('\0alice\0alice-secret').toString('base64');
  client.send(`<s:auth xmlns:s='${NS_SASL}' mechanism='PLAIN'>${payload}</s:auth>`);
  expect((await client.waitFor((el) => el.name === 'success' || el.name === 'failure', 3000, seen)).name).toBe('success');
  client.restartParser();
  seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send(`<c:iq xmlns:c='jabber:client' type='set' id='bind1'><b:bind xmlns:b='${NS_BIND}'><b:resource>pre</b:resource></b:bind></c:iq>`);
  const bound = await client.waitFor((el) => el.attrs.id === 'bind1', 3000, seen);
  expect(bound.getChild('bind', NS_BIND)?.getChildText('jid')).toBe('alice@localhost/pre');
  // RFC 6120 §4.9.3.22: a top-level element that is no stanza, whatever its prefix.
  client.send(`<c:foo xmlns:c='jabber:client'/>`);
  expect(await client.streamError()).toBe('unsupported-stanza-type');
}, 20_000);
