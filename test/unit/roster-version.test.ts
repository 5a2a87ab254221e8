import { describe, test, expect } from '@jest/globals';
import {
  formatRosterVersion, nextRosterVersion, parseRosterVersion, planRosterGet,
} from '../../roster/roster-version.js';

describe('roster version strings', () => {
  test('a version is its decimal string and parses back', () => {
    expect(formatRosterVersion(0)).toBe('0');
    expect(formatRosterVersion(1234)).toBe('1234');
    expect(parseRosterVersion('1234')).toBe(1234);
    expect(parseRosterVersion(formatRosterVersion(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
  });

  test.each(['', '01', '-1', '1.5', '1e3', ' 1', 'abc', '99999999999999999'])('"%s" is not a version Salon issued', (ver) => {
    expect(parseRosterVersion(ver)).toBeUndefined();
  });

  test('versions only increase', () => {
    expect(nextRosterVersion(0)).toBe(1);
    expect(nextRosterVersion(41)).toBeGreaterThan(41);
  });
});

describe('planRosterGet (RFC 6121 §2.6.3)', () => {
  test('the current version gets an empty result', () => {
    expect(planRosterGet('7', 7)).toEqual({ kind: 'current' });
    expect(planRosterGet('0', 0)).toEqual({ kind: 'current' });
  });

  test('an older version gets the full roster with the current ver (no change log)', () => {
    expect(planRosterGet('6', 7)).toEqual({ kind: 'full', ver: '7' });
  });

  test('an unknown or newer version gets the full roster', () => {
    expect(planRosterGet('8', 7)).toEqual({ kind: 'full', ver: '7' });
    expect(planRosterGet('opaque-from-another-server', 7)).toEqual({ kind: 'full', ver: '7' });
    expect(planRosterGet('07', 7)).toEqual({ kind: 'full', ver: '7' });
  });

  test('an empty ver (nothing cached) and no ver (no versioning) get the full roster', () => {
    expect(planRosterGet('', 0)).toEqual({ kind: 'full', ver: '0' });
    expect(planRosterGet(undefined, 3)).toEqual({ kind: 'full', ver: '3' });
  });
});
