/**
 * `http_webhooks`: signed POSTs (Standard Webhooks 1.0) to the configured endpoints when rooms,
 * occupants and accounts change. The module loads per host, as Prosody modules do: on a
 * VirtualHost it reports its accounts going online and offline, on a MUC service its rooms'
 * events. Enabling it globally (`modules_enabled`) covers both; each host keeps its own queue, in
 * its own storage, and offers its numbers under `webhookStatsKey`.
 */
import type { Host } from '../server/host/index.js';
import { defineModule, type ModuleContext } from '../server/modules/index.js';
import { outboundHttpKey } from '../server/net/index.js';
import { DeadLetters } from './dead-letters.js';
import { DeliveryQueue, type DeliveryTotals } from './delivery-queue.js';
import { endpointOf, messageSelection } from './endpoint.js';
import { WEBHOOK_EVENT_TYPES } from './event-types.js';
import { hookRoomEvents, hookUserEvents, type Accept } from './event-hooks.js';
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

async function load(ctx: ModuleContext<HttpWebhooksOptions>): Promise<void> {
  const { options } = ctx;
  const http = ctx.service(outboundHttpKey);
  if (http === undefined) {
    ctx.logger.error('no outbound HTTP client is available on this host: webhooks are not sent');
    return;
  }
  if (options.http_webhooks.length === 0) ctx.logger.warn('http_webhooks is loaded but lists no endpoint: no webhook is sent');
  const deadLetters = new DeadLetters(options.http_webhooks_dead_letters);
  const endpoints = options.http_webhooks.map(endpointOf);
  const queue = new DeliveryQueue({
    endpoints,
    settings: {
      capacity: options.http_webhooks_queue_size,
      timeoutMs: options.http_webhooks_timeout * 1000,
      retryForMs: options.http_webhooks_retry_for * 1000,
      baseMs: options.http_webhooks_retry_base * 1000,
      maxDelayMs: options.http_webhooks_retry_max_delay * 1000,
      maxInFlight: options.http_webhooks_max_in_flight,
    },
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
  if (endpoints.length === 0) return;
  // Types no endpoint takes are dropped before an event (id, queue entries) is made for them.
  const wanted = new Set(endpoints.flatMap((endpoint) => [...(endpoint.events ?? WEBHOOK_EVENT_TYPES)]));
  const accept: Accept = (type, room, data) => {
    if (wanted.has(type)) queue.accept(createEvent(type, data), room);
  };
  if (ctx.host.kind === 'user') hookUserEvents(ctx, accept);
  else hookRoomEvents(ctx, accept, messageSelection(options.http_webhooks_messages, endpoints));
}

/** The `http_webhooks` module definition, listed in the module catalog. */
export const httpWebhooksModule = defineModule({
  name: 'http_webhooks',
  description: 'Sends signed webhooks (Standard Webhooks) on room, occupant and account events',
  hostKinds: ['user', 'component'],
  options: httpWebhooksOptionShape,
  validate: webhooksOptionsProblem,
  load,
});
