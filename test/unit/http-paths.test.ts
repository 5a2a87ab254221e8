import { describe, expect, test } from '@jest/globals';
import { hostNameOf } from '../../http/host-header.js';
import { basePathFor, resolvePath } from '../../http/route-path.js';

describe('Host header names', () => {
  test.each([
    ['Example.ORG:5280', 'example.org'],
    ['example.org', 'example.org'],
    ['[::1]:5281', '[::1]'],
    ['[2001:DB8::1]', '[2001:db8::1]'],
    ['127.0.0.1:80', '127.0.0.1'],
    [' localhost ', 'localhost'],
    [undefined, ''],
  ])('%p names %p', (header, name) => {
    expect(hostNameOf(header)).toBe(name);
  });
});

describe('route paths and http_paths', () => {
  const paths = { muc_kick: '/kick', roster_admin: '/admin/roster/', bosh: '/', escaped: '/a:b(c)' };

  test('a path without a name is published as written', () => {
    expect(resolvePath({ path: '/health-extra' }, paths)).toEqual({ ok: true, value: { published: '/health-extra', pattern: '/health-extra', isPrefix: false } });
  });

  test('http_paths replaces the base of a named route, sub-paths and prefixes included', () => {
    expect(resolvePath({ path: '/muc_kick', name: 'muc_kick' }, paths)).toMatchObject({ ok: true, value: { published: '/kick' } });
    expect(resolvePath({ path: '/roster_admin/refresh', name: 'roster_admin' }, paths))
      .toMatchObject({ ok: true, value: { published: '/admin/roster/refresh' } });
    expect(resolvePath({ path: '/roster_admin/refresh/*', name: 'roster_admin' }, paths))
      .toEqual({ ok: true, value: { published: '/admin/roster/refresh/*', pattern: '/admin/roster/refresh/{*rest}', isPrefix: true } });
    expect(resolvePath({ path: '/http-bind', name: 'bosh', basePath: '/http-bind' }, paths)).toMatchObject({ ok: true, value: { published: '/' } });
    expect(resolvePath({ path: '/roster_admin/x', name: 'roster_admin' }, {})).toMatchObject({ ok: true, value: { published: '/roster_admin/x' } });
  });

  test('characters the router would interpret are matched literally', () => {
    expect(resolvePath({ path: '/escaped', name: 'escaped' }, paths)).toMatchObject({ ok: true, value: { published: '/a:b(c)', pattern: '/a\\:b\\(c\\)' } });
  });

  test('malformed paths and paths outside their base are refused', () => {
    for (const path of ['muc_kick', '/a b', '/a?x', '/a/*/b', '/a%20', '/a*']) {
      expect(resolvePath({ path }, paths)).toMatchObject({ ok: false });
    }
    expect(resolvePath({ path: '/muc_kicker', name: 'muc_kick' }, paths)).toEqual({ ok: false, error: 'route path "/muc_kicker" does not start with its base "/muc_kick"' });
  });

  test('the base of a short name', () => {
    expect(basePathFor('muc_kick', paths)).toBe('/kick');
    expect(basePathFor('websocket', paths, '/xmpp-websocket')).toBe('/xmpp-websocket');
    expect(basePathFor('other', paths)).toBe('/other');
  });
});
