/**
 * The disk syncs of the archive environment, run beside its commits rather than between them.
 * The environment is opened with `noSync`: a commit writes to the operating system's page cache
 * and returns, so it never waits for the disk. After commits, one sync (`fdatasync` on a thread of
 * the pool) follows; commits made while it runs share the next one. lmdb-js's own `overlappingSync`
 * also syncs after the commit, but a commit there waits for the previous commit's sync: every
 * archived message then waited about one fsync (measured: 7 ms median, 3,600 appends/s from 50
 * writers, against 1.5 ms and 12,000–23,000 appends/s with the syncs beside the commits).
 * Syncs follow each other at least `SYNC_GAP_MS` apart: under a steady load each one writes out the
 * pages of many commits rather than the same pages again (the `msg` bench ran a fifth faster).
 */

/** The least time from the end of one sync to the start of the next: a power loss costs at most about this much (plus the sync). */
const SYNC_GAP_MS = 50;

/** Syncs the environment's file to disk, then calls `done` (with the error, if any). */
export type SyncEnvironment = (done: (error?: unknown) => void) => void;

interface Waiter {
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BackgroundSync {
  readonly #sync: SyncEnvironment;
  readonly #onError: (error: unknown) => void;
  #running = false;
  /** Commits were made since the running sync started: another one follows it. */
  #pending = false;
  /** `durable()` callers waiting for the next sync to start (and finish). */
  #waiting: Waiter[] = [];
  #stopped = false;

  /** `onError`: a failed sync not awaited by anyone (logged; the next commit's sync tries again). */
  constructor(sync: SyncEnvironment, onError: (error: unknown) => void) {
    this.#sync = sync;
    this.#onError = onError;
  }

  /** Commits were made: a sync follows (at once, or `SYNC_GAP_MS` after the one running). */
  request(): void {
    this.#pending = true;
    this.#start();
  }

  /** Resolves once everything committed before the call is on disk. */
  durable(): Promise<void> {
    if (this.#stopped) return Promise.resolve(); // the last sync ran on `stop()`
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.request();
    });
  }

  /** Runs a last sync of everything committed, then syncs no more (before the environment closes). */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    await this.durable();
    this.#stopped = true;
  }

  #start(): void {
    if (this.#running || !this.#pending || this.#stopped) return;
    this.#running = true;
    this.#pending = false;
    const waiters = this.#waiting;
    this.#waiting = [];
    this.#sync((error) => {
      if (error === undefined || error === null) {
        for (const waiter of waiters) waiter.resolve();
      } else if (waiters.length === 0) {
        this.#onError(error);
      } else {
        for (const waiter of waiters) waiter.reject(error);
      }
      setTimeout(() => {
        this.#running = false;
        this.#start();
      }, SYNC_GAP_MS);
    });
  }
}
