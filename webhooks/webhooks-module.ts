/**
 * `http_webhooks`: signed POSTs (Standard Webhooks 1.0) to the configured endpoints when rooms,
 * occupants and accounts change. The module loads per host, as Prosody modules do: on a
 * VirtualHost it reports its accounts going online and offline, on a MUC service its rooms'
 * events. Enabling it globally (`modules_enabled`) covers both; each host keeps its own queue, in
 * its own storage, and offers its numbers under `webhookStatsKey`. A config reload applies
 * changed options in place (`reconfigure`).
 */
import type { Host } from '../server/host/index.js';
import { defineModule, type ModuleContext } from '../server/modules/index.js';
import { outboundHttpKey } from '../server/net/index.js';
import { DeadLetters } from './dead-letters.js';
import { DeliveryQueue, type DeliveryQueueSettings, type DeliveryTotals } from './delivery-queue.js';
import { endpointOf, messageSelection, type Endpoint, type MessageSelection } from './endpoint.js';
import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from './event-types.js';
import { hookMessageEvents, hookRoomEvents, hookUserEvents, type Accept } from './event-hooks.js';
import { httpWebhooksOptionShape, webhooksOptionsProblem, type HttpWebhooksOptions } from './options.js';
import { SpillStore, type StoredDelivery } from './spill-store.js';
import { createEvent } from './webhook-event.js';
import { webhookStatsKey } from './webhook-stats.js';

/** Totals per host for the life of the process: a reload (unload, load) keeps counting on. */
const totalsByHost = new WeakMap<Host, DeliveryTotals>();

function totalsOf(host: Host): DeliveryTotals {
  let totals = totalsByHost.get(host);
  if (totals === undefined) {
    totals = { accepted: 0, delivered: 0, failed: 0, dead: 0 };
    totalsByHost.set(host, totals);
  }
  return totals;
}

/** What a loaded instance keeps so that a reload can change it in place (`reconfigure`). */
interface Running {
  readonly queue: DeliveryQueue;
  readonly deadLetters: DeadLetters;
  readonly accept: Accept;
  /** Types some endpoint takes: the others are dropped before an event (id, queue entries) is made. */
  wanted: ReadonlySet<WebhookEventType>;
  /** Rooms whose groupchat messages become `message.posted`; undefined when none. */
  messages: MessageSelection | undefined;
  /** Removes the `message.posted` hook while one is on. */
  unhookMessages: (() => void) | undefined;
}

const runningOf = new WeakMap<ModuleContext<HttpWebhooksOptions>, Running>();

function queueSettings(options: HttpWebhooksOptions): DeliveryQueueSettings {
  return {
    capacity: options.http_webhooks_queue_size,
    timeoutMs: options.http_webhooks_timeout * 1000,
    retryForMs: options.http_webhooks_retry_for * 1000,
    baseMs: options.http_webhooks_retry_base * 1000,
    maxDelayMs: options.http_webhooks_retry_max_delay * 1000,
    maxInFlight: options.http_webhooks_max_in_flight,
  };
}

function wantedTypes(endpoints: readonly Endpoint[]): ReadonlySet<WebhookEventType> {
  return new Set(endpoints.flatMap((endpoint) => [...(endpoint.events ?? WEBHOOK_EVENT_TYPES)]));
}

function warnIfNoEndpoint(ctx: ModuleContext<HttpWebhooksOptions>, endpoints: readonly Endpoint[]): void {
  if (endpoints.length === 0) ctx.logger.warn('http_webhooks is loaded but lists no endpoint: no webhook is sent');
}

/** Hooks `message.posted` while some room opted in, and only then (see `hookMessageEvents`). */
function followMessageOptIns(ctx: ModuleContext<HttpWebhooksOptions>, running: Running): void {
  if (ctx.host.kind === 'user') return;
  if (running.messages === undefined) {
    running.unhookMessages?.();
    running.unhookMessages = undefined;
  } else {
    running.unhookMessages ??= hookMessageEvents(ctx.host, running.accept, () => running.messages);
  }
}

async function load(ctx: ModuleContext<HttpWebhooksOptions>): Promise<void> {
  const { options } = ctx;
  const http = ctx.service(outboundHttpKey);
  if (http === undefined) {
    ctx.logger.error('no outbound HTTP client is available on this host: webhooks are not sent');
    return;
  }
  const endpoints = options.http_webhooks.map(endpointOf);
  warnIfNoEndpoint(ctx, endpoints);
  const deadLetters = new DeadLetters(options.http_webhooks_dead_letters);
  const queue = new DeliveryQueue({
    endpoints,
    settings: queueSettings(options),
    http,
    spill: new SpillStore(ctx.logStorage<StoredDelivery[]>('http_webhooks'), ctx.logger),
    deadLetters,
    totals: totalsOf(ctx.host),
    logger: ctx.logger,
    setTimeout: (callback, ms) => ctx.setTimeout(callback, ms),
  });
  await queue.start();
  ctx.onUnload(() => queue.stop());
  ctx.provide(webhookStatsKey, { host: ctx.host.name, counts: () => queue.counts(), deadLetters: () => deadLetters.list() });
  const running: Running = {
    queue, deadLetters,
    accept: (type, room, data) => {
      if (running.wanted.has(type)) queue.accept(createEvent(type, data), room);
    },
    wanted: wantedTypes(endpoints),
    messages: messageSelection(options.http_webhooks_messages, endpoints),
    unhookMessages: undefined,
  };
  runningOf.set(ctx, running);
  ctx.onUnload(() => running.unhookMessages?.());
  // Hooked even while no endpoint is listed, so that a reload adding one needs nothing more.
  if (ctx.host.kind === 'user') hookUserEvents(ctx, running.accept);
  else hookRoomEvents(ctx, running.accept);
  followMessageOptIns(ctx, running);
}

/**
 * A config reload changes every option in place: endpoints (a URL kept keeps its pending
 * deliveries, signed from now on with its new secret), event and room filters, message opt-ins,
 * queue size, in-flight limit, timeouts, retry timings and dead letters kept. Unloading and
 * loading instead would store what is in flight and send it again.
 */
function reconfigure(ctx: ModuleContext<HttpWebhooksOptions>, options: HttpWebhooksOptions): readonly string[] {
  const running = runningOf.get(ctx);
  if (running === undefined) return []; // not running (no outbound HTTP): nothing to change
  const endpoints = options.http_webhooks.map(endpointOf);
  warnIfNoEndpoint(ctx, endpoints);
  running.queue.reconfigure(endpoints, queueSettings(options));
  running.deadLetters.resize(options.http_webhooks_dead_letters);
  running.wanted = wantedTypes(endpoints);
  running.messages = messageSelection(options.http_webhooks_messages, endpoints);
  followMessageOptIns(ctx, running);
  return [];
}

/** The `http_webhooks` module definition, listed in the module catalog. */
export const httpWebhooksModule = defineModule({
  name: 'http_webhooks',
  description: 'Sends signed webhooks (Standard Webhooks) on room, occupant and account events',
  hostKinds: ['user', 'component'],
  options: httpWebhooksOptionShape,
  validate: webhooksOptionsProblem,
  load,
  reconfigure,
});
