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
 *
 * A config reload changes the endpoints and settings in place (`reconfigure`): a lane is an
 * endpoint's URL, so its pending deliveries stay queued and the next attempt is signed with the
 * endpoint's secret as configured then.
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
  /** Its endpoint's lane: the endpoint (secret, filters) is read from it at each attempt. */
  readonly lane: Lane;
  /** Attempts made so far. */
  attempts: number;
}

export interface DeliveryTotals {
  accepted: number;
  delivered: number;
  failed: number;
  dead: number;
}

/** The deliveries to one endpoint. */
interface Lane {
  /** As configured now; a reload may replace it with one for the same URL (another secret, other filters). */
  endpoint: Endpoint;
  /** The endpoint left the configuration: nothing new comes in, what is in flight finishes. */
  retired: boolean;
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

/** Why the deliveries of an endpoint removed from the configuration are given up. */
const ENDPOINT_GONE = 'endpoint no longer configured';

/** Receivers answer with little; a bigger body is not worth reading. */
const MAX_RESPONSE_BYTES = 64 * 1024;

export class DeliveryQueue {
  readonly #parts: DeliveryQueueParts;
  /** The configured endpoints' lanes, in configuration order (what `accept` walks). */
  #active: Lane[];
  /** Those, and retired lanes until their last request in flight is answered. */
  readonly #lanes = new Set<Lane>();
  #settings: DeliveryQueueSettings;
  #inMemory = 0;
  #pumpScheduled = false;
  /** The refill under way: `stop` waits for it, so that what it took from storage is not lost. */
  #refilling: Promise<void> | undefined;
  #closed = false;

  readonly #totals: DeliveryTotals;

  constructor(parts: DeliveryQueueParts) {
    this.#parts = parts;
    this.#totals = parts.totals;
    this.#settings = parts.settings;
    this.#active = parts.endpoints.map((endpoint) => this.#newLane(endpoint));
  }

  /**
   * A config reload: new settings, and endpoints matched to the lanes by URL. A kept URL keeps
   * its pending deliveries, which go out signed with its new secret; a new URL gets a lane; the
   * deliveries of a URL no longer listed are dead letters (requests in flight finish first, as
   * a restart would find them: `#restore`).
   */
  reconfigure(endpoints: readonly Endpoint[], settings: DeliveryQueueSettings): void {
    this.#settings = settings;
    const unmatched = [...this.#active];
    this.#active = endpoints.map((endpoint) => {
      const index = unmatched.findIndex((lane) => lane.endpoint.url === endpoint.url);
      if (index === -1) return this.#newLane(endpoint);
      const [lane] = unmatched.splice(index, 1);
      lane!.endpoint = endpoint;
      return lane!;
    });
    for (const lane of unmatched) this.#retire(lane);
    // More requests in flight allowed, or a larger memory queue: both act at the next pump.
    this.#schedulePump();
  }

  /** Resumes what a previous run left in storage. */
  async start(): Promise<void> {
    await this.#parts.spill.load();
    this.#refill();
  }

  /** Hot path: queues the event for every endpoint that wants it. */
  accept(event: WebhookEvent, room: string | undefined): void {
    if (this.#closed) return;
    for (const lane of this.#active) {
      if (wants(lane.endpoint, event.type, room)) this.#admit({ event, lane, attempts: 0 });
    }
  }

  counts(): WebhookCounts {
    let inFlight = 0;
    for (const lane of this.#lanes) inFlight += lane.inFlight.size;
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
    for (const lane of this.#lanes) {
      for (const delivery of [...lane.inFlight, ...lane.waiting, ...lane.ready]) pending.push(stored(delivery));
      lane.ready.length = 0;
      lane.inFlight.clear();
      lane.waiting.clear();
    }
    this.#inMemory = 0;
    await this.#parts.spill.persist(pending);
    if (pending.length > 0) this.#parts.logger.info({ pending: pending.length }, 'pending webhook deliveries stored for the next start');
  }

  #newLane(endpoint: Endpoint): Lane {
    const lane: Lane = { endpoint, retired: false, ready: [], inFlight: new Set(), waiting: new Set() };
    this.#lanes.add(lane);
    return lane;
  }

  /** The lane's endpoint left the configuration: what waits is given up now, what is in flight when answered. */
  #retire(lane: Lane): void {
    lane.retired = true;
    for (const delivery of [...lane.ready, ...lane.waiting]) this.#bury(delivery, undefined, ENDPOINT_GONE);
    lane.ready.length = 0;
    lane.waiting.clear();
    if (lane.inFlight.size === 0) this.#lanes.delete(lane);
  }

  #admit(delivery: Delivery): void {
    this.#totals.accepted += 1;
    // While anything waits in storage, newer deliveries queue behind it there.
    if (this.#inMemory >= this.#settings.capacity || this.#parts.spill.count > 0) {
      this.#parts.spill.add(stored(delivery));
      return;
    }
    delivery.lane.ready.push(delivery);
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
    const { maxInFlight } = this.#settings;
    for (const lane of this.#active) {
      while (lane.inFlight.size < maxInFlight && lane.ready.length > 0) this.#send(lane, lane.ready.shift()!);
    }
    this.#refill();
  }

  #send(lane: Lane, delivery: Delivery): void {
    const { event } = delivery;
    const { endpoint } = lane;
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
      timeoutMs: this.#settings.timeoutMs,
      maxBytes: MAX_RESPONSE_BYTES,
      purpose: 'http_webhooks',
    }).then((result) => {
      // Stopped meanwhile: the delivery is in storage already.
      if (this.#closed || !lane.inFlight.delete(delivery)) return;
      if (lane.retired && lane.inFlight.size === 0) this.#lanes.delete(lane);
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
    if (lane.retired) {
      this.#bury(delivery, outcome.status === 0 ? undefined : outcome.status, ENDPOINT_GONE);
      return;
    }
    if (outcome.kind === 'rejected') {
      this.#bury(delivery, outcome.status === 0 ? undefined : outcome.status, outcome.reason);
      return;
    }
    const remaining = delivery.event.occurredAt + this.#settings.retryForMs - Date.now();
    if (remaining <= 0) {
      this.#bury(delivery, outcome.status, `retry window ended (last attempt: ${outcome.reason})`);
      return;
    }
    // The last retry is made when the window ends rather than given up before it.
    const delay = Math.min(remaining, retryDelay(delivery.attempts, this.#settings, outcome.retryAfterMs));
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
      id: delivery.event.id, url: delivery.lane.endpoint.loggableUrl, type: delivery.event.type, status, reason, attempts: delivery.attempts, at: Date.now(),
    };
    this.#parts.deadLetters.add(letter);
    this.#parts.logger.warn({ id: letter.id, url: letter.url, type: letter.type, status, reason, attempts: letter.attempts }, 'webhook delivery given up');
  }

  /** Brings stored deliveries back once the memory queue has drained to half. */
  #refill(): void {
    const { capacity } = this.#settings;
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
    const lane = this.#active.find((candidate) => candidate.endpoint.url === record.url);
    const event: WebhookEvent = { id: record.id, type: record.type, occurredAt: record.occurred_at, data: record.data };
    if (lane === undefined) {
      const url = loggableUrl(record.url);
      this.#totals.dead += 1;
      this.#parts.deadLetters.add({ id: record.id, url, type: record.type, status: undefined, reason: ENDPOINT_GONE, attempts: record.attempts, at: Date.now() });
      this.#parts.logger.warn({ id: record.id, url, type: record.type }, 'webhook delivery given up: its endpoint is no longer configured');
      return;
    }
    lane.ready.push({ event, lane, attempts: record.attempts });
    this.#inMemory += 1;
  }
}

function stored(delivery: Delivery): StoredDelivery {
  const { event } = delivery;
  return { id: event.id, type: event.type as WebhookEventType, occurred_at: event.occurredAt, data: event.data, url: delivery.lane.endpoint.url, attempts: delivery.attempts };
}
