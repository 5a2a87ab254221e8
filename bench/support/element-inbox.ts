/**
 * The elements a bench client's stream delivers and the one reader waiting for the next: what
 * `LoadClient` and `SmClient` share. A waiting reader gets an element first, then the client's
 * `onStanza`, else it is kept (bounded) for a later `next`.
 */

export interface Received {
  name: string;
  xml: string;
}

interface Waiter {
  resolve(received: Received): void;
  reject(error: Error): void;
  timer: NodeJS.Timeout;
}

export const INBOX_LIMIT = 10_000;

export class ElementInbox {
  readonly #timeoutMs: number;
  readonly #items: Received[] = [];
  #waiter: Waiter | undefined;
  #ended: string | undefined;

  constructor(timeoutMs: number) {
    this.#timeoutMs = timeoutMs;
  }

  /** Why the stream ended, once it has. */
  get ended(): string | undefined {
    return this.#ended;
  }

  /** Hands an element to the waiting reader, else to `onStanza`, else keeps it. */
  deliver(received: Received, onStanza: ((xml: string, name: string) => void) | undefined): void {
    const waiter = this.#waiter;
    if (waiter !== undefined) {
      this.#waiter = undefined;
      clearTimeout(waiter.timer);
      waiter.resolve(received);
    } else if (onStanza !== undefined) {
      onStanza(received.xml, received.name);
    } else if (this.#items.length < INBOX_LIMIT) {
      this.#items.push(received);
    }
  }

  /**
   * Records the first reason the stream ended (true for that first one) and fails a waiting reader
   * with it (one may still wait after `markEnded`).
   */
  end(reason: string): boolean {
    const first = this.#ended === undefined;
    this.#ended ??= reason;
    const waiter = this.#waiter;
    this.#waiter = undefined;
    if (waiter !== undefined) {
      clearTimeout(waiter.timer);
      waiter.reject(new Error(this.#ended));
    }
    return first;
  }

  /** Records why the client itself ended the stream, leaving a waiting reader to its timeout. */
  markEnded(reason: string): void {
    this.#ended ??= reason;
  }

  /** Waits for the next element; fails on timeout or when the stream ends. */
  next(): Promise<Received> {
    const queued = this.#items.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.#ended !== undefined) return Promise.reject(new Error(this.#ended));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiter = undefined;
        reject(new Error(`no answer from the server within ${this.#timeoutMs} ms`));
      }, this.#timeoutMs);
      this.#waiter = { resolve, reject, timer };
    });
  }

  /** Waits for an element named `name`; anything else is an error carrying what arrived. */
  async expect(name: string): Promise<string> {
    const received = await this.next();
    if (received.name !== name) throw new Error(`expected <${name}>, got ${received.xml.slice(0, 400)}`);
    return received.xml;
  }
}
