/**
 * Comparing secrets (passwords, Authorization values, SCRAM keys) without leaking through timing
 * how much of them matched (DESIGN.md §5).
 */
import { createHash, timingSafeEqual } from 'node:crypto';

function digest(value: string | Buffer): Buffer {
  return createHash('sha256').update(value).digest();
}

/**
 * True when `given` equals `expected` byte for byte (strings as UTF-8). Both are hashed to
 * fixed-length digests first, so `timingSafeEqual` always gets equal lengths and neither the
 * content nor the length of the expected value shows in the time taken.
 */
export function constantTimeEqual(given: string | Buffer, expected: string | Buffer): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}
