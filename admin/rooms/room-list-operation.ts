/** `GET /rooms`: the rooms of one MUC service or of all, a page at a time, with occupant counts. */
import * as z from 'zod';
import type { MucService } from '../../muc/index.js';
import { err, ok } from '../../server/errors/index.js';
import { normaliseDomain } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { nextCursor, pageOfKeys, pageQuery } from '../paging.js';
import { roomFailures } from './room-failures.js';
import { roomSummarySchema } from './room-schemas.js';
import { roomSummary } from './room-views.js';

/** The most rooms one page holds: a page is built and serialised in one turn of the event loop. */
export const MAX_ROOM_PAGE = 1000;

export const listRoomsOperation = defineOperation({
  operationId: 'listRooms',
  method: 'GET',
  path: '/rooms',
  scope: 'rooms:read',
  tag: 'rooms',
  summary: 'Lists rooms (ordered by JID, paged) with their occupant counts.',
  query: pageQuery(MAX_ROOM_PAGE, 100).extend({
    service: z.string().min(1).optional().describe('Only the rooms of this MUC service (its domain); all services when absent.'),
  }),
  response: z.object({
    rooms: z.array(roomSummarySchema),
    next: nextCursor,
  }),
  success: [200],
  failures: ['muc-service-not-found'],
  handle: async ({ query }, env) => {
    let services: readonly MucService[] = env.mucServices();
    if (query.service !== undefined) {
      const domain = normaliseDomain(query.service);
      const service = domain === undefined ? undefined : env.muc(domain);
      if (service === undefined) return err(roomFailures.mucServiceNotFound(query.service));
      services = [service];
    }
    const rooms = new Map(services.flatMap((service) => service.rooms()).map((room) => [room.jid.toString(), room] as const));
    const page = pageOfKeys(rooms.keys(), query.limit, query.after);
    const onPage = page.items.map((key) => rooms.get(key)).filter((room) => room !== undefined);
    return ok({ status: 200 as const, body: { rooms: onPage.map(roomSummary), next: page.next } });
  },
});
