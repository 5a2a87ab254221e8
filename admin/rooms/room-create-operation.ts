/**
 * `PUT /rooms/{room}`: creates a room with its configuration, affiliations and subject, unlocked
 * and ready for joins (`MucService.createRoom`). Idempotent: 201 when created, 200 when the room
 * already is what the request asks for, 409 `room-exists` (with the differing keys) otherwise.
 */
import * as z from 'zod';
import type { Affiliation, CreateRoomOptions, Room } from '../../muc/index.js';
import { err, ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { resolveRoomAddress } from './room-address.js';
import { CREATED_ROOM_DEFAULTS, differingState, parseAffiliationMap, type RequestedRoom } from './room-create-state.js';
import { roomFailures } from './room-failures.js';
import { affiliationSchema, roomConfigChangesSchema, roomDetailsSchema, roomParamsSchema } from './room-schemas.js';
import { configChanges, roomDetails } from './room-views.js';

export const createRoomBodySchema = z.strictObject({
  config: roomConfigChangesSchema.optional()
    .describe('Configuration over the service\'s defaults; `persistentroom` defaults to true here.'),
  affiliations: z.record(z.string().min(1), affiliationSchema).optional()
    .describe('User → affiliation: a bare JID, or a local part alone for a user of the API\'s own host.'),
  subject: z.string().optional(),
});

export const createRoomOperation = defineOperation({
  operationId: 'createRoom',
  method: 'PUT',
  path: '/rooms/{room}',
  scope: 'rooms:write',
  tag: 'rooms',
  summary: 'Creates a room with a configuration, affiliations and subject (idempotent).',
  params: roomParamsSchema,
  body: createRoomBodySchema,
  response: roomDetailsSchema,
  success: [200, 201],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-exists', 'invalid-config'],
  handle: async ({ params, body }, env) => {
    const address = resolveRoomAddress(env, params.room);
    if (!address.ok) return address;
    const { service, jid } = address.value;
    const affiliations = parseAffiliationMap(body.affiliations ?? {}, env.ctx.host.name);
    if (!affiliations.ok) return err(roomFailures.invalidJid(`affiliated user ${JSON.stringify(affiliations.error)}`));
    const requested: RequestedRoom = {
      config: { ...CREATED_ROOM_DEFAULTS, ...configChanges(body.config ?? {}) },
      affiliations: affiliations.value,
      subject: body.subject,
    };
    const existing = service.room(jid);
    if (existing !== undefined) return sameOrConflict(existing, requested);
    const options: CreateRoomOptions = {
      config: requested.config,
      affiliations: Object.fromEntries(requested.affiliations.map(([user, affiliation]): [string, Affiliation] => [user.toString(), affiliation])),
      ...(requested.subject === undefined ? {} : { subject: requested.subject }),
    };
    const created = await service.createRoom(jid, options);
    if (created.ok) return ok({ status: 201 as const, body: roomDetails(created.value) });
    switch (created.error) {
      // Another request created it while this one waited for storage: judge it as an existing room.
      case 'room-exists': {
        const raced = service.room(jid);
        return raced === undefined ? err(roomFailures.roomNotFound(jid.toString())) : sameOrConflict(raced, requested);
      }
      case 'invalid-config': return err(roomFailures.invalidConfig());
      case 'invalid-affiliation': return err(roomFailures.invalidJid('an affiliated user'));
      case 'invalid-jid': return err(roomFailures.invalidJid(`room ${JSON.stringify(params.room)}`));
    }
  },
});

/** 200 when `room` already is what was asked for, else 409 naming what differs. */
function sameOrConflict(room: Room, requested: RequestedRoom) {
  const differing = differingState(room, requested);
  if (differing.length > 0) return err(roomFailures.roomExists(room.jid.toString(), differing));
  return ok({ status: 200 as const, body: roomDetails(room) });
}
