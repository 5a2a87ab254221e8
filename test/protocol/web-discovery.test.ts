/**
 * XEP-0156 discovery on a real server: host-meta in XRD and JSON lists the endpoints loaded on
 * the host named by the request, and follows `http_paths` and `modules_disabled`.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { parse } from 'ltx';
import { VirtualHost } from '../../salon.js';
import { send } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const XRD_NS = 'http://docs.oasis-open.org/ns/xri/xrd-1.0';

let server: TestServer;
let port: string;

beforeAll(async () => {
  server = await startTestServer({
    hosts: [
      VirtualHost('localhost'),
      VirtualHost('example.org', { http_paths: { bosh: '/bind' }, modules_disabled: ['websocket'] }),
    ],
  });
  port = new URL(server.httpUrl!).port;
});
afterAll(() => server.stop());

describe('/.well-known/host-meta', () => {
  test('XRD lists the WebSocket and BOSH endpoints under the requested authority', async () => {
    const reply = await send(`${server.httpUrl!}/.well-known/host-meta`, { host: `localhost:${port}` });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/xrd+xml; charset=utf-8');
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    const xrd = parse(reply.body);
    expect(xrd.attrs.xmlns).toBe(XRD_NS);
    expect(xrd.getChildren('Link').map((link) => link.attrs)).toEqual([
      { rel: 'urn:xmpp:alt-connections:websocket', href: `ws://localhost:${port}/xmpp-websocket` },
      { rel: 'urn:xmpp:alt-connections:xbosh', href: `http://localhost:${port}/http-bind` },
    ]);
  });

  test('JSON carries the same links', async () => {
    const reply = await send(`${server.httpUrl!}/.well-known/host-meta.json`, { host: `localhost:${port}` });
    expect(reply.status).toBe(200);
    expect(reply.headers['access-control-allow-origin']).toBe('*');
    expect(JSON.parse(reply.body)).toEqual({
      links: [
        { rel: 'urn:xmpp:alt-connections:websocket', href: `ws://localhost:${port}/xmpp-websocket` },
        { rel: 'urn:xmpp:alt-connections:xbosh', href: `http://localhost:${port}/http-bind` },
      ],
    });
  });

  test('another host lists what it loads, where http_paths put it', async () => {
    const reply = await send(`${server.httpUrl!}/.well-known/host-meta.json`, { host: 'example.org' });
    expect(JSON.parse(reply.body)).toEqual({ links: [{ rel: 'urn:xmpp:alt-connections:xbosh', href: 'http://example.org/bind' }] });
    const relocated = await send(`${server.httpUrl!}/bind`, { host: 'example.org' });
    expect(relocated.status).toBe(200);
    const websocket = await send(`${server.httpUrl!}/xmpp-websocket`, { host: 'example.org' });
    expect(websocket.status).toBe(404);
  });

  test('over HTTPS the links are secure', async () => {
    const secure = server.httpsUrl!;
    const reply = await send(`${secure}/.well-known/host-meta.json`, { host: 'localhost', ca: server.certificate });
    const links = (JSON.parse(reply.body) as { links: { href: string }[] }).links.map((link) => link.href);
    expect(links).toEqual(['wss://localhost/xmpp-websocket', 'https://localhost/http-bind']);
  });
});
