import { describe, expect, test } from '@jest/globals';
import { crossDomainOf, isCrossDomainAllowed, isSameOrigin, normaliseOrigin, readCrossDomain } from '../../http/web-clients/cross-domain.js';
import { boshCorsHeaders } from '../../http/bosh/bosh-cors.js';
import { checkHandshake, offeredSubprotocols } from '../../http/websocket/websocket-handshake.js';

describe('cross_domain_websocket / cross_domain_bosh values', () => {
  test('true and "*" allow any origin; false none', () => {
    expect(crossDomainOf(true)).toEqual({ kind: 'any' });
    expect(crossDomainOf(['https://a.example', '*'])).toEqual({ kind: 'any' });
    expect(crossDomainOf('*')).toEqual({ kind: 'any' });
    expect(crossDomainOf(false)).toEqual({ kind: 'none' });
  });

  test('a list is normalised to serialised origins', () => {
    const setting = crossDomainOf(['https://Chat.Example:443', 'http://localhost:8080/']);
    expect(setting).toEqual({ kind: 'list', origins: new Set(['https://chat.example', 'http://localhost:8080']) });
    expect(isCrossDomainAllowed(setting, 'https://chat.example')).toBe(true);
    expect(isCrossDomainAllowed(setting, 'http://chat.example')).toBe(false);
    expect(isCrossDomainAllowed(setting, 'null')).toBe(false);
  });

  test('an entry that is not an origin is a configuration error', () => {
    expect(readCrossDomain(['chat.example'])).toEqual({ error: expect.stringContaining('chat.example') });
    expect(readCrossDomain(['ftp://chat.example'])).toEqual({ error: expect.stringContaining('ftp://chat.example') });
  });

  test('origins compare by scheme, host and non-default port', () => {
    expect(normaliseOrigin('HTTPS://EXAMPLE.org:443/path')).toBe('https://example.org');
    expect(normaliseOrigin('not a url')).toBeUndefined();
    expect(isSameOrigin('http://localhost:5280', 'localhost:5280', false)).toBe(true);
    expect(isSameOrigin('http://localhost:5280', 'localhost:5280', true)).toBe(false);
    expect(isSameOrigin('https://chat.example', 'chat.example:443', true)).toBe(true);
    expect(isSameOrigin('http://localhost:5281', 'localhost:5280', false)).toBe(false);
    expect(isSameOrigin('http://localhost', undefined, false)).toBe(false);
  });
});

describe('WebSocket handshake checks', () => {
  const none = crossDomainOf(false);
  const base = { host: 'chat.example:5280', 'sec-websocket-protocol': 'xmpp' };

  test('the subprotocol list is split on commas', () => {
    expect(offeredSubprotocols(' chat , xmpp,')).toEqual(['chat', 'xmpp']);
    expect(offeredSubprotocols(undefined)).toEqual([]);
  });

  test('without the xmpp subprotocol → 400', () => {
    expect(checkHandshake({ ...base, 'sec-websocket-protocol': 'xmpps, chat' }, false, none)?.status).toBe(400);
    expect(checkHandshake({ host: 'chat.example' }, false, none)?.status).toBe(400);
  });

  test('no Origin (a native client) and the own origin pass; a foreign one → 403 unless listed', () => {
    expect(checkHandshake(base, false, none)).toBeUndefined();
    expect(checkHandshake({ ...base, origin: 'http://chat.example:5280' }, false, none)).toBeUndefined();
    expect(checkHandshake({ ...base, origin: 'http://evil.example' }, false, none)?.status).toBe(403);
    expect(checkHandshake({ ...base, origin: 'http://evil.example' }, false, crossDomainOf(['http://evil.example']))).toBeUndefined();
    expect(checkHandshake({ ...base, origin: 'http://evil.example' }, false, crossDomainOf(true))).toBeUndefined();
  });
});

describe('BOSH CORS headers', () => {
  test('true answers *, a list echoes the origin with Vary, others get nothing', () => {
    expect(boshCorsHeaders(crossDomainOf(true), 'https://a.example')['Access-Control-Allow-Origin']).toBe('*');
    const listed = boshCorsHeaders(crossDomainOf(['https://a.example']), 'https://a.example');
    expect(listed).toMatchObject({ 'Access-Control-Allow-Origin': 'https://a.example', Vary: 'Origin' });
    expect(boshCorsHeaders(crossDomainOf(['https://a.example']), 'https://b.example')).toEqual({});
    expect(boshCorsHeaders(crossDomainOf(false), 'https://a.example')).toEqual({});
    expect(boshCorsHeaders(crossDomainOf(true), undefined)).toEqual({});
  });
});
