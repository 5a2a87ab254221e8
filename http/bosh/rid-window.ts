/**
 * Request ids (XEP-0124 §14): requests are processed in `rid` order; a client may have up to
 * `requests` of them outstanding, so a rid up to that far ahead waits for the gap to fill, a
 * rid already seen is a resend (§14.3), and anything further ahead means requests were lost.
 */
export type RidVerdict = 'in-order' | 'ahead' | 'repeat' | 'out-of-window';

/** Where `rid` stands relative to the last rid processed and the window of outstanding requests. */
export function classifyRid(rid: number, lastRid: number, window: number): RidVerdict {
  if (rid <= lastRid) return 'repeat';
  if (rid === lastRid + 1) return 'in-order';
  return rid - lastRid <= window ? 'ahead' : 'out-of-window';
}

/** XEP-0124 §14.1: a rid is a positive integer below 2^53. */
export function parseRid(text: string | undefined): number | undefined {
  if (text === undefined || !/^[0-9]{1,16}$/.test(text)) return undefined;
  const rid = Number(text);
  return rid > 0 && Number.isSafeInteger(rid) ? rid : undefined;
}
