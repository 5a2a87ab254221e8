/**
 * One private registry (DESIGN.md §8: never prom-client's global one, so several servers in one
 * process each report their own): the core's counters, rooms and occupants, outbound HTTP
 * latency, webhook queues, admin API requests, and prom-client's process and Node.js metrics (memory, CPU, file
 * descriptors, event-loop delay from `perf_hooks.monitorEventLoopDelay`, garbage collection).
 */
import type { Registry } from 'prom-client';
import type { ModuleContext } from '../server/modules/index.js';
import { outboundHttpKey } from '../server/net/index.js';
import { registerAdminMetrics } from './admin-metrics.js';
import { registerCoreMetrics } from './core-metrics.js';
import { registerMucMetrics } from './muc-metrics.js';
import { registerOutboundMetrics } from './outbound-metrics.js';
import { loadPromClient } from './prom-client.js';
import { registerWebhookMetrics } from './webhook-metrics.js';

export interface ServerMetrics {
  /** The exposition text, every value read now. */
  render(): Promise<string>;
  readonly contentType: string;
  /** Stops observing outbound requests and empties the registry. */
  close(): void;
}

export async function createServerMetrics(ctx: ModuleContext<unknown>): Promise<ServerMetrics> {
  const prom = await loadPromClient();
  const registry = new prom.Registry();
  prom.collectDefaultMetrics({ register: registry });
  // These build a list of every handle (one per client socket) at each scrape, the largest part of
  // a scrape's cost with many connections; nodejs_active_resources tells the same from names only.
  for (const name of ['nodejs_active_handles', 'nodejs_active_handles_total']) registry.removeSingleMetric(name);
  const live = registerCoreMetrics(prom, registry, ctx.stats);
  registerMucMetrics(prom, registry, ctx);
  registerWebhookMetrics(prom, registry, ctx);
  registerAdminMetrics(prom, registry, ctx);
  const stopObserving = registerOutboundMetrics(prom, registry, ctx.service(outboundHttpKey));
  return {
    render: () => {
      live.startScrape();
      return registry.metrics();
    },
    contentType: registry.contentType,
    close: () => {
      stopObserving();
      registry.clear();
    },
  };
}
