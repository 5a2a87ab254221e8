/**
 * Runs one user's conversions one after the other: each reads one side and writes the other, so
 * two running at once for the same user could write an older avatar over a newer one. Users do
 * not wait for each other. An entry lives only while work for its user is pending.
 */
export class PerUserQueue {
  readonly #tails = new Map<string, Promise<void>>();
  readonly #onError: (error: unknown) => void;

  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Runs `work` after the user's earlier work; resolves when it is done (failures go to `onError`). */
  run(username: string, work: () => Promise<void>): Promise<void> {
    const previous = this.#tails.get(username) ?? Promise.resolve();
    const tail = previous.then(work).catch(this.#onError);
    this.#tails.set(username, tail);
    void tail.then(() => {
      if (this.#tails.get(username) === tail) this.#tails.delete(username);
    });
    return tail;
  }

  /** How many users have work pending. */
  get size(): number {
    return this.#tails.size;
  }
}
