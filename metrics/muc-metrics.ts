/** Rooms and occupants of every MUC service of this server, counted when scraped (`MucService.rooms()`). */
import type { Registry } from 'prom-client';
import { mucServiceKey } from '../muc/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { gaugeFrom, type PromClient } from './prom-client.js';

interface ServiceCounts {
  readonly host: string;
  readonly rooms: number;
  readonly occupants: number;
}

function countServices(ctx: ModuleContext<unknown>): ServiceCounts[] {
  const counts: ServiceCounts[] = [];
  for (const host of ctx.hosts()) {
    const service = ctx.service(mucServiceKey, host);
    if (service === undefined) continue;
    const rooms = service.rooms();
    let occupants = 0;
    for (const room of rooms) occupants += room.occupantCount;
    counts.push({ host: host.name, rooms: rooms.length, occupants });
  }
  return counts;
}

export function registerMucMetrics(prom: PromClient, registry: Registry, ctx: ModuleContext<unknown>): void {
  gaugeFrom(prom, registry, { name: 'salon_mod_muc__rooms', help: 'Rooms of each MUC service', labelNames: ['host'] },
    () => countServices(ctx).map((s) => [{ host: s.host }, s.rooms] as const));
  gaugeFrom(prom, registry, { name: 'salon_mod_muc__occupants', help: 'Occupants of the rooms of each MUC service', labelNames: ['host'] },
    () => countServices(ctx).map((s) => [{ host: s.host }, s.occupants] as const));
}
