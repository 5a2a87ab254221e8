/**
 * One queue per key: a task runs only after every earlier task for the same key has settled, so
 * writes to one file never overlap and the last one queued wins. Different keys run concurrently.
 * Entries disappear when their queue empties, so the map is bounded by the tasks in flight.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Queues `task` behind the earlier tasks for `key`; settles as the task does. */
  run<R>(key: string, task: () => Promise<R>): Promise<R> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    // An earlier failure was already reported to its own caller; it must not block later tasks.
    const next = previous.then(task, task);
    this.#tails.set(key, next);
    const forget = (): void => {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    };
    next.then(forget, forget);
    return next;
  }

  /** Whether a task for `key` is queued or running (no promise made). */
  busy(key: string): boolean {
    return this.#tails.has(key);
  }

  /**
   * Waits until every task queued so far for `key` has settled; undefined (nothing to wait for,
   * no promise made) when none is queued, which is the common case on the read path.
   */
  settled(key: string): Promise<void> | undefined {
    const tail = this.#tails.get(key);
    return tail === undefined ? undefined : Promise.allSettled([tail]).then(() => undefined);
  }

  /** Waits until no task is queued for any key accepted by `filter` (all keys by default). */
  async drain(filter: (key: string) => boolean = () => true): Promise<void> {
    for (;;) {
      const pending = [...this.#tails].filter(([key]) => filter(key)).map(([, tail]) => tail);
      if (pending.length === 0) return;
      await Promise.allSettled(pending);
    }
  }
}
