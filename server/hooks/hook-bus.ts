/**
 * A typed event bus with priorities (Prosody's `module:hook` model).
 *
 * - `fire` runs handlers one at a time, highest priority first. A handler ends the chain by
 *   returning `true` (handled) or a `StanzaError` (veto / error reply, which the caller sends once).
 *   A throwing or timed-out handler fails closed as `internal-server-error`.
 * - `notify` is for past-tense events: every handler runs, errors are logged, nothing is returned.
 *
 * `fire` stays synchronous while handlers are: stanza events run on the hot path, and most
 * handlers there never await.
 */
import { StanzaError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { isPromise } from './is-promise.js';
import { Priority } from './priority.js';

export type HookOutcome = StanzaError | true | undefined | void;
export type HookHandler<P> = (payload: P) => HookOutcome | Promise<HookOutcome>;

interface Registration<P> {
  handler: HookHandler<P>;
  priority: number;
  order: number;
}

export interface FireOptions {
  /** A handler that has not settled by then fails closed (`internal-server-error`). */
  deadlineMs?: number;
}

const FAILED = () => new StanzaError('internal-server-error', 'cancel');
const TIMED_OUT = () => new StanzaError('internal-server-error', 'wait', { text: 'Timed out' });

export class HookBus<Events extends object> {
  readonly #handlers = new Map<keyof Events, Registration<never>[]>();
  readonly #logger: Logger;
  #order = 0;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Registers a handler; returns a function that removes it. */
  on<K extends keyof Events>(name: K, handler: HookHandler<Events[K]>, priority: number = Priority.Default): () => void {
    const list = (this.#handlers.get(name) ?? []) as Registration<Events[K]>[];
    const registration: Registration<Events[K]> = { handler, priority, order: this.#order++ };
    list.push(registration);
    list.sort((a, b) => b.priority - a.priority || a.order - b.order);
    this.#handlers.set(name, list as Registration<never>[]);
    return () => {
      const current = this.#handlers.get(name) as Registration<Events[K]>[] | undefined;
      if (!current) return;
      const index = current.indexOf(registration);
      if (index !== -1) current.splice(index, 1);
      if (current.length === 0) this.#handlers.delete(name);
    };
  }

  has(name: keyof Events): boolean {
    return this.#handlers.has(name);
  }

  /** Runs the chain until a handler returns `true` or a `StanzaError`; see the file comment. */
  fire<K extends keyof Events>(name: K, payload: Events[K], options?: FireOptions): HookOutcome | Promise<HookOutcome> {
    const list = this.#handlers.get(name) as Registration<Events[K]>[] | undefined;
    if (list === undefined) return undefined;
    const snapshot = list.length === 1 ? list : list.slice();
    for (let i = 0; i < snapshot.length; i++) {
      const outcome = this.#call(name, snapshot[i]!, payload);
      if (isPromise<HookOutcome>(outcome)) return this.#continueAsync(name, snapshot, i, outcome, payload, options);
      if (outcome !== undefined) return outcome;
    }
    return undefined;
  }

  /** Fires a past-tense event: every handler runs; failures are logged, never propagated. */
  notify<K extends keyof Events>(name: K, payload: Events[K]): void {
    const list = this.#handlers.get(name) as Registration<Events[K]>[] | undefined;
    if (list === undefined) return;
    for (const registration of list.slice()) {
      const outcome = this.#call(name, registration, payload);
      if (isPromise<HookOutcome>(outcome)) {
        outcome.catch((error: unknown) => this.#logger.error({ err: error, hook: String(name) }, 'hook handler failed'));
      }
    }
  }

  #call<K extends keyof Events>(name: K, registration: Registration<Events[K]>, payload: Events[K]): HookOutcome | Promise<HookOutcome> {
    try {
      return registration.handler(payload);
    } catch (error) {
      this.#logger.error({ err: error, hook: String(name) }, 'hook handler threw');
      return FAILED();
    }
  }

  async #continueAsync<K extends keyof Events>(
    name: K,
    list: Registration<Events[K]>[],
    index: number,
    pending: Promise<HookOutcome>,
    payload: Events[K],
    options: FireOptions | undefined,
  ): Promise<HookOutcome> {
    let outcome = await this.#settle(name, pending, options);
    if (outcome !== undefined) return outcome;
    for (let i = index + 1; i < list.length; i++) {
      const next = this.#call(name, list[i]!, payload);
      outcome = isPromise<HookOutcome>(next) ? await this.#settle(name, next, options) : next;
      if (outcome !== undefined) return outcome;
    }
    return undefined;
  }

  async #settle<K extends keyof Events>(name: K, pending: Promise<HookOutcome>, options: FireOptions | undefined): Promise<HookOutcome> {
    const deadline = options?.deadlineMs;
    let timer: NodeJS.Timeout | undefined;
    try {
      if (deadline === undefined) return await pending;
      const timeout = new Promise<HookOutcome>((resolve) => {
        timer = setTimeout(() => {
          this.#logger.warn({ hook: String(name), deadlineMs: deadline }, 'hook handler missed its deadline');
          resolve(TIMED_OUT());
        }, deadline);
      });
      return await Promise.race([pending, timeout]);
    } catch (error) {
      this.#logger.error({ err: error, hook: String(name) }, 'hook handler rejected');
      return FAILED();
    } finally {
      if (timer !== undefined) clearTimeout(timer);
    }
  }
}
