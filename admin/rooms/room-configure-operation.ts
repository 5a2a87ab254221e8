/**
 * `PATCH /rooms/{room}`: changes the configuration keys given, as an owner's form submission
 * would (`MucService.configure`): occupants get the XEP-0045 §10.2.1 status codes, a room made
 * members-only loses its non-members, and `muc-room-configured` fires.
 */
import { err, ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { roomFailures } from './room-failures.js';
import { roomConfigChangesSchema, roomDetailsSchema, roomParamsSchema } from './room-schemas.js';
import { configChanges, roomDetails } from './room-views.js';

export const configureRoomOperation = defineOperation({
  operationId: 'configureRoom',
  method: 'PATCH',
  path: '/rooms/{room}',
  scope: 'rooms:write',
  tag: 'rooms',
  summary: 'Changes some of a room\'s configuration keys; the others keep their values.',
  params: roomParamsSchema,
  body: roomConfigChangesSchema,
  response: roomDetailsSchema,
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found', 'invalid-config'],
  handle: async ({ params, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const { service, jid } = found.value;
    const configured = await service.configure(jid, configChanges(body));
    if (configured.ok) return ok({ status: 200 as const, body: roomDetails(configured.value) });
    return err(configured.error === 'invalid-config' ? roomFailures.invalidConfig() : roomFailures.roomNotFound(jid.toString()));
  },
});
