/** Routing between local sessions and the server's own answers (RFC 6120 §8, §10; RFC 6121 §8). */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { connectClient, xml, type TestClient } from '../helpers/xmpp-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import type { RawClient } from '../helpers/raw-client.js';

let server: TestServer;
let alice: TestClient;
let bob: TestClient;
let raw: RawClient;

beforeAll(async () => {
  server = await startTestServer();
  alice = await connectClient({ port: server.port, username: 'alice', password: 'alice-secret', resource: 'desk', mechanism: 'PLAIN' });
  bob = await connectClient({ port: server.port, username: 'bob', password: 'bob-secret', resource: 'phone', mechanism: 'PLAIN' });
  await alice.send(xml('presence'));
  await bob.send(xml('presence'));
  raw = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'raw');
});
afterAll(async () => {
  raw.close();
  await alice.stop();
  await bob.stop();
  await server.stop();
});

const errorCondition = (el: { getChild(n: string): { children: unknown[] } | undefined }): string | undefined =>
  (el.getChild('error')?.children.find((c) => typeof c !== 'string') as { name: string } | undefined)?.name;

describe('messages between clients', () => {
  test('to the full JID, with from stamped by the server', async () => {
    await alice.send(xml('message', { to: 'bob@localhost/phone', type: 'chat', id: 'm1' }, xml('body', {}, 'hello bob')));
    const got = await bob.waitFor((el) => el.attrs.id === 'm1');
    expect(got.attrs.from).toBe('alice@localhost/desk');
    expect(got.getChildText('body')).toBe('hello bob');
  });

  test('to the bare JID reaches the available resource', async () => {
    await bob.send(xml('message', { to: 'alice@localhost', type: 'chat', id: 'm2' }, xml('body', {}, 'hello alice')));
    const got = await alice.waitFor((el) => el.attrs.id === 'm2');
    expect(got.attrs.from).toBe('bob@localhost/phone');
  });

  test('to an unknown local user → service-unavailable', async () => {
    await alice.send(xml('message', { to: 'nobody@localhost', type: 'chat', id: 'm3' }, xml('body', {}, 'x')));
    const got = await alice.waitFor((el) => el.attrs.id === 'm3' && el.attrs.type === 'error');
    expect(errorCondition(got)).toBe('service-unavailable');
    expect(got.attrs.from).toBe('nobody@localhost');
  });

  test('to an unknown domain → remote-server-not-found', async () => {
    await alice.send(xml('message', { to: 'someone@remote.example', type: 'chat', id: 'm4' }, xml('body', {}, 'x')));
    const got = await alice.waitFor((el) => el.attrs.id === 'm4' && el.attrs.type === 'error');
    expect(errorCondition(got)).toBe('remote-server-not-found');
  });

  test('an invalid to → jid-malformed', async () => {
    raw.send("<message to='a@b@c' id='m5' type='chat'><body>x</body></message>");
    const got = await raw.waitFor((el) => el.attrs.id === 'm5');
    expect(errorCondition(got)).toBe('jid-malformed');
  });

  test('an error is never answered with an error', async () => {
    const before = raw.received.length;
    raw.send("<message to='nobody@localhost' id='m6' type='error'><error type='cancel'><undefined-condition xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></message>");
    raw.send("<iq type='get' id='m6-after' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    await raw.waitFor((el) => el.attrs.id === 'm6-after');
    expect(raw.received.slice(before).some((el) => el.attrs.id === 'm6')).toBe(false);
  });
});

describe('iq', () => {
  test('ping to the server', async () => {
    const reply = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(reply.attrs.type).toBe('result');
  });

  test("ping to another client's full JID round-trips", async () => {
    const reply = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'bob@localhost/phone' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    expect(reply.attrs.type).toBe('result');
    expect(reply.attrs.from).toBe('bob@localhost/phone');
  });

  test('to a full JID of an offline resource → service-unavailable', async () => {
    raw.send("<iq type='get' id='q1' to='bob@localhost/gone'><ping xmlns='urn:xmpp:ping'/></iq>");
    expect(errorCondition(await raw.waitFor((el) => el.attrs.id === 'q1'))).toBe('service-unavailable');
  });

  test('without id → bad-request', async () => {
    const before = raw.received.length;
    raw.send("<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    const got = await raw.waitFor((el) => el.name === 'iq' && el.attrs.type === 'error' && el.attrs.id === undefined, 3000, before);
    expect(errorCondition(got)).toBe('bad-request');
  });

  test('with a bad type → bad-request', async () => {
    raw.send("<iq type='fetch' id='q2' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    expect(errorCondition(await raw.waitFor((el) => el.attrs.id === 'q2'))).toBe('bad-request');
  });

  test('an unknown payload → service-unavailable', async () => {
    raw.send("<iq type='get' id='q3' to='localhost'><query xmlns='urn:example:unknown'/></iq>");
    expect(errorCondition(await raw.waitFor((el) => el.attrs.id === 'q3'))).toBe('service-unavailable');
  });

  test('disco#info lists identity and implemented features only', async () => {
    const reply = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('query', { xmlns: 'http://jabber.org/protocol/disco#info' })));
    const query = reply.getChild('query')!;
    const features = query.getChildren('feature').map((f) => f.attrs.var as string);
    expect(query.getChild('identity')?.attrs).toMatchObject({ category: 'server', type: 'im' });
    expect(features).toEqual(expect.arrayContaining(['urn:xmpp:ping', 'jabber:iq:version', 'http://jabber.org/protocol/disco#info', 'urn:xmpp:time', 'jabber:iq:register']));
    expect(features).not.toContain('http://jabber.org/protocol/commands');
  });

  test('software version', async () => {
    const reply = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('query', { xmlns: 'jabber:iq:version' })));
    expect(reply.getChild('query')?.getChildText('name')).toBe('Salon');
  });

  test('the legacy session iq is answered', async () => {
    raw.send("<iq type='set' id='s1'><session xmlns='urn:ietf:params:xml:ns:xmpp-session'/></iq>");
    expect((await raw.waitFor((el) => el.attrs.id === 's1')).attrs.type).toBe('result');
  });
});

describe('resource binding', () => {
  test('a server-generated resource when none is asked', async () => {
    const client = await connectClient({ port: server.port, username: 'bob', password: 'bob-secret', mechanism: 'PLAIN' });
    expect(client.jid).toMatch(/^bob@localhost\/.+/);
    await client.stop();
  });

  test('binding the same full JID replaces the older session with conflict', async () => {
    const first = await rawLogin(server.port, 'bob@localhost', 'bob-secret', 'twin');
    const second = await rawLogin(server.port, 'bob@localhost', 'bob-secret', 'twin');
    expect(await first.streamError()).toBe('conflict');
    second.send("<iq type='get' id='t1' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>");
    expect((await second.waitFor((el) => el.attrs.id === 't1')).attrs.type).toBe('result');
    second.close();
  });
});
