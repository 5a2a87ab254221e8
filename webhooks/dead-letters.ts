/**
 * Deliveries given up on: the receiver refused them for good (a 4xx other than 408 and 429) or
 * the retry window ended. Each is logged at warn when it dies; the most recent are kept here, in
 * memory and bounded, for inspection (`WebhookStats.deadLetters`).
 */
import type { WebhookEventType } from './event-types.js';

export interface DeadLetter {
  /** The `webhook-id`. */
  readonly id: string;
  /** The endpoint's URL without query or fragment. */
  readonly url: string;
  readonly type: WebhookEventType;
  /** The last HTTP status, when the last attempt got an answer. */
  readonly status: number | undefined;
  /** Why it was given up: `HTTP 404`, `retry window ended after timeout`, … */
  readonly reason: string;
  readonly attempts: number;
  /** When it was given up (ms since the epoch). */
  readonly at: number;
}

/** A ring of the `capacity` most recent dead letters. */
export class DeadLetters {
  #capacity: number;
  #letters: DeadLetter[] = [];
  #next = 0;

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  add(letter: DeadLetter): void {
    if (this.#capacity === 0) return;
    if (this.#letters.length < this.#capacity) this.#letters.push(letter);
    else this.#letters[this.#next] = letter;
    this.#next = (this.#next + 1) % this.#capacity;
  }

  /** A config reload changed `http_webhooks_dead_letters`: the most recent `capacity` stay. */
  resize(capacity: number): void {
    const kept = capacity === 0 ? [] : this.list().slice(-capacity);
    this.#capacity = capacity;
    this.#letters = kept;
    // Below capacity the ring fills by appending; full, its oldest entry is at 0.
    this.#next = capacity === 0 ? 0 : kept.length % capacity;
  }

  /** Oldest first. */
  list(): readonly DeadLetter[] {
    if (this.#letters.length < this.#capacity) return [...this.#letters];
    return [...this.#letters.slice(this.#next), ...this.#letters.slice(0, this.#next)];
  }
}
