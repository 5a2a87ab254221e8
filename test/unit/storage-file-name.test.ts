import { describe, test, expect } from '@jest/globals';
import { decodeName, encodeName } from '../../server/storage/file-name.js';

describe('file-name encoding', () => {
  test.each([
    ['alice', 'alice'],
    ['conference.localhost', 'conference.localhost'],
    ['a_b-c.d', 'a_b-c.d'],
    ['Alice', '%41lice'],
    ['a/b', 'a%2fb'],
    ['a b', 'a%20b'],
    ['100%', '100%25'],
    ['ü', '%c3%bc'],
    ['.', '%2e'],
    ['..', '%2e%2e'],
    ['...', '...'],
    ['', ''],
  ])('%j encodes to %j and back', (name, encoded) => {
    expect(encodeName(name)).toBe(encoded);
    expect(decodeName(encoded)).toBe(name);
  });

  test('encoded names only use [a-z0-9_.-%]', () => {
    const name = 'Ünïcödé / \\ : * ? " < > | \u0000 \u{1F600} CON';
    expect(encodeName(name)).toMatch(/^[a-z0-9_.%-]+$/);
    expect(decodeName(encodeName(name))).toBe(name);
  });

  test.each(['ABC', '%4A', '%4', '%zz', 'a%2eb', '%ff', 'é', '%2E'])('%j is not a name we produce', (encoded) => {
    expect(decodeName(encoded)).toBeUndefined();
  });
});
