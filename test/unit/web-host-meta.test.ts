import { describe, expect, test } from '@jest/globals';
import { parse } from 'ltx';
import { BOSH_REL, connectionLinks, hostMetaJson, hostMetaXrd, WEBSOCKET_REL, XRD_NS } from '../../http/altconnect/host-meta.js';

describe('XEP-0156 host-meta', () => {
  test('links follow the request: its Host and its scheme', () => {
    const paths = { websocket: '/xmpp-websocket', bosh: '/http-bind' };
    expect(connectionLinks('chat.example:5281', true, paths)).toEqual([
      { rel: WEBSOCKET_REL, href: 'wss://chat.example:5281/xmpp-websocket' },
      { rel: BOSH_REL, href: 'https://chat.example:5281/http-bind' },
    ]);
    expect(connectionLinks('localhost', false, { bosh: '/bind' })).toEqual([{ rel: BOSH_REL, href: 'http://localhost/bind' }]);
    expect(connectionLinks('[::1]:5280', false, {})).toEqual([]);
  });

  test.each([undefined, '', 'evil.example/"><x', 'a b', 'host:port'])('a Host header %p gives no links', (host) => {
    expect(connectionLinks(host, false, { bosh: '/http-bind' })).toBeUndefined();
  });

  test('XRD and JSON carry the same links', () => {
    const links = [{ rel: WEBSOCKET_REL, href: 'ws://localhost:5280/xmpp-websocket' }];
    const xrd = parse(hostMetaXrd(links));
    expect(xrd.attrs.xmlns).toBe(XRD_NS);
    expect(xrd.getChildren('Link').map((link) => link.attrs)).toEqual(links);
    expect(hostMetaJson(links)).toEqual({ links });
  });
});
