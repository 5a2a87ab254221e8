/** http_admin_api options: config validation of tokens and body limit, through the real config check. */
import { describe, expect, test } from '@jest/globals';
import { validateConfig, VirtualHost } from '../../server/config/index.js';
import { moduleCatalog } from '../../module-catalog.js';
import { tokenDigest } from '../../server/crypto/index.js';

function check(tokens: unknown, extra: Record<string, unknown> = {}): string[] {
  const result = validateConfig({ hosts: [VirtualHost('example.com', { modules_enabled: ['http_admin_api'], http_admin_api_tokens: tokens, ...extra })] }, moduleCatalog, 'salon.config.ts');
  return result.ok ? [] : result.error.map((error) => `${error.option ?? ''}: ${error.message}`);
}

const hash = tokenDigest('t');

describe('http_admin_api_tokens', () => {
  test('a well-formed list passes, and so does none (every request is then refused)', () => {
    expect(check([{ name: 'backend', hash, scopes: ['users:read', 'rooms:write'] }])).toEqual([]);
    expect(check([])).toEqual([]);
  });

  test('an unknown scope is a config error naming the option', () => {
    const errors = check([{ name: 'backend', hash, scopes: ['users:read', 'users:admin'] }]);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/http_admin_api_tokens/);
    expect(errors[0]).toMatch(/users:write/);
  });

  test('a hash that is not sha256:<64 hex>, a missing scope list, an unknown member: config errors', () => {
    expect(check([{ name: 'b', hash: 'plain-token', scopes: ['users:read'] }]).join()).toMatch(/sha256:/);
    expect(check([{ name: 'b', hash: hash.toUpperCase(), scopes: ['users:read'] }])).toHaveLength(1);
    expect(check([{ name: 'b', hash, scopes: [] }])).toHaveLength(1);
    expect(check([{ name: 'b', hash, scopes: ['users:read'], token: 'x' }])).toHaveLength(1);
  });

  test('two tokens with one name or one hash are refused', () => {
    expect(check([{ name: 'b', hash, scopes: ['users:read'] }, { name: 'b', hash: tokenDigest('u'), scopes: ['users:read'] }]).join()).toMatch(/two tokens are named "b"/);
    expect(check([{ name: 'a', hash, scopes: ['users:read'] }, { name: 'b', hash, scopes: ['users:read'] }]).join()).toMatch(/share one hash/);
  });

  test('http_admin_api_max_body is bounded', () => {
    expect(check([], { http_admin_api_max_body: 10 })).toHaveLength(1);
    expect(check([], { http_admin_api_max_body: 4096 })).toEqual([]);
  });
});
