/**
 * Web clients on the shipped defaults, over real HTTP and WebSocket requests: a `Host` naming an
 * address reaches WebSocket, BOSH and XEP-0156 discovery on the first VirtualHost (or
 * `http_default_host`), any origin may connect (`cross_domain_websocket` / `cross_domain_bosh`
 * default to true), and plain HTTP received on loopback counts as encrypted (`secure_interfaces`),
 * so SASL is offered under the default `c2s_require_encryption`. Each default is also shown
 * restricted by its option, so every assertion here depends on the value under test.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { VirtualHost, Component } from '../../salon.js';
import { BOSH_NS, boshPost, XBOSH_NS } from '../helpers/bosh-client.js';
import { jsonOf, send } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { WsClient, handshakeStatus } from '../helpers/ws-client.js';

const SASL_NS = 'urn:ietf:params:xml:ns:xmpp-sasl';
/** A web app served from another port of the same machine (a dev server, say). */
const DEV_ORIGIN = 'http://127.0.0.1:5173';

function wsUrlOf(server: TestServer, path = '/xmpp-websocket'): string {
  return `${server.httpUrl!.replace('http:', 'ws:')}${path}`;
}

/** `Host` as a browser sends it for `ws://127.0.0.1:<port>/…`. */
function addressHost(server: TestServer): string {
  return `127.0.0.1:${new URL(server.httpUrl!).port}`;
}

function plain(user: string, password: string): string {
  return Buffer.from(`\0${user}\0${password}`).toString('base64');
}

function mechanismsOf(features: Element): string[] {
  return features.getChild('mechanisms', SASL_NS)?.getChildren('mechanism').map((m) => m.getText()) ?? [];
}

/** Opens a stream to `localhost` over WebSocket and returns its features. */
async function wsFeatures(client: WsClient): Promise<Element> {
  client.openStream('localhost');
  return client.waitFor((el) => el.name === 'stream:features');
}


function creationBody(to: string): string {
  return `<body xmlns='${BOSH_NS}' xmlns:xmpp='${XBOSH_NS}' content='text/xml; charset=utf-8' rid='5000' to='${to}' ` +
    `xml:lang='en' wait='10' hold='1' ver='1.11' xmpp:version='1.0'/>`;
}

describe('the shipped defaults', () => {
  let server: TestServer;

  beforeAll(async () => {
    // No web-client option: the defaults under test.
    server = await startTestServer();
  });
  afterAll(() => server.stop());

  test('WebSocket: ws://127.0.0.1 from a page of another origin logs in with SASL over plain ws:// on loopback', async () => {
    const client = await WsClient.connect(wsUrlOf(server), { host: addressHost(server), origin: DEV_ORIGIN });
    try {
      const features = await wsFeatures(client);
      expect(mechanismsOf(features)).toContain('PLAIN');
      client.send(`<auth xmlns='${SASL_NS}' mechanism='PLAIN'>${plain('alice', 'alice-secret')}</auth>`);
      expect((await client.waitFor((el) => el.name === 'success' || el.name === 'failure')).name).toBe('success');
      const seen = client.received.length;
      client.openStream('localhost');
      await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
      client.send("<iq xmlns='jabber:client' type='set' id='b1'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>web</resource></bind></iq>");
      const bound = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === 'b1', 3000, seen);
      expect(bound.attrs.type).toBe('result');
      expect(bound.getChild('bind')?.getChildText('jid')).toBe('alice@localhost/web');
    } finally {
      client.stop();
    }
  });

  test('WebSocket: any origin, the own one and none are let in', async () => {
    for (const origin of [DEV_ORIGIN, 'http://127.0.0.1:8080', 'https://app.example.com', undefined]) {
      expect([origin, await handshakeStatus(wsUrlOf(server), { host: addressHost(server), ...(origin === undefined ? {} : { origin }) })])
        .toEqual([origin, 101]);
    }
  });

  test('BOSH: http://127.0.0.1 from another origin gets CORS for any origin and a session offering SASL', async () => {
    const url = `${server.httpUrl!}/http-bind`;
    const preflight = await send(url, {
      method: 'OPTIONS', host: addressHost(server),
      headers: { Origin: DEV_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(200);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-headers']).toBe('Content-Type');
    const created = await boshPost(url, creationBody('localhost'), { host: addressHost(server), origin: DEV_ORIGIN });
    expect(created.status).toBe(200);
    expect(created.headers['access-control-allow-origin']).toBe('*');
    const sid = created.element?.attrs.sid as string;
    const features = created.element?.getChild('features', 'http://etherx.jabber.org/streams');
    expect(features === undefined ? [] : mechanismsOf(features)).toContain('PLAIN');
    const auth = await boshPost(
      url, `<body xmlns='${BOSH_NS}' rid='5001' sid='${sid}'><auth xmlns='${SASL_NS}' mechanism='PLAIN'>${plain('bob', 'bob-secret')}</auth></body>`,
      { host: addressHost(server), origin: DEV_ORIGIN },
    );
    expect(auth.element?.getChild('success')).toBeDefined();
    await boshPost(url, `<body xmlns='${BOSH_NS}' rid='5002' sid='${sid}' type='terminate'/>`, { host: addressHost(server) });
  });

  test('XEP-0156 discovery answers an address as Host with the endpoints under that address', async () => {
    const reply = await send(`${server.httpUrl!}/.well-known/host-meta.json`, { host: addressHost(server) });
    expect(reply.status).toBe(200);
    expect(jsonOf(reply)).toEqual({
      links: [
        { rel: 'urn:xmpp:alt-connections:websocket', href: `ws://${addressHost(server)}/xmpp-websocket` },
        { rel: 'urn:xmpp:alt-connections:xbosh', href: `http://${addressHost(server)}/http-bind` },
      ],
    });
  });

  test('other routes keep strict Host selection: an address as Host gets the JSON 404 naming it', async () => {
    for (const path of ['/muc_kick', '/roster_admin/refresh', '/anything']) {
      const reply = await send(`${server.httpUrl!}${path}`, { method: 'POST', host: '127.0.0.1', body: '{}' });
      expect([path, reply.status, jsonOf(reply)]).toEqual([path, 404, { error: 'Unknown host: 127.0.0.1' }]);
    }
    const other = await send(`${server.httpUrl!}/xmpp-websocket`, { host: 'localhost' });
    expect(other.status).toBe(200);
  });
});

describe('each default restricted by its option', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      globals: { cross_domain_websocket: false, cross_domain_bosh: ['https://app.example.com'], secure_interfaces: [] },
    });
  });
  afterAll(() => server.stop());

  test('cross_domain_websocket = false: a foreign origin gets 403; the own origin and no Origin still connect', async () => {
    const url = wsUrlOf(server);
    expect(await handshakeStatus(url, { host: addressHost(server), origin: DEV_ORIGIN })).toBe(403);
    expect(await handshakeStatus(url, { host: addressHost(server), origin: `http://${addressHost(server)}` })).toBe(101);
    expect(await handshakeStatus(url, { host: addressHost(server) })).toBe(101);
  });

  test('cross_domain_bosh as a list: only the listed origin gets CORS headers', async () => {
    const url = `${server.httpUrl!}/http-bind`;
    const listed = await send(url, { method: 'OPTIONS', host: addressHost(server), headers: { Origin: 'https://app.example.com' } });
    expect(listed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    const other = await send(url, { method: 'OPTIONS', host: addressHost(server), headers: { Origin: DEV_ORIGIN } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  test('secure_interfaces = []: plain ws:// and BOSH on loopback are not encrypted, so no SASL is offered', async () => {
    const client = await WsClient.connect(wsUrlOf(server), { host: addressHost(server) });
    try {
      const features = await wsFeatures(client);
      expect(mechanismsOf(features)).toEqual([]);
    } finally {
      client.stop();
    }
    const created = await boshPost(`${server.httpUrl!}/http-bind`, creationBody('localhost'), { host: addressHost(server) });
    const features = created.element?.getChild('features', 'http://etherx.jabber.org/streams');
    expect(features).toBeDefined();
    expect(mechanismsOf(features!)).toEqual([]);
  });
});

describe('http_default_host chooses the host that answers unknown names', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      globals: { http_default_host: 'example.org' },
      hosts: [
        VirtualHost('localhost'),
        VirtualHost('example.org', { http_paths: { websocket: '/org-websocket' } }),
        Component('conference.localhost', 'muc'),
      ],
    });
  });
  afterAll(() => server.stop());

  test('an address as Host reaches example.org\'s endpoint, not the first VirtualHost\'s', async () => {
    expect(await handshakeStatus(wsUrlOf(server, '/org-websocket'), { host: addressHost(server) })).toBe(101);
    expect(await handshakeStatus(wsUrlOf(server, '/xmpp-websocket'), { host: addressHost(server) })).toBe(404);
    expect(await handshakeStatus(wsUrlOf(server, '/xmpp-websocket'), { host: 'localhost' })).toBe(101);
  });
});

describe('without http_default_host the first VirtualHost answers, whatever comes before it', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      hosts: [
        Component('conference.localhost', 'muc'),
        VirtualHost('localhost', { http_paths: { websocket: '/first-websocket' } }),
        VirtualHost('example.org'),
      ],
    });
  });
  afterAll(() => server.stop());

  test('the component listed first is skipped; the second VirtualHost is not used', async () => {
    expect(await handshakeStatus(wsUrlOf(server, '/first-websocket'), { host: addressHost(server) })).toBe(101);
    expect(await handshakeStatus(wsUrlOf(server, '/xmpp-websocket'), { host: addressHost(server) })).toBe(404);
  });
});
