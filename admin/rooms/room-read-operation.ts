/** `GET /rooms/{room}`: a room's whole configuration, subject, occupant count and lock state. */
import { ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { roomDetailsSchema, roomParamsSchema } from './room-schemas.js';
import { roomDetails } from './room-views.js';

export const readRoomOperation = defineOperation({
  operationId: 'getRoom',
  method: 'GET',
  path: '/rooms/{room}',
  scope: 'rooms:read',
  tag: 'rooms',
  summary: 'Reads a room\'s configuration (the room password included: the caller is the service\'s operator).',
  params: roomParamsSchema,
  response: roomDetailsSchema,
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found'],
  handle: async ({ params }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    return ok({ status: 200 as const, body: roomDetails(found.value.room) });
  },
});
