/** `GET /rooms/{room}/occupants`: who is in a room, with roles, affiliations and real JIDs. */
import * as z from 'zod';
import { ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { occupantSchema, roomParamsSchema } from './room-schemas.js';
import { occupantView } from './room-views.js';

export const listOccupantsOperation = defineOperation({
  operationId: 'listOccupants',
  method: 'GET',
  path: '/rooms/{room}/occupants',
  scope: 'rooms:read',
  tag: 'occupants',
  summary: 'Lists a room\'s occupants; real JIDs are shown in every room (the caller is the service\'s operator).',
  params: roomParamsSchema,
  response: z.object({ occupants: z.array(occupantSchema) }),
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found'],
  handle: async ({ params }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    return ok({ status: 200 as const, body: { occupants: found.value.room.occupants().map(occupantView) } });
  },
});
