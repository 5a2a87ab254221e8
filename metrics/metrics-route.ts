/**
 * `GET /metrics` (Prosody's `http_paths` name `metrics`): the registry in the Prometheus text
 * exposition format 0.0.4. Every value is read when the request comes, so between scrapes the
 * metrics cost nothing but the core's counter increments.
 */
import type { HttpResponse, RouteSpec } from '../http/index.js';
import type { MetricsAccess } from './metrics-access.js';
import type { ServerMetrics } from './metrics-registry.js';

const FORBIDDEN: HttpResponse = { status: 403, json: { error: 'Forbidden' } };

/** The access rules in force; a config reload replaces them (`reconfigure`). */
export interface AccessHolder {
  access: MetricsAccess;
}

export function metricsRoute(metrics: ServerMetrics, holder: AccessHolder): RouteSpec {
  return {
    method: 'GET',
    path: '/metrics',
    name: 'metrics',
    // Scrapers address the listener by IP (`Host: 127.0.0.1:5280`), which names no XMPP host;
    // as in Prosody, where the module is global, the first VirtualHost answers them.
    anyHost: true,
    authorize: (head) => (holder.access.permits(head) ? undefined : FORBIDDEN),
    handler: async () => ({
      status: 200,
      text: await metrics.render(),
      headers: { 'content-type': metrics.contentType },
    }),
  };
}
