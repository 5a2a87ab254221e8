/** Admin API bearer tokens: generation, digests, the Authorization header check (pure). */
import { describe, expect, test } from '@jest/globals';
import { BearerTokens } from '../../admin/bearer-tokens.js';
import { isJsonContentType, restOf } from '../../admin/admission.js';
import { TOKEN_DIGEST_PATTERN, generateBearerToken, tokenDigest } from '../../server/crypto/index.js';

describe('tokens and digests', () => {
  test('a token carries 256 random bits behind a prefix; its digest is sha256:<hex>', () => {
    const token = generateBearerToken();
    expect(token).toMatch(/^salon_[A-Za-z0-9_-]{43}$/);
    expect(generateBearerToken()).not.toBe(token);
    expect(tokenDigest('abc')).toBe('sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(tokenDigest(token)).toMatch(TOKEN_DIGEST_PATTERN);
  });
});

describe('BearerTokens.check', () => {
  const tokens = new BearerTokens([
    { name: 'backend', hash: tokenDigest('secret-one'), scopes: ['users:read'] },
    { name: 'monitor', hash: tokenDigest('secret-two'), scopes: ['server:read', 'rooms:read'] },
  ]);

  test('a listed token names its entry and scopes; the scheme is case-insensitive', () => {
    const check = tokens.check('Bearer secret-two');
    expect(check.kind).toBe('valid');
    if (check.kind === 'valid') {
      expect(check.caller.token).toBe('monitor');
      expect([...check.caller.scopes]).toEqual(['server:read', 'rooms:read']);
    }
    expect(tokens.check('bEaReR secret-one')).toMatchObject({ kind: 'valid', caller: { token: 'backend' } });
  });

  test('missing, other schemes, unknown tokens and malformed values are refused', () => {
    expect(tokens.check(undefined)).toEqual({ kind: 'missing' });
    expect(tokens.check('')).toEqual({ kind: 'missing' });
    for (const value of ['Basic c2VjcmV0LW9uZQ==', 'Bearer secret-three', 'Bearer', 'Bearer secret one', 'secret-one', 'Bearer secret-one,x']) {
      expect(tokens.check(value)).toEqual({ kind: 'invalid' });
    }
    expect(new BearerTokens([]).check('Bearer secret-one')).toEqual({ kind: 'invalid' });
  });
});

describe('request head helpers', () => {
  test('JSON content types: application/json and +json, parameters ignored', () => {
    for (const type of ['application/json', 'Application/JSON; charset=utf-8', 'application/merge-patch+json']) expect(isJsonContentType(type)).toBe(true);
    for (const type of [undefined, '', 'text/json', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data']) expect(isJsonContentType(type)).toBe(false);
  });

  test('the path below the base, or undefined outside it', () => {
    expect(restOf('/admin/users', '/admin')).toBe('/users');
    expect(restOf('/ops/users', '/ops/')).toBe('/users');
    expect(restOf('/administrator/users', '/admin')).toBeUndefined();
    expect(restOf('/admin', '/admin')).toBeUndefined();
  });
});
