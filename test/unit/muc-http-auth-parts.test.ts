/** muc_http_auth's pure parts: room selection, URL encoding, reading answers, options, coalescing. */
import { describe, expect, test } from '@jest/globals';
import { createAuthorizer } from '../../muc/plugins/muc_http_auth/authorizer.js';
import { mucHttpAuthWarnings, validateMucHttpAuthOptions, type MucHttpAuthOptions } from '../../muc/plugins/muc_http_auth/options.js';
import { requestUrlBuilder } from '../../muc/plugins/muc_http_auth/request-url.js';
import { percentEncode } from '../../server/net/percent-encode.js';
import { parseRoomSelection } from '../../muc/plugins/muc_http_auth/room-selection.js';
import { verdictOf } from '../../muc/plugins/muc_http_auth/verdict.js';
import type { OutboundHttp, OutboundRequest, OutboundResult } from '../../server/net/outbound-http.js';

function selection(enabled?: Parameters<typeof parseRoomSelection>[0], disabled?: Parameters<typeof parseRoomSelection>[1]) {
  const parsed = parseRoomSelection(enabled, disabled);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.value;
}

describe('room selection', () => {
  test('no option: every room; enabled_for: only the listed; disabled_for: all but the listed', () => {
    expect(selection().isChecked('example.com', 'anything')).toBe(true);
    const only = selection({ 'example.com': ['orchard'], all: ['teaparty'] });
    expect([only.isChecked('example.com', 'orchard'), only.isChecked('other.example', 'orchard'), only.isChecked('x.y', 'teaparty'), only.isChecked('example.com', 'lobby')])
      .toEqual([true, false, true, false]);
    const except = selection(undefined, ['lobby']);
    expect([except.isChecked('example.com', 'lobby'), except.isChecked('example.com', 'teaparty')]).toEqual([false, true]);
  });

  test('empty lists: enabled_for [] checks nothing, disabled_for {} checks everything; enabled_for wins over disabled_for', () => {
    expect(selection([]).isChecked('example.com', 'teaparty')).toBe(false);
    expect(selection(undefined, {}).isChecked('example.com', 'teaparty')).toBe(true);
    const both = selection(['teaparty'], ['teaparty']);
    expect([both.mode, both.isChecked('example.com', 'teaparty'), both.isChecked('example.com', 'lobby')]).toEqual(['only', true, false]);
  });

  test('room names and domain keys are normalised; "all" is reserved', () => {
    const only = selection({ 'EXAMPLE.COM': ['Orchard'], ALL: ['ＴｅａＰａｒｔｙ'] });
    expect([only.isChecked('example.com', 'orchard'), only.isChecked('all', 'orchard'), only.isChecked('a.b', 'teaparty')]).toEqual([true, false, true]);
  });

  test('full JIDs, invalid names and invalid domains are errors naming the option', () => {
    expect(parseRoomSelection(['teaparty@rooms.example.net'], undefined)).toMatchObject({ ok: false, error: expect.stringContaining('muc_http_auth_enabled_for') });
    expect(parseRoomSelection(undefined, { 'example.com': ['a b'] })).toMatchObject({ ok: false, error: expect.stringContaining('muc_http_auth_disabled_for') });
    expect(parseRoomSelection({ 'bad domain': ['x'] }, undefined)).toMatchObject({ ok: false, error: expect.stringContaining('"bad domain"') });
    expect(parseRoomSelection(['ok'], ['x@y'])).toMatchObject({ ok: false });
  });
});

describe('request URL', () => {
  test('percent-encoding leaves only ALPHA, DIGIT and -._~ as they are', () => {
    expect(percentEncode("R&D Team/é")).toBe('R%26D%20Team%2F%C3%A9');
    expect(percentEncode("a-b.c_d~e!*'()+=%@?#")).toBe('a-b.c_d~e%21%2A%27%28%29%2B%3D%25%40%3F%23');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
  });

  test('parameters are appended with ? or &, in order, and the fragment is dropped', () => {
    const query = { userJid: 'romeo@example.com', mucJid: 'teaparty@rooms.example.net', nickname: 'Romeo' };
    const tail = 'userJID=romeo%40example.com&mucJID=teaparty%40rooms.example.net&nickname=Romeo';
    expect(requestUrlBuilder(new URL('http://h/can-join'))(query)).toBe(`http://h/can-join?${tail}`);
    expect(requestUrlBuilder(new URL('http://h/check?token=x#frag'))(query)).toBe(`http://h/check?token=x&${tail}`);
    expect(requestUrlBuilder(new URL('http://h/p?'))(query)).toBe(`http://h/p?${tail}`);
    expect(requestUrlBuilder(new URL('http://h/p?a=1&'))(query)).toBe(`http://h/p?a=1&${tail}`);
    expect(requestUrlBuilder(new URL('https://h'))(query)).toBe(`https://h/?${tail}`);
  });
});

describe('reading the answer', () => {
  const reply = (status: number, body: string): OutboundResult => ({ ok: true, status, headers: {}, body: Buffer.from(body) });

  test('only 200 with allowed === true admits', () => {
    expect(verdictOf(reply(200, '{"allowed": true, "error": ""}'))).toEqual({ kind: 'allowed', grant: {} });
    expect(verdictOf(reply(200, '{"allowed": false, "error": "nope"}'))).toEqual({ kind: 'refused', error: 'nope' });
    expect(verdictOf(reply(200, '{"error": 5}'))).toEqual({ kind: 'refused', error: '' });
    for (const body of ['{"allowed": null}', '{"allowed": "true"}', '{"allowed": 1}', '{"allowed": {}}', '{"allowed": []}']) {
      expect(verdictOf(reply(200, body))).toMatchObject({ kind: 'failed', problem: expect.stringContaining("invalid 'allowed' value") });
    }
    for (const [status, body] of [[500, '{"allowed": true}'], [302, '{"allowed": true}'], [200, 'hello'], [200, ''], [200, '[true]'], [200, '5'], [200, 'true'], [200, '"yes"'], [200, 'null']] as const) {
      expect(verdictOf(reply(status, body)).kind).toBe('failed');
    }
    expect(verdictOf({ ok: false, reason: 'timeout', detail: 'deadline exceeded' })).toEqual({ kind: 'failed', problem: 'timeout: deadline exceeded' });
  });
});

describe('options', () => {
  const base: MucHttpAuthOptions = {
    muc_http_auth_url: 'http://127.0.0.1/can-join', muc_http_auth_insecure: false, muc_http_auth_authorize_registration: false, muc_http_auth_timeout: 10, muc_http_auth_extended: false,
  };

  test('fatal problems name the option', () => {
    expect(validateMucHttpAuthOptions(base)).toBeUndefined();
    expect(validateMucHttpAuthOptions({ ...base, muc_http_auth_url: '' })).toContain('muc_http_auth_url');
    expect(validateMucHttpAuthOptions({ ...base, muc_http_auth_url: '/relative' })).toContain('muc_http_auth_url');
    for (const header of ['', ' ', 'a\nb', 'a\rb', 'Bearer x ', '\tBearer x']) {
      expect(validateMucHttpAuthOptions({ ...base, muc_http_auth_authorization_header: header })).toContain('muc_http_auth_authorization_header');
    }
    expect(validateMucHttpAuthOptions({ ...base, muc_http_auth_authorization_header: 'Basic a\tb' })).toBeUndefined();
  });

  test('warnings: both lists, insecure, credentials over plain remote http, timeout not below the hook deadline', () => {
    expect(mucHttpAuthWarnings(base, 30)).toEqual([]);
    expect(mucHttpAuthWarnings({ ...base, muc_http_auth_authorization_header: 'Bearer x' }, 30)).toEqual([]);
    const noisy = mucHttpAuthWarnings({
      ...base, muc_http_auth_url: 'http://auth.example.org/', muc_http_auth_authorization_header: 'Bearer x',
      muc_http_auth_insecure: true, muc_http_auth_enabled_for: [], muc_http_auth_disabled_for: [], muc_http_auth_timeout: 30,
    }, 30);
    expect(noisy).toHaveLength(4);
    expect(noisy.join('\n')).not.toContain('Bearer x');
  });
});

describe('authorizer', () => {
  test('identical concurrent questions share one request; nothing is cached after the answer', async () => {
    const seen: OutboundRequest[] = [];
    const answers: ((result: OutboundResult) => void)[] = [];
    const http: OutboundHttp = {
      request: (request) => {
        seen.push(request);
        return new Promise((resolve) => answers.push(resolve));
      },
    };
    const authorize = createAuthorizer(http, { url: new URL('http://h/a'), authorization: 'Bearer k', timeoutMs: 1234, insecure: true, extended: false });
    const query = { userJid: 'romeo@example.com', mucJid: 'teaparty@rooms.example.net', nickname: 'Romeo' };
    const first = authorize(query);
    const second = authorize(query);
    const other = authorize({ ...query, nickname: 'Romeo2' });
    expect(seen).toHaveLength(2);
    expect(seen[0]).toMatchObject({ timeoutMs: 1234, insecure: true, headers: { Accept: 'application/json', Authorization: 'Bearer k' } });
    const allowed: OutboundResult = { ok: true, status: 200, headers: {}, body: Buffer.from('{"allowed":true}') };
    answers.forEach((answer) => answer(allowed));
    expect(await Promise.all([first, second, other])).toEqual([{ kind: 'allowed', grant: {} }, { kind: 'allowed', grant: {} }, { kind: 'allowed', grant: {} }]);
    void authorize(query);
    expect(seen).toHaveLength(3);
  });
});
