/** http_muc_kick's pure parts: the body, the room lookup, the secret, the failure limiter. */
import { describe, expect, test } from '@jest/globals';
import { FailureLimiter } from '../../muc/plugins/http_muc_kick/failure-limiter.js';
import { parseKickBody } from '../../muc/plugins/http_muc_kick/kick-body.js';
import { headerMatcher } from '../../muc/plugins/http_muc_kick/kick-route.js';
import { findKickTarget, type MucDirectory } from '../../muc/plugins/http_muc_kick/kick-target.js';
import { readAuthorizationHeader } from '../../muc/plugins/http_muc_kick/options.js';
import type { MucService } from '../../muc/index.js';

const body = (text: string) => parseKickBody(Buffer.from(text));

describe('body', () => {
  test('a JSON object with nickname and muc; reason optional, empty or null meaning none; other members ignored', () => {
    expect(body('{"nickname":"Bob","muc":"r@s","reason":"spam","x":1}')).toEqual({ ok: true, value: { nickname: 'Bob', muc: 'r@s', reason: 'spam' } });
    expect(body('{"nickname":"Bob","muc":"r@s","reason":""}')).toEqual({ ok: true, value: { nickname: 'Bob', muc: 'r@s', reason: undefined } });
    expect(body('{"nickname":"Bob","muc":"r@s","reason":null}')).toEqual({ ok: true, value: { nickname: 'Bob', muc: 'r@s', reason: undefined } });
  });

  test('row 4 before row 5 before row 5b', () => {
    for (const text of ['', ' ', 'not json', '[]', '"x"', '42', 'true', 'null', '{"nickname":']) expect(body(text)).toEqual({ ok: false, error: 'JSON body not found' });
    for (const text of ['{}', '{"muc":"r@s"}', '{"nickname":"Bob"}', '{"nickname":"","muc":"r@s"}', '{"nickname":5,"muc":"r@s","reason":5}']) {
      expect(body(text)).toEqual({ ok: false, error: 'Missing nickname and/or MUC' });
    }
    for (const reason of ['5', 'true', '{}', '[]']) expect(body(`{"nickname":"Bob","muc":"r@s","reason":${reason}}`)).toEqual({ ok: false, error: 'Invalid reason' });
  });
});

describe('room lookup', () => {
  const service = (domain: string, rooms: string[]): MucService => ({ domain, room: (jid: unknown) => (rooms.includes(String(jid)) ? {} : undefined) }) as unknown as MucService;
  const services = new Map([['rooms.example.net', service('rooms.example.net', ['snuggery@rooms.example.net'])], ['other.example.net', service('other.example.net', [])]]);
  const directory = (own: string | undefined): MucDirectory => ({
    hasHost: (domain) => services.has(domain) || domain === 'example.com',
    mucService: (domain) => services.get(domain),
    ownService: own,
  });

  test('rows 6a–7 in order, with normalised names in the messages', () => {
    const on = directory('rooms.example.net');
    const problem = (muc: string) => {
      const found = findKickTarget(on, muc);
      return found.ok ? 'found' : [found.error.status, found.error.message];
    };
    expect(problem('Snuggery@Rooms.Example.NET')).toBe('found');
    for (const muc of ['rooms.example.net', 'a@b@c', 'snuggery@rooms.example.net/x', '@rooms.example.net', 'x@']) expect(problem(muc)).toEqual([400, 'Invalid MUC JID']);
    expect(problem('r@Nowhere.Invalid')).toEqual([404, 'MUC not found: No such host: nowhere.invalid']);
    expect(problem('r@example.com')).toEqual([404, "MUC not found: Host 'example.com' is not a MUC service"]);
    expect(problem('r@other.example.net')).toEqual([404, "MUC not found: Host 'other.example.net' is not served by this endpoint"]);
    expect(problem('Ghost@rooms.example.net')).toEqual([404, "MUC not found: No MUC 'ghost' found for host: rooms.example.net"]);
  });

  test('an endpoint on a host that is not a MUC service reaches every MUC service', () => {
    const found = findKickTarget(directory(undefined), 'x@other.example.net');
    expect(found.ok ? 'found' : found.error.message).toBe("MUC not found: No MUC 'x' found for host: other.example.net");
  });
});

describe('secret', () => {
  test('the configured value is required, a non-empty string without edge whitespace or control characters', () => {
    expect(readAuthorizationHeader('Basic dXNlcm5hbWU6cGFzc3dvcmQ=')).toEqual({ ok: true, value: 'Basic dXNlcm5hbWU6cGFzc3dvcmQ=' });
    expect(readAuthorizationHeader(undefined)).toMatchObject({ ok: false, error: expect.stringMatching(/http_muc_kick_authorization_header.*is not set/) });
    for (const value of [null, 5, true, [], '', '  ', ' a', 'a ', 'a\r\nb', 'a\nb', 'a\u0000b']) {
      expect(readAuthorizationHeader(value)).toMatchObject({ ok: false, error: expect.stringContaining('http_muc_kick_authorization_header') });
    }
  });

  test('exact, case-sensitive match', () => {
    const matches = headerMatcher('Basic abc=');
    expect([matches('Basic abc='), matches('basic abc='), matches('Basic abc'), matches('Basic abc=='), matches(''), matches(undefined)])
      .toEqual([true, false, false, false, false, false]);
  });
});

describe('failure limiter', () => {
  test('blocks an address after 10 failures until a minute after the first, others unaffected; bounded', () => {
    let now = 1_000;
    const limiter = new FailureLimiter({ now: () => now, maxAddresses: 2 });
    for (let i = 0; i < 9; i++) limiter.recordFailure('a');
    expect(limiter.isBlocked('a')).toBe(false);
    limiter.recordFailure('a');
    expect([limiter.isBlocked('a'), limiter.isBlocked('b')]).toEqual([true, false]);
    now += 59_999;
    expect(limiter.isBlocked('a')).toBe(true);
    now += 1;
    expect(limiter.isBlocked('a')).toBe(false);
    limiter.recordFailure('a');
    expect(limiter.isBlocked('a')).toBe(false);
    for (let i = 0; i < 10; i++) limiter.recordFailure('b');
    limiter.recordFailure('c');
    limiter.recordFailure('d');
    expect(limiter.isBlocked('b')).toBe(false);
  });

  test('counts addresses under their limit key: IPv4-mapped as IPv4, an IPv6 /64 as one', () => {
    const limiter = new FailureLimiter();
    for (let i = 0; i < 5; i++) limiter.recordFailure('192.0.2.7');
    for (let i = 0; i < 5; i++) limiter.recordFailure('::ffff:192.0.2.7');
    expect(limiter.isBlocked('192.0.2.7')).toBe(true);
    for (let i = 0; i < 10; i++) limiter.recordFailure(`2001:db8:0:1::${i + 1}`);
    expect([limiter.isBlocked('2001:db8:0:1:abcd::1'), limiter.isBlocked('2001:db8:0:2::1')]).toEqual([true, false]);
  });
});
