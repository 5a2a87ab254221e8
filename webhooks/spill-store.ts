/**
 * Deliveries kept in storage: those the full memory queue could not take, and at shutdown every
 * delivery still pending, so that a restart loses nothing already accepted. One append-only log
 * (`http_webhooks`, key `pending`) whose records are batches of deliveries: overflow arriving in
 * one turn of the event loop costs one append (one fsync with the file driver), and taking
 * deliveries back rewrites the remainder once. Every storage operation runs in one chain, so
 * appends and takes never interleave.
 */
import type { AppendLog } from '../server/storage/index.js';
import type { Logger } from '../server/log/index.js';
import type { WebhookEventType } from './event-types.js';
import type { EventData } from './webhook-event.js';

/** A delivery as stored (the endpoint named by its URL; its key comes from the config on load). */
export interface StoredDelivery {
  readonly id: string;
  readonly type: WebhookEventType;
  readonly occurred_at: number;
  readonly data: EventData;
  readonly url: string;
  readonly attempts: number;
}

const KEY = 'pending';

export class SpillStore {
  readonly #log: AppendLog<StoredDelivery[]>;
  readonly #logger: Logger;
  #chain: Promise<unknown> = Promise.resolve();
  #batch: StoredDelivery[] = [];
  #count = 0;

  constructor(log: AppendLog<StoredDelivery[]>, logger: Logger) {
    this.#log = log;
    this.#logger = logger;
  }

  /** Deliveries in storage or about to be written. */
  get count(): number {
    return this.#count;
  }

  /** Counts what a previous run left (call once, before anything else). */
  load(): Promise<void> {
    return this.#run(async () => {
      this.#count = (await this.#log.read(KEY)).reduce((sum, batch) => sum + batch.length, 0);
    });
  }

  /** Queues one delivery for the next append (made once this turn of the event loop ends). */
  add(delivery: StoredDelivery): void {
    if (this.#batch.length === 0) setImmediate(() => this.#flush());
    this.#batch.push(delivery);
    this.#count += 1;
  }

  /** Removes and returns up to `max` of the oldest stored deliveries. */
  take(max: number): Promise<StoredDelivery[]> {
    this.#flush();
    return this.#run(async () => {
      const all = (await this.#log.read(KEY)).flat();
      const taken = all.slice(0, max);
      const rest = all.slice(max);
      await this.#log.replace(KEY, rest.length === 0 ? [] : [rest]);
      this.#count -= taken.length;
      return taken;
    }, []);
  }

  /** Writes `deliveries` after everything queued; resolves once all is durable. */
  persist(deliveries: readonly StoredDelivery[]): Promise<void> {
    this.#flush();
    if (deliveries.length > 0) {
      this.#count += deliveries.length;
      void this.#run(() => this.#log.append(KEY, [...deliveries]), undefined, deliveries.length);
    }
    return this.#run(async () => undefined);
  }

  #flush(): void {
    if (this.#batch.length === 0) return;
    const batch = this.#batch;
    this.#batch = [];
    void this.#run(() => this.#log.append(KEY, batch), undefined, batch.length);
  }

  /** Runs `step` after every earlier step; a failure is logged and yields `fallback`. */
  #run<T>(step: () => Promise<T>, fallback?: T, lost = 0): Promise<T> {
    const result = this.#chain.then(step).catch((error: unknown) => {
      if (lost > 0) this.#count -= lost;
      this.#logger.error({ err: error, lost }, 'webhook queue storage failed');
      return fallback as T;
    });
    this.#chain = result;
    return result;
  }
}
