/**
 * The small HTTP-side helpers every listener and plugin shares: percent-encoding, field-value
 * checks, loopback hosts, http(s) URLs and JSON bodies.
 */
import { describe, expect, test } from '@jest/globals';
import { headerValueProblem } from '../../server/net/header-value-problem.js';
import { parseHttpUrl } from '../../server/net/http-url.js';
import { isJsonObject, parseJsonBody } from '../../server/net/json-body.js';
import { isLoopbackHost } from '../../server/net/loopback-host.js';
import { percentEncode } from '../../server/net/percent-encode.js';
import { validateHttpRosterAdminOptions } from '../../roster/plugins/http_roster_admin/options.js';

describe('percentEncode (RFC 3986 §2.1, §2.3)', () => {
  test('keeps exactly the unreserved set: ALPHA, DIGIT and -._~', () => {
    const unreserved = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~';
    expect(percentEncode(unreserved)).toBe(unreserved);
    expect(percentEncode('')).toBe('');
    // Every other printable ASCII character is escaped, sub-delims and gen-delims alike.
    const reserved = ' !"#$%&\'()*+,/:;<=>?@[\\]^`{|}';
    expect(percentEncode(reserved)).toBe([...reserved].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).join(''));
  });

  test('UTF-8 bytes with upper-case hex; controls and DEL too; space is %20, never +', () => {
    expect(percentEncode('é')).toBe('%C3%A9');
    expect(percentEncode('😀')).toBe('%F0%9F%98%80');
    expect(percentEncode('\u0000\u001f\u007f\u0080')).toBe('%00%1F%7F%C2%80');
    expect(percentEncode('a b+c')).toBe('a%20b%2Bc');
  });

  test('a lone surrogate is sent as U+FFFD, the only UTF-8 it has', () => {
    expect(percentEncode('\ud800x')).toBe('%EF%BF%BDx');
  });
});

describe('headerValueProblem (RFC 9110 §5.5)', () => {
  test('a token, a credential with inner spaces or a tab, and non-ASCII text are usable', () => {
    for (const value of ['k', 'Bearer abc.def', 'Basic a\tb', 'Token ünïcode']) expect(headerValueProblem(value)).toBeUndefined();
  });

  test('empty or blank values are refused', () => {
    for (const value of ['', ' ', '\t\t']) expect(headerValueProblem(value)).toBe('is empty');
  });

  test('CR, LF, NUL and other controls are refused', () => {
    for (const value of ['a\rb', 'a\nb', 'a\r\nb', 'a\u0000b', 'a\u001fb', 'a\u007fb']) {
      expect(headerValueProblem(value)).toMatch(/control character/);
    }
  });

  test('leading or trailing whitespace is refused: a received value never carries it', () => {
    for (const value of ['Bearer x ', ' Bearer x', 'Bearer x\t', '\tBearer x']) {
      expect(headerValueProblem(value)).toMatch(/leading or trailing whitespace/);
    }
  });

  test('http_roster_admin refuses a trailing space in either Authorization option (it once accepted one that never matched)', () => {
    const base = { http_roster_url: 'https://app.example/contacts/%s', http_roster_timeout: 10 };
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_admin_authorization_header: 'Bearer k ' }))
      .toBe('option "http_roster_admin_authorization_header" has leading or trailing whitespace, which a received header never has');
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_authorization_header: 'Bearer k ' })).toMatch(/^option "http_roster_authorization_header" has leading/);
    expect(validateHttpRosterAdminOptions({ ...base, http_roster_admin_authorization_header: 'Bearer k' })).toBeUndefined();
  });
});

describe('isLoopbackHost', () => {
  test('localhost names, 127/8, ::1 (bracketed or not) and IPv4-mapped 127/8 stay on the machine', () => {
    for (const host of ['localhost', 'LOCALHOST', 'app.localhost', '127.0.0.1', '127.1.2.3', '[::1]', '::1', '::ffff:127.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(true);
    }
  });

  test('other names and addresses do not', () => {
    for (const host of ['example.com', 'localhost.example.com', '10.0.0.1', '0.0.0.0', '::', '[::2]', '::ffff:10.0.0.1', '128.0.0.1']) {
      expect(isLoopbackHost(host)).toBe(false);
    }
  });

  test('a URL hostname works as given', () => {
    expect(isLoopbackHost(new URL('http://[::1]:8080/x').hostname)).toBe(true);
    expect(isLoopbackHost(new URL('http://Localhost/x').hostname)).toBe(true);
  });
});

describe('parseHttpUrl', () => {
  test('absolute http and https URLs only', () => {
    expect(parseHttpUrl('https://app.example/x?y=1')?.href).toBe('https://app.example/x?y=1');
    expect(parseHttpUrl('HTTP://App.Example')?.origin).toBe('http://app.example');
    for (const text of ['', '/relative', 'app.example/x', 'ftp://app.example/', 'file:///etc/passwd', 'ws://app.example/', 'not a url']) {
      expect(parseHttpUrl(text)).toBeUndefined();
    }
  });
});

describe('parseJsonBody and isJsonObject', () => {
  test('any JSON value parses, from bytes or text', () => {
    expect(parseJsonBody(Buffer.from('{"a":1}'))).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonBody('[1,"x"]')).toEqual({ ok: true, value: [1, 'x'] });
    expect(parseJsonBody(' null ')).toEqual({ ok: true, value: null });
    expect(parseJsonBody(Buffer.from('"é"', 'utf8'))).toEqual({ ok: true, value: 'é' });
  });

  test('empty or unparsable bodies are an error value, never a throw', () => {
    for (const body of ['', '<html>', '{"a":', '{a:1}', "{'a':1}"]) expect(parseJsonBody(body)).toEqual({ ok: false, error: 'not-json' });
  });

  test('an object is neither null nor an array', () => {
    expect([{}, { a: 1 }].map(isJsonObject)).toEqual([true, true]);
    expect([null, [], [1], 'x', 1, true, undefined].map(isJsonObject)).toEqual([false, false, false, false, false, false, false]);
  });
});
