/**
 * The deliveries of one host: one lane per endpoint, a bound on what is kept in memory (beyond
 * it, deliveries wait in storage and come back when the memory queue has drained to half), at
 * most `maxInFlight` requests per endpoint, retries with backoff for a bounded window, dead
 * letters.
 *
 * `accept` runs on the hot path: it only appends to an array and schedules one pump per turn of
 * the event loop; signing, serialising and sending happen in the pump. Order per endpoint is not
 * guaranteed: up to `maxInFlight` requests run at once, and a retried delivery goes out after
 * later ones. Receivers order by the payload's `timestamp` and deduplicate by `webhook-id`
 * (delivery is at least once: a request in flight at shutdown is sent again after the restart).
 */
import type { Logger } from '../server/log/index.js';
import type { OutboundHttp } from '../server/net/index.js';
import type { DeadLetters } from './dead-letters.js';
import { loggableUrl, wants, type Endpoint } from './endpoint.js';
import type { WebhookEventType } from './event-types.js';
import { classifyAttempt, retryDelay, type AttemptOutcome, type BackoffSettings } from './retry-policy.js';
import { signWebhook } from './signature.js';
import type { SpillStore, StoredDelivery } from './spill-store.js';
import { eventBody, type WebhookEvent } from './webhook-event.js';
import type { WebhookCounts } from './webhook-stats.js';

interface Delivery {
  readonly event: WebhookEvent;
  readonly endpoint: Endpoint;
  /** Attempts made so far. */
  attempts: number;
}

export interface DeliveryTotals {
  accepted: number;
  delivered: number;
  failed: number;
  dead: number;
}

interface Lane {
  readonly ready: Delivery[];
  readonly inFlight: Set<Delivery>;
  readonly waiting: Set<Delivery>;
}

export interface DeliveryQueueSettings extends BackoffSettings {
  readonly capacity: number;
  readonly timeoutMs: number;
  readonly retryForMs: number;
  readonly maxInFlight: number;
}

export interface DeliveryQueueParts {
  readonly endpoints: readonly Endpoint[];
  readonly settings: DeliveryQueueSettings;
  readonly http: OutboundHttp;
  readonly spill: SpillStore;
  readonly deadLetters: DeadLetters;
  readonly logger: Logger;
  /** Running totals, kept by the caller so that they outlive a reload of the module (metrics counters never go down). */
  readonly totals: DeliveryTotals;
  /** The module's timers (cleared when it unloads). */
  readonly setTimeout: (callback: () => void, ms: number) => unknown;
}

/** Receivers answer with little; a bigger body is not worth reading. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class DeliveryQueue {
  readonly #parts: DeliveryQueueParts;
  readonly #lanes = new Map<Endpoint, Lane>();
  #inMemory = 0;
  #pumpScheduled = false;
  /** The refill under way: `stop` waits for it, so that what it took from storage is not lost. */
  #refilling: Promise<void> | undefined;
  #closed = false;

  readonly #totals: DeliveryTotals;

  constructor(parts: DeliveryQueueParts) {
    this.#parts = parts;
    this.#totals = parts.totals;
    for (const endpoint of parts.endpoints) this.#lanes.set(endpoint, { ready: [], inFlight: new Set(), waiting: new Set() });
  }

  /** Resumes what a previous run left in storage. */
  async start(): Promise<void> {
    await this.#parts.spill.load();
    this.#refill();
  }

  /** Hot path: queues the event for every endpoint that wants it. */
  accept(event: WebhookEvent, room: string | undefined): void {
    if (this.#closed) return;
    for (const endpoint of this.#parts.endpoints) {
      if (wants(endpoint, event.type, room)) this.#admit({ event, endpoint, attempts: 0 });
    }
  }

  counts(): WebhookCounts {
    let inFlight = 0;
    for (const lane of this.#lanes.values()) inFlight += lane.inFlight.size;
    const spilled = this.#parts.spill.count;
    return {
      queued: this.#inMemory + spilled, spilled, inFlight,
      ...this.#totals,
    };
  }

  /**
   * Stops sending and writes every pending delivery to storage (those in flight too: their
   * answers are ignored from now on, so they are sent again after a restart).
   */
  async stop(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#refilling;
    const pending: StoredDelivery[] = [];
    for (const lane of this.#lanes.values()) {
      for (const delivery of [...lane.inFlight, ...lane.waiting, ...lane.ready]) pending.push(stored(delivery));
      lane.ready.length = 0;
      lane.inFlight.clear();
      lane.waiting.clear();
    }
    this.#inMemory = 0;
    await this.#parts.spill.persist(pending);
    if (pending.length > 0) this.#parts.logger.info({ pending: pending.length }, 'pending webhook deliveries stored for the next start');
  }

  #admit(delivery: Delivery): void {
    this.#totals.accepted += 1;
    // While anything waits in storage, newer deliveries queue behind it there.
    if (this.#inMemory >= this.#parts.settings.capacity || this.#parts.spill.count > 0) {
      this.#parts.spill.add(stored(delivery));
      return;
    }
    this.#lanes.get(delivery.endpoint)!.ready.push(delivery);
    this.#inMemory += 1;
    this.#schedulePump();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    if (this.#closed) return;
    for (const lane of this.#lanes.values()) {
      while (lane.inFlight.size < this.#parts.settings.maxInFlight && lane.ready.length > 0) this.#send(lane, lane.ready.shift()!);
    }
    this.#refill();
  }

  #send(lane: Lane, delivery: Delivery): void {
    const { event, endpoint } = delivery;
    const body = eventBody(event);
    // Standard Webhooks: the timestamp is the attempt's, so each retry is signed afresh.
    const timestamp = Math.floor(Date.now() / 1000);
    lane.inFlight.add(delivery);
    delivery.attempts += 1;
    void this.#parts.http.request({
      url: endpoint.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'webhook-id': event.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signWebhook(endpoint.key, event.id, timestamp, body),
      },
      // undici's fetch sends a Buffer as it is; a string costs a stream conversion per request.
      body: Buffer.from(body),
      timeoutMs: this.#parts.settings.timeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
      purpose: 'http_webhooks',
    }).then((result) => {
      // Stopped meanwhile: the delivery is in storage already.
      if (this.#closed || !lane.inFlight.delete(delivery)) return;
      this.#settle(lane, delivery, classifyAttempt(result));
      this.#schedulePump();
    });
  }

  #settle(lane: Lane, delivery: Delivery, outcome: AttemptOutcome): void {
    if (outcome.kind === 'delivered') {
      this.#totals.delivered += 1;
      this.#inMemory -= 1;
      return;
    }
    this.#totals.failed += 1;
    if (outcome.kind === 'rejected') {
      this.#bury(delivery, outcome.status === 0 ? undefined : outcome.status, outcome.reason);
      return;
    }
    const remaining = delivery.event.occurredAt + this.#parts.settings.retryForMs - Date.now();
    if (remaining <= 0) {
      this.#bury(delivery, outcome.status, `retry window ended (last attempt: ${outcome.reason})`);
      return;
    }
    // The last retry is made when the window ends rather than given up before it.
    const delay = Math.min(remaining, retryDelay(delivery.attempts, this.#parts.settings, outcome.retryAfterMs));
    lane.waiting.add(delivery);
    this.#parts.setTimeout(() => {
      if (!lane.waiting.delete(delivery)) return;
      lane.ready.push(delivery);
      this.#schedulePump();
    }, delay);
  }

  #bury(delivery: Delivery, status: number | undefined, reason: string): void {
    this.#totals.dead += 1;
    this.#inMemory -= 1;
    const letter = {
      id: delivery.event.id, url: delivery.endpoint.loggableUrl, type: delivery.event.type, status, reason, attempts: delivery.attempts, at: Date.now(),
    };
    this.#parts.deadLetters.add(letter);
    this.#parts.logger.warn({ id: letter.id, url: letter.url, type: letter.type, status, reason, attempts: letter.attempts }, 'webhook delivery given up');
  }

  /** Brings stored deliveries back once the memory queue has drained to half. */
  #refill(): void {
    const { capacity } = this.#parts.settings;
    if (this.#refilling !== undefined || this.#closed || this.#parts.spill.count === 0 || this.#inMemory > capacity / 2) return;
    this.#refilling = this.#parts.spill.take(capacity - this.#inMemory).then(async (deliveries) => {
      this.#refilling = undefined;
      // Stopped meanwhile: put them back before `stop` writes the rest.
      if (this.#closed) return this.#parts.spill.persist(deliveries);
      for (const record of deliveries) this.#restore(record);
      this.#schedulePump();
      return undefined;
    });
  }

  #restore(record: StoredDelivery): void {
    const endpoint = this.#parts.endpoints.find((candidate) => candidate.url === record.url);
    const event: WebhookEvent = { id: record.id, type: record.type, occurredAt: record.occurred_at, data: record.data };
    if (endpoint === undefined) {
      const url = loggableUrl(record.url);
      this.#totals.dead += 1;
      this.#parts.deadLetters.add({ id: record.id, url, type: record.type, status: undefined, reason: 'endpoint no longer configured', attempts: record.attempts, at: Date.now() });
      this.#parts.logger.warn({ id: record.id, url, type: record.type }, 'webhook delivery given up: its endpoint is no longer configured');
      return;
    }
    this.#lanes.get(endpoint)!.ready.push({ event, endpoint, attempts: record.attempts });
    this.#inMemory += 1;
  }
}

function stored(delivery: Delivery): StoredDelivery {
  const { event } = delivery;
  return { id: event.id, type: event.type as WebhookEventType, occurred_at: event.occurredAt, data: event.data, url: delivery.endpoint.url, attempts: delivery.attempts };
}
