/** Telling a handler's synchronous outcome from a pending one, so that sync handlers skip `await`. */

/** True for a promise or any other thenable (a handler may return either). */
export function isPromise<T = unknown>(value: unknown): value is Promise<T> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
