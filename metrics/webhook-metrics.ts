/** The webhook queues of every host running `http_webhooks` (`webhookStatsKey`), read when scraped. */
import type { Registry } from 'prom-client';
import type { ModuleContext } from '../server/modules/index.js';
import { webhookStatsKey, type WebhookCounts } from '../webhooks/index.js';
import { counterFrom, gaugeFrom, type PromClient } from './prom-client.js';

function countsByHost(ctx: ModuleContext<unknown>): [string, WebhookCounts][] {
  const counts: [string, WebhookCounts][] = [];
  for (const host of ctx.hosts()) {
    const stats = ctx.service(webhookStatsKey, host);
    if (stats !== undefined) counts.push([host.name, stats.counts()]);
  }
  return counts;
}

type Field = keyof WebhookCounts;

const GAUGES: readonly (readonly [Field, string, string])[] = [
  ['queued', 'salon_mod_http_webhooks__queued', 'Deliveries waiting (in memory, in flight and spilled to storage)'],
  ['spilled', 'salon_mod_http_webhooks__spilled', 'Deliveries waiting in storage because the memory queue was full'],
  ['inFlight', 'salon_mod_http_webhooks__in_flight', 'Delivery requests in flight'],
];

const COUNTERS: readonly (readonly [Field, string, string])[] = [
  ['accepted', 'salon_mod_http_webhooks__accepted_total', 'Deliveries accepted (one per event and endpoint)'],
  ['delivered', 'salon_mod_http_webhooks__delivered_total', 'Deliveries acknowledged with 2xx'],
  ['failed', 'salon_mod_http_webhooks__failures_total', 'Delivery attempts that failed (each retry counts)'],
  ['dead', 'salon_mod_http_webhooks__dead_letters_total', 'Deliveries given up on'],
];

export function registerWebhookMetrics(prom: PromClient, registry: Registry, ctx: ModuleContext<unknown>): void {
  const read = (field: Field) => () => countsByHost(ctx).map(([host, counts]) => [{ host }, counts[field]] as const);
  for (const [field, name, help] of GAUGES) gaugeFrom(prom, registry, { name, help, labelNames: ['host'] }, read(field));
  for (const [field, name, help] of COUNTERS) counterFrom(prom, registry, { name, help, labelNames: ['host'] }, read(field));
}
