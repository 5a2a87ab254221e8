/**
 * At most one roster fetch per user in flight (spec §3.5 [IMPROVEMENT]): a request for the
 * roster joins the fetch already running, and a refresh arriving meanwhile queues exactly one
 * more fetch that starts when the running one ends — its result, applied last, wins. Further
 * refreshes while that one is queued join it.
 */

interface Slot<T> {
  /** The fetch in flight. */
  running: Promise<T>;
  /** The one fetch waiting for it to end, with the way to settle its callers. */
  queued: { readonly promise: Promise<T>; readonly resolve: (value: Promise<T>) => void } | undefined;
}

export class CoalescedFetches<T> {
  readonly #fetch: (key: string) => Promise<T>;
  // One entry per user with a fetch in flight: bounded by the fetches the server has started.
  readonly #slots = new Map<string, Slot<T>>();

  /** `fetch` must not reject: failures are values of `T`. */
  constructor(fetch: (key: string) => Promise<T>) {
    this.#fetch = fetch;
  }

  /** True while a fetch for `key` is running or queued. */
  isPending(key: string): boolean {
    return this.#slots.has(key);
  }

  /** The outcome of the latest fetch for `key` already running or queued; a new fetch when none is. */
  join(key: string): Promise<T> {
    const slot = this.#slots.get(key);
    if (slot === undefined) return this.#launch(key);
    return slot.queued?.promise ?? slot.running;
  }

  /** The outcome of a fetch that starts no earlier than now. */
  again(key: string): Promise<T> {
    const slot = this.#slots.get(key);
    if (slot === undefined) return this.#launch(key);
    if (slot.queued === undefined) {
      let resolve: (value: Promise<T>) => void = () => undefined;
      const promise = new Promise<T>((settle) => {
        resolve = settle;
      });
      slot.queued = { promise, resolve };
    }
    return slot.queued.promise;
  }

  #launch(key: string): Promise<T> {
    const running = this.#fetch(key);
    this.#slots.set(key, { running, queued: undefined });
    this.#whenSettled(key, running);
    return running;
  }

  /** The running fetch ended: start the queued one, or forget the key. */
  #next(key: string): void {
    const slot = this.#slots.get(key);
    if (slot === undefined) return;
    const queued = slot.queued;
    if (queued === undefined) {
      this.#slots.delete(key);
      return;
    }
    slot.queued = undefined;
    slot.running = this.#fetch(key);
    queued.resolve(slot.running);
    this.#whenSettled(key, slot.running);
  }

  #whenSettled(key: string, running: Promise<T>): void {
    const next = (): void => this.#next(key);
    running.then(next, next);
  }
}
