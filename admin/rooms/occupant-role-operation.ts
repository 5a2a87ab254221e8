/**
 * `PATCH /rooms/{room}/occupants/{nick}`: changes an occupant's role (XEP-0045 §8.4–§8.6 voice,
 * §9.6–§9.7 moderator) with the service as actor; everyone in the room sees the new presence.
 * Removing someone (role `none`) is a kick: `POST /rooms/{room}/kick`.
 */
import * as z from 'zod';
import { validateNickname } from '../../muc/index.js';
import { err, ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { roomFailures } from './room-failures.js';
import { occupantSchema, roomParam } from './room-schemas.js';
import { occupantView } from './room-views.js';

export const setOccupantRoleOperation = defineOperation({
  operationId: 'setOccupantRole',
  method: 'PATCH',
  path: '/rooms/{room}/occupants/{nick}',
  scope: 'rooms:write',
  tag: 'occupants',
  summary: 'Changes an occupant\'s role (grants or revokes voice or moderator status).',
  params: z.object({ room: roomParam, nick: z.string().min(1).describe('The occupant\'s nickname.') }),
  body: z.strictObject({
    role: z.enum(['moderator', 'participant', 'visitor']),
    reason: z.string().optional(),
  }),
  response: occupantSchema,
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found', 'nick-not-found', 'role-not-allowed'],
  handle: async ({ params, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const { service, jid, room } = found.value;
    const changed = service.setRole(jid, params.nick, body.role, body.reason === undefined || body.reason === '' ? {} : { reason: body.reason });
    if (!changed.ok) {
      switch (changed.error) {
        case 'room-not-found': return err(roomFailures.roomNotFound(jid.toString()));
        case 'nick-not-found': return err(roomFailures.nickNotFound(params.nick));
        case 'not-allowed': return err(roomFailures.roleNotAllowed(params.nick));
      }
    }
    // The occupant under the nickname as the room prepared it (RFC 8266), as the service found it.
    const prepared = validateNickname(params.nick);
    const occupant = prepared.ok ? room.occupant(prepared.value) : undefined;
    if (occupant === undefined) return err(roomFailures.nickNotFound(params.nick));
    return ok({ status: 200 as const, body: occupantView(occupant) });
  },
});
