/**
 * Latency of outbound HTTP requests per plugin (`muc_http_auth`, `http_roster_admin`,
 * `http_webhooks`): a histogram fed by an observer on the one outbound client. Unlike the core's
 * counters it is updated per request, which is fine: these requests are few and slow next to stanzas.
 */
import type { Registry } from 'prom-client';
import type { OutboundHttp } from '../server/net/index.js';
import type { PromClient } from './prom-client.js';

/** Seconds: from a local authorizer's few milliseconds to the longest deadlines plugins allow. */
const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

/** Registers the histogram and starts observing; returns the function that stops observing. */
export function registerOutboundMetrics(prom: PromClient, registry: Registry, outbound: OutboundHttp | undefined): () => void {
  const histogram = new prom.Histogram({
    name: 'salon_outbound_http__request_duration_seconds',
    help: 'Outbound HTTP requests by the plugin that made them and their outcome (HTTP status, or failure reason)',
    labelNames: ['plugin', 'outcome'],
    buckets: BUCKETS,
    registers: [registry],
  });
  const stop = outbound?.observe?.((done) => histogram.observe({ plugin: done.purpose, outcome: done.outcome }, done.seconds));
  return stop ?? (() => undefined);
}
