/** http_file_share's pure parts: slot tokens, type lists, limits derived from options, sweep cadence. */
import { expect, test } from '@jest/globals';
import { fileShareLimits, typeMatches, validateFileShareOptions } from '../../http/file-share/options.js';
import { sweepInterval } from '../../http/file-share/expiry-sweep.js';
import { createSlotToken, verifySlotToken, type SlotGrant } from '../../http/file-share/slot-token.js';

const SECRET = 'unit-test-secret-0123456789';
const GRANT: SlotGrant = { slot: 'abc', uploader: 'alice@localhost', filename: 'a.png', size: 5, type: 'image/png', expires: 2_000 };

test('a token verifies until it expires, and not with another key or once altered', () => {
  const token = createSlotToken(SECRET, GRANT);
  expect(verifySlotToken(SECRET, token, 2_000)).toEqual({ ok: true, grant: GRANT });
  expect(verifySlotToken(SECRET, token, 2_001)).toEqual({ ok: false, reason: 'expired' });
  expect(verifySlotToken('another-secret-0123456789', token, 0)).toEqual({ ok: false, reason: 'signature' });
  const [payload, signature] = token.split('.');
  const bigger = Buffer.from(JSON.stringify({ ...GRANT, size: 5_000_000 })).toString('base64url');
  expect(verifySlotToken(SECRET, `${bigger}.${signature}`, 0)).toEqual({ ok: false, reason: 'signature' });
  expect(verifySlotToken(SECRET, `${payload}`, 0)).toEqual({ ok: false, reason: 'malformed' });
  expect(verifySlotToken(SECRET, `${token}.x`, 0)).toEqual({ ok: false, reason: 'malformed' });
});

test('types match exactly or by family, case-insensitively', () => {
  expect(typeMatches(['image/*', 'application/pdf'], 'IMAGE/PNG')).toBe(true);
  expect(typeMatches(['image/*', 'application/pdf'], 'application/pdf')).toBe(true);
  expect(typeMatches(['image/*', 'application/pdf'], 'application/zip')).toBe(false);
  expect(typeMatches([], 'text/plain')).toBe(false);
});

test("Prosody's defaults: 10 MiB, ten times that a day, no global quota, a week", () => {
  expect(fileShareLimits({ http_file_share_size_limit: 10 * 1024 * 1024, http_file_share_expires_after: '1w' })).toEqual({
    sizeLimit: 10 * 1024 * 1024, dailyQuota: 100 * 1024 * 1024, globalQuota: Number.POSITIVE_INFINITY, expiresAfterMs: 7 * 86_400_000,
  });
  expect(fileShareLimits({ http_file_share_size_limit: 1, http_file_share_daily_quota: 7, http_file_share_expires_after: 'never' }).expiresAfterMs).toBeUndefined();
  expect(validateFileShareOptions({ http_file_share_expires_after: '3 fortnights' })).toMatch(/^http_file_share_expires_after: /);
});

test('the sweep runs at a quarter of the period, between a second and an hour', () => {
  expect(sweepInterval(1000)).toBe(1000);
  expect(sweepInterval(60_000)).toBe(15_000);
  expect(sweepInterval(7 * 86_400_000)).toBe(3_600_000);
});
