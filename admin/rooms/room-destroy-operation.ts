/**
 * `DELETE /rooms/{room}`: destroys a room (XEP-0045 §10.9): its occupants receive the
 * `<destroy/>` with the reason and the alternate venue, and its record is removed. The reason and
 * venue may come as query parameters or in a JSON body (some HTTP clients send no body with DELETE).
 */
import * as z from 'zod';
import { err, ok } from '../../server/errors/index.js';
import { parseJid, type Jid } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { roomFailures } from './room-failures.js';
import { roomParamsSchema } from './room-schemas.js';

const destroyOptions = {
  reason: z.string().optional().describe('Told to the occupants.'),
  alternate: z.string().min(1).optional().describe('The bare JID of a room the occupants may go to instead.'),
};

/** The alternate venue must be a room's bare JID (on any server: it is only named, not checked). */
export function parseAlternateVenue(text: string): Jid | undefined {
  const parsed = parseJid(text);
  return parsed.ok && parsed.value.isBare && parsed.value.local !== '' ? parsed.value : undefined;
}

export const destroyRoomOperation = defineOperation({
  operationId: 'destroyRoom',
  method: 'DELETE',
  path: '/rooms/{room}',
  scope: 'rooms:write',
  tag: 'rooms',
  summary: 'Destroys a room, with a reason and an alternate venue for its occupants.',
  params: roomParamsSchema,
  query: z.object(destroyOptions),
  body: z.strictObject(destroyOptions).optional(),
  success: [204],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found'],
  handle: async ({ params, query, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const reason = body?.reason ?? query.reason;
    const alternateText = body?.alternate ?? query.alternate;
    const alternate = alternateText === undefined ? undefined : parseAlternateVenue(alternateText);
    if (alternateText !== undefined && alternate === undefined) return err(roomFailures.invalidJid(`alternate venue ${JSON.stringify(alternateText)}`));
    const destroyed = await found.value.service.destroy(found.value.jid, {
      ...(reason === undefined || reason === '' ? {} : { reason }),
      ...(alternate === undefined ? {} : { alternate }),
    });
    if (!destroyed.ok) return err(roomFailures.roomNotFound(found.value.jid.toString()));
    return ok({ status: 204 as const });
  },
});
