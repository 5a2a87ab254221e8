/**
 * Readiness (`GET /ready`): the server has started and its storage accepts writes. The storage
 * check writes one small record, at most once per interval, however often it is polled.
 */
import type { StorageDriver } from '../server/storage/index.js';

/** Resolves to undefined when ready, else the reason it is not. */
export type ReadinessCheck = () => Promise<string | undefined>;

export interface StorageProbeOptions {
  /** How long a result is reused. */
  readonly intervalMs?: number;
  /** A write slower than this counts as a failure. */
  readonly timeoutMs?: number;
}

const STORE = 'health';
const KEY = 'ready';

function withDeadline(work: Promise<void>, ms: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve('storage write timed out'), ms);
  });
  const written = work.then(() => undefined, (error: unknown) => `storage is not writable: ${error instanceof Error ? error.message : String(error)}`);
  return Promise.race([written, deadline]).finally(() => clearTimeout(timer));
}

/** A readiness check writing to `host`'s `health` store. */
export function storageReadiness(storage: StorageDriver, host: string, options: StorageProbeOptions = {}): ReadinessCheck {
  const intervalMs = options.intervalMs ?? 5_000;
  const timeoutMs = options.timeoutMs ?? 2_000;
  let last: { at: number; result: Promise<string | undefined> } | undefined;
  return () => {
    const now = Date.now();
    if (last !== undefined && now - last.at < intervalMs) return last.result;
    // `open` of a closed driver throws: the async wrapper turns that into a failed write.
    const write = (async () => storage.open<number>(host, STORE).set(KEY, now))();
    const result = withDeadline(write, timeoutMs);
    last = { at: now, result };
    return result;
  };
}
