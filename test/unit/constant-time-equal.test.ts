/** Comparing secrets in constant time: equality byte for byte, whatever the lengths. */
import { describe, expect, test } from '@jest/globals';
import { constantTimeEqual } from '../../server/crypto/index.js';

describe('constantTimeEqual', () => {
  test('equal strings and equal buffers match', () => {
    expect(constantTimeEqual('Basic abc=', 'Basic abc=')).toBe(true);
    expect(constantTimeEqual('', '')).toBe(true);
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    // Strings are compared as their UTF-8 bytes.
    expect(constantTimeEqual('é', Buffer.from([0xc3, 0xa9]))).toBe(true);
  });

  test('case, one byte, a prefix or a longer value do not match, and nothing throws on unequal lengths', () => {
    const secret = 'Basic abc=';
    expect(['basic abc=', 'Basic abd=', 'Basic abc', 'Basic abc==', '', `${secret} `].map((given) => constantTimeEqual(given, secret)))
      .toEqual([false, false, false, false, false, false]);
    expect(constantTimeEqual(Buffer.alloc(32), Buffer.alloc(20))).toBe(false);
  });
});
