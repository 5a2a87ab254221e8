/**
 * XEP-0156 discovery behind a TLS-terminating reverse proxy (issue 14, finding 7): host-meta
 * advertises the scheme and host the proxy reports (`X-Forwarded-Proto`/`X-Forwarded-Host`, or
 * RFC 7239 `Forwarded`), but only when the proxy is one of `trusted_proxies` (loopback shipped).
 */
import { afterEach, expect, test } from '@jest/globals';
import { jsonOf, send } from '../helpers/http-request.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function links(headers: Record<string, string>, path = '/.well-known/host-meta.json'): Promise<unknown> {
  const reply = await send(`${server!.httpUrl!}${path}`, { host: 'localhost:5280', headers });
  expect(reply.status).toBe(200);
  return path.endsWith('.json') ? jsonOf(reply) : reply.body;
}

const BEHIND_PROXY = {
  links: [
    { rel: 'urn:xmpp:alt-connections:websocket', href: 'wss://chat.example.com/xmpp-websocket' },
    { rel: 'urn:xmpp:alt-connections:xbosh', href: 'https://chat.example.com/http-bind' },
  ],
};

test('shipped trusted_proxies (loopback): X-Forwarded-Proto and X-Forwarded-Host give wss:// and https:// links', async () => {
  server = await startTestServer();
  expect(await links({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'chat.example.com' })).toEqual(BEHIND_PROXY);
  expect(await links({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'chat.example.com' }, '/.well-known/host-meta'))
    .toContain("<Link rel='urn:xmpp:alt-connections:websocket' href='wss://chat.example.com/xmpp-websocket'/>");
  expect(await links({ Forwarded: 'for=203.0.113.9;proto=https;host=chat.example.com' })).toEqual(BEHIND_PROXY);
  // Without forwarding headers: the request's own scheme and Host.
  expect(await links({})).toEqual({
    links: [
      { rel: 'urn:xmpp:alt-connections:websocket', href: 'ws://localhost:5280/xmpp-websocket' },
      { rel: 'urn:xmpp:alt-connections:xbosh', href: 'http://localhost:5280/http-bind' },
    ],
  });
});

test('from a peer that is not a trusted proxy the forwarding headers are ignored', async () => {
  server = await startTestServer({ globals: { trusted_proxies: ['10.0.0.5'] } });
  const forged = await links({ 'X-Forwarded-Proto': 'https', 'X-Forwarded-Host': 'evil.example', Forwarded: 'proto=https;host=evil.example' });
  expect(JSON.stringify(forged)).not.toContain('evil.example');
  expect(JSON.stringify(forged)).toContain('ws://localhost:5280/xmpp-websocket');
});

test('a forwarded host that is not a plain authority is refused like a bad Host header', async () => {
  server = await startTestServer();
  const reply = await send(`${server.httpUrl!}/.well-known/host-meta.json`, { host: 'localhost', headers: { 'X-Forwarded-Host': 'evil.example/path?x' } });
  expect(reply.status).toBe(400);
});
