/**
 * A list a test waits on: a server callback adds entries (requests a fake backend received), and
 * `waitForCount` resolves once enough have arrived, or fails naming what was expected.
 */
export class Arrivals<T> {
  readonly entries: T[];
  readonly #waiters: (() => void)[] = [];

  constructor(entries: T[]) {
    this.entries = entries;
  }

  add(entry: T): void {
    this.entries.push(entry);
    for (const wake of this.#waiters.splice(0)) wake();
  }

  /** Resolves once `count` entries have arrived in total; `what` names them in the failure. */
  async waitForCount(count: number, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.entries.length < count) {
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`expected ${count} ${what}, got ${this.entries.length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}
