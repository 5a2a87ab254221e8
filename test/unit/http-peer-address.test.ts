/** The pure parts of `trusted_proxies` and `secure_interfaces`: entries, membership, the X-Forwarded-For walk, the defaults. */
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { httpOptionShape } from '../../http/http-options.js';
import { AddressSet, clientAddress, forwardedOrigin, isAddressOrPrefix, peerPolicy } from '../../http/peer-address.js';
import { boshOptionShape } from '../../http/bosh/bosh-options.js';
import { websocketOptionShape } from '../../http/websocket/websocket-options.js';

describe('entries', () => {
  test('addresses and CIDR prefixes are accepted; names, bad lengths and ports are not', () => {
    for (const entry of ['127.0.0.1', '::1', '10.0.0.0/8', 'fd00::/8', '0.0.0.0/0', '2001:db8::/128']) expect([entry, isAddressOrPrefix(entry)]).toEqual([entry, true]);
    for (const entry of ['localhost', '10.0.0.0/33', '::/129', '10.0.0.1:80', '10.0.0.0/8/8', '10.0.0.0/', '', '*']) expect([entry, isAddressOrPrefix(entry)]).toEqual([entry, false]);
  });

  test('membership: exact addresses, prefixes, and IPv4 in its IPv4-mapped IPv6 form', () => {
    const set = new AddressSet(['127.0.0.1', '10.0.0.0/8', 'fd00::/8']);
    expect(['127.0.0.1', '::ffff:127.0.0.1', '10.200.1.1', 'fd12::1'].map((a) => set.has(a))).toEqual([true, true, true, true]);
    expect(['127.0.0.2', '11.0.0.1', 'fe80::1', 'not an address', ''].map((a) => set.has(a))).toEqual([false, false, false, false, false]);
  });
});

describe('the X-Forwarded-For walk', () => {
  const trusted = new AddressSet(['127.0.0.1', '10.0.0.0/8']);

  test('an untrusted peer, or no header, gives the peer', () => {
    expect(clientAddress('198.51.100.1', '203.0.113.9', trusted)).toBe('198.51.100.1');
    expect(clientAddress('127.0.0.1', undefined, trusted)).toBe('127.0.0.1');
  });

  test('a trusted peer: the rightmost untrusted entry; entries left of it are ignored', () => {
    expect(clientAddress('127.0.0.1', '203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '198.51.100.66, 203.0.113.9', trusted)).toBe('203.0.113.9');
    expect(clientAddress('127.0.0.1', '203.0.113.9, 10.1.2.3 ,10.0.0.1', trusted)).toBe('203.0.113.9');
    expect(clientAddress('::ffff:127.0.0.1', '::ffff:203.0.113.9', trusted)).toBe('203.0.113.9');
  });

  test('all trusted: the leftmost; garbage ends the walk at the last trusted hop', () => {
    expect(clientAddress('127.0.0.1', '10.0.0.2, 10.0.0.1', trusted)).toBe('10.0.0.2');
    expect(clientAddress('127.0.0.1', 'evil, 10.0.0.1', trusted)).toBe('10.0.0.1');
    expect(clientAddress('127.0.0.1', '203.0.113.9:4444', trusted)).toBe('127.0.0.1');
    expect(clientAddress('127.0.0.1', '', trusted)).toBe('127.0.0.1');
  });

  test('secure interfaces are local addresses in the set', () => {
    const policy = peerPolicy([], ['127.0.0.1', '::1']);
    expect([policy.isSecureInterface('127.0.0.1'), policy.isSecureInterface('::ffff:127.0.0.1'), policy.isSecureInterface('::1')]).toEqual([true, true, true]);
    expect([policy.isSecureInterface('192.0.2.1'), policy.isSecureInterface(undefined)]).toEqual([false, false]);
  });
});

describe('shipped values', () => {
  test('secure_interfaces and trusted_proxies are loopback; cross_domain_* allow any origin', () => {
    const http = z.object(httpOptionShape).parse({});
    expect(http.secure_interfaces).toEqual(['127.0.0.1', '::1']);
    expect(http.trusted_proxies).toEqual(['127.0.0.1', '::1']);
    expect(http.http_default_host).toBeUndefined();
    expect(z.object(websocketOptionShape).parse({}).cross_domain_websocket).toBe(true);
    expect(z.object(boshOptionShape).parse({}).cross_domain_bosh).toBe(true);
    expect(z.object(httpOptionShape).safeParse({ trusted_proxies: ['proxy.example'] }).success).toBe(false);
  });
});

describe('what a trusted proxy says the client used (host-meta behind a TLS-terminating proxy)', () => {
  const trusted = new AddressSet(['127.0.0.1', '10.0.0.0/8']);

  test('X-Forwarded-Proto and X-Forwarded-Host count only from a trusted proxy, the last value of each', () => {
    const headers = { 'x-forwarded-proto': 'https', 'x-forwarded-host': 'chat.example.com' };
    expect(forwardedOrigin('127.0.0.1', headers, trusted)).toEqual({ scheme: 'https', host: 'chat.example.com' });
    expect(forwardedOrigin('198.51.100.1', headers, trusted)).toEqual({});
    expect(forwardedOrigin('10.0.0.5', { 'x-forwarded-proto': 'https, http', 'x-forwarded-host': 'evil.example, chat.example.com' }, trusted))
      .toEqual({ scheme: 'http', host: 'chat.example.com' });
    expect(forwardedOrigin('10.0.0.5', { 'x-forwarded-proto': 'gopher' }, trusted)).toEqual({ scheme: undefined, host: undefined });
  });

  test('Forwarded (RFC 7239) wins, walked from the right past trusted proxies', () => {
    // The client sent the first element itself; the outer proxy (10.0.0.7) wrote the one naming
    // the client, then two inner trusted proxies added theirs.
    const forwarded = 'for=192.0.2.66;proto=http;host=forged.example, for=203.0.113.9;proto=https;host=chat.example.com, ' +
      'for=10.0.0.7;proto=http;host=inner, for="10.0.0.8:3000";proto=http;host=inner';
    expect(forwardedOrigin('10.0.0.5', { forwarded, 'x-forwarded-proto': 'http' }, trusted)).toEqual({ scheme: 'https', host: 'chat.example.com' });
    expect(forwardedOrigin('127.0.0.1', { forwarded: 'for="[2001:db8::1]:4711";proto=HTTPS;host="chat.example.com:8443"' }, trusted))
      .toEqual({ scheme: 'https', host: 'chat.example.com:8443' });
    expect(forwardedOrigin('198.51.100.1', { forwarded: 'for=1.2.3.4;proto=https' }, trusted)).toEqual({});
  });
});
