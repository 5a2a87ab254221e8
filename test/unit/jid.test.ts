/** JID parsing and normalisation (RFC 7622). */
import { describe, expect, test } from '@jest/globals';
import { parseJid } from '../../server/jid/index.js';

const valid = (input: string): string => {
  const parsed = parseJid(input);
  if (!parsed.ok) throw new Error(`${input}: ${parsed.error}`);
  return parsed.value.toString();
};

describe('parseJid', () => {
  test.each([
    ['Alice@Example.COM', 'alice@example.com'],
    ['alice@example.com/Res/With/Slashes', 'alice@example.com/Res/With/Slashes'],
    ['alice@example.com/a@b', 'alice@example.com/a@b'],
    ['example.com.', 'example.com'],
    ['ＡＬＩＣＥ@example.com', 'alice@example.com'],
    ['room@conference.example.com/Nick Name', 'room@conference.example.com/Nick Name'],
    ['[::1]', '[::1]'],
    ['bücher.example', 'bücher.example'],
  ])('%s → %s', (input, expected) => {
    expect(valid(input)).toBe(expected);
  });

  test.each([
    ['', 'empty'],
    ['@example.com', 'bad-local'],
    ['alice@', 'bad-domain'],
    ['alice@example.com/', 'bad-resource'],
    ['a@b@c', 'bad-domain'],
    ['al ice@example.com', 'bad-local'],
    ["al'ice@example.com", 'bad-local'],
    ['alice@exa mple.com', 'bad-domain'],
    ['alice@example..com', 'bad-domain'],
    ['alice@example.com/\u0007bell', 'bad-resource'],
    [`${'a'.repeat(1024)}@example.com`, 'bad-local'],
  ])('%s is rejected (%s)', (input, problem) => {
    const parsed = parseJid(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toBe(problem);
  });

  test('bare() drops the resource and is cached', () => {
    const parsed = parseJid('alice@example.com/phone');
    if (!parsed.ok) throw new Error('unexpected');
    expect(parsed.value.bare().toString()).toBe('alice@example.com');
    expect(parsed.value.bare()).toBe(parsed.value.bare());
    expect(parsed.value.isBare).toBe(false);
    expect(parsed.value.bare().equals(parsed.value)).toBe(false);
  });
});
