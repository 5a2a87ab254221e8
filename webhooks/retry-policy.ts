/**
 * What an attempt's outcome means and when to try again (pure). Following the Standard Webhooks
 * recommendations: 2xx is success; 408, 429 and every other status, timeouts and network errors
 * are retried; any other 4xx (410 Gone included) says the receiver will never take this
 * delivery, so it is a dead letter at once. Waits use exponential backoff with full jitter: the
 * n-th retry waits a uniform random time in [0, min(maxDelay, base * 2^(n-1))], so a receiver
 * that comes back is not hit by every queued delivery at the same instant. A `Retry-After`
 * (seconds) on 429 or 503 is honoured, up to `maxDelay`.
 */

export type AttemptOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | { readonly kind: 'retry'; readonly status: number | undefined; readonly reason: string; readonly retryAfterMs: number | undefined }
  | { readonly kind: 'rejected'; readonly status: number; readonly reason: string };

/** The answer (or failure) of one attempt, as the outbound client reports it. */
export type AttemptResult =
  | { readonly ok: true; readonly status: number; readonly headers: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly reason: string; readonly detail: string };

export function classifyAttempt(result: AttemptResult): AttemptOutcome {
  if (!result.ok) {
    // A URL the client refuses never becomes valid by waiting.
    if (result.reason === 'invalid-url') return { kind: 'rejected', status: 0, reason: result.reason };
    return { kind: 'retry', status: undefined, reason: result.reason, retryAfterMs: undefined };
  }
  const { status } = result;
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  if (status >= 400 && status < 500 && status !== 408 && status !== 429) return { kind: 'rejected', status, reason: `HTTP ${status}` };
  const retryAfterMs = status === 429 || status === 503 ? retryAfter(result.headers['retry-after']) : undefined;
  return { kind: 'retry', status, reason: `HTTP ${status}`, retryAfterMs };
}

/** `Retry-After` in delta-seconds (the HTTP-date form is ignored: the backoff applies instead). */
function retryAfter(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,9}$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

export interface BackoffSettings {
  readonly baseMs: number;
  readonly maxDelayMs: number;
}

/** The longest wait before retry number `retry` (1 for the first retry). */
export function backoffCeiling(retry: number, settings: BackoffSettings): number {
  // 2^30 overflows nothing and is far beyond any maxDelay: clamp the exponent first.
  return Math.min(settings.maxDelayMs, settings.baseMs * 2 ** Math.min(Math.max(retry - 1, 0), 30));
}

/** The wait before retry number `retry`: full jitter, or the receiver's Retry-After when it gave one. */
export function retryDelay(retry: number, settings: BackoffSettings, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, settings.maxDelayMs);
  return Math.floor(random() * backoffCeiling(retry, settings));
}
