/** The admin API's answers by operation and status (`adminRequestCountsKey`), read when scraped. */
import type { Registry } from 'prom-client';
import type { ModuleContext } from '../server/modules/index.js';
import { adminRequestCountsKey } from '../admin/index.js';
import { counterFrom, type PromClient, type Series } from './prom-client.js';

type Label = 'host' | 'operation' | 'status';

function* requestSeries(ctx: ModuleContext<unknown>): Iterable<Series<Label>> {
  for (const host of ctx.hosts()) {
    const counts = ctx.service(adminRequestCountsKey, host);
    if (counts === undefined) continue;
    for (const { operation, status, count } of counts.entries()) yield [{ host: host.name, operation, status: String(status) }, count];
  }
}

export function registerAdminMetrics(prom: PromClient, registry: Registry, ctx: ModuleContext<unknown>): void {
  counterFrom(prom, registry, {
    name: 'salon_mod_http_admin_api__requests_total',
    help: 'Admin API requests answered, by operation (operationId; none when refused before one was chosen) and HTTP status',
    labelNames: ['host', 'operation', 'status'],
  }, () => requestSeries(ctx));
}
