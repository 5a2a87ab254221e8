/**
 * `http_openmetrics` (Prosody 0.12's name): Prometheus metrics at `GET /metrics` on the HTTP
 * listener, for clients on an allowed address or bearing the configured token. Loaded on a
 * VirtualHost (globally in `modules_enabled` in practice); the numbers are the whole server's.
 */
import { httpServiceKey } from '../http/index.js';
import { defineModule, type ModuleContext } from '../server/modules/index.js';
import { MetricsAccess } from './metrics-access.js';
import { createServerMetrics } from './metrics-registry.js';
import { metricsRoute, type AccessHolder } from './metrics-route.js';
import { httpOpenmetricsOptionShape, openmetricsOptionsProblem, type HttpOpenmetricsOptions } from './options.js';

/** Each loaded instance's access rules, replaced in place by a reload (the registry and its histograms stay). */
const accessOf = new WeakMap<ModuleContext<HttpOpenmetricsOptions>, AccessHolder>();

async function load(ctx: ModuleContext<HttpOpenmetricsOptions>): Promise<void> {
  const routes = ctx.service(httpServiceKey);
  if (routes === undefined) {
    ctx.logger.error('no HTTP listener is available on this host: /metrics is not served');
    return;
  }
  const metrics = await createServerMetrics(ctx);
  const holder: AccessHolder = { access: new MetricsAccess(ctx.options) };
  accessOf.set(ctx, holder);
  ctx.onUnload(() => metrics.close());
  ctx.onUnload(routes.addRoute(metricsRoute(metrics, holder)));
}

function reconfigure(ctx: ModuleContext<HttpOpenmetricsOptions>, options: HttpOpenmetricsOptions): readonly string[] {
  const holder = accessOf.get(ctx);
  if (holder !== undefined) holder.access = new MetricsAccess(options);
  return [];
}

export const httpOpenmetricsModule = defineModule({
  name: 'http_openmetrics',
  description: 'Prometheus metrics (connections, stanzas, auth, rooms, outbound HTTP, webhooks, process) at GET /metrics',
  options: httpOpenmetricsOptionShape,
  validate: openmetricsOptionsProblem,
  load,
  reconfigure,
});
