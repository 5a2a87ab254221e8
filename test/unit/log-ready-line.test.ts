import { describe, expect, test } from '@jest/globals';
import { readyLine } from '../../server/log/index.js';

describe('the "ready" line', () => {
  test('client ports as host:port (the domain when listening everywhere), web-client URLs, then every other route once', () => {
    const ready = readyLine({
      domain: 'example.org',
      c2s: [
        { kind: 'c2s', address: '::', port: 5222 },
        { kind: 'c2s-direct-tls', address: '::', port: 5223 },
        { kind: 'c2s', address: '192.0.2.1', port: 5222 },
        { kind: 'c2s', address: '2001:db8::1', port: 5222 },
      ],
      websocketUrl: 'ws://127.0.0.1:5280/xmpp-websocket',
      boshUrl: 'http://127.0.0.1:5280/http-bind',
      routes: [
        { host: 'example.org', methods: ['GET'], path: '/xmpp-websocket', urls: ['http://example.org:5280/xmpp-websocket', 'https://example.org:5281/xmpp-websocket'] },
        { host: 'example.org', methods: ['POST', 'OPTIONS', 'GET'], path: '/http-bind', urls: ['http://example.org:5280/http-bind'] },
        { host: 'conference.example.org', methods: ['POST'], path: '/muc_kick', urls: ['http://conference.example.org:5280/muc_kick'] },
      ],
    });
    expect(ready.fields).toEqual({
      c2s: ['example.org:5222 (STARTTLS)', 'example.org:5223 (Direct TLS)', '192.0.2.1:5222 (STARTTLS)', '[2001:db8::1]:5222 (STARTTLS)'],
      web: ['ws://example.org:5280/xmpp-websocket', 'wss://example.org:5281/xmpp-websocket', 'http://example.org:5280/http-bind'],
      http: ['POST http://conference.example.org:5280/muc_kick'],
    });
    expect(ready.message).toBe('ready; XMPP clients: example.org:5222 (STARTTLS), example.org:5223 (Direct TLS), 192.0.2.1:5222 (STARTTLS), '
      + '[2001:db8::1]:5222 (STARTTLS); web clients: ws://example.org:5280/xmpp-websocket, wss://example.org:5281/xmpp-websocket, '
      + 'http://example.org:5280/http-bind; HTTP: POST http://conference.example.org:5280/muc_kick');
  });

  test('nothing listening: says so', () => {
    expect(readyLine({ domain: 'localhost', c2s: [], websocketUrl: undefined, boshUrl: undefined, routes: [] }).message).toBe('ready; XMPP clients: none');
  });
});
