/**
 * `POST /rooms/{room}/invitations`: a mediated invitation (XEP-0045 §7.8.2) from the room to a
 * user, optionally making the user a member first so that a members-only room lets them in.
 */
import * as z from 'zod';
import { err, ok } from '../../server/errors/index.js';
import { parseJid } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from '../rooms/room-address.js';
import { roomFailures } from '../rooms/room-failures.js';
import { roomParamsSchema } from '../rooms/room-schemas.js';

export const inviteOperation = defineOperation({
  operationId: 'inviteToRoom',
  method: 'POST',
  path: '/rooms/{room}/invitations',
  scope: 'messages:write',
  tag: 'messages',
  summary: 'Invites a user to a room (a mediated invitation from the room).',
  params: roomParamsSchema,
  body: z.strictObject({
    jid: z.string().min(1).describe('The invitee\'s JID.'),
    reason: z.string().optional(),
    from: z.string().min(1).optional().describe('Who the invitation says it is from; the room itself when absent.'),
    addMember: z.boolean().default(false).describe('Make the invitee a member first when the room is members-only (needs the rooms:write scope too).'),
  }),
  success: [204],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found'],
  handle: async ({ params, body, caller }, env) => {
    // Making someone a member changes the room's affiliations: that takes rooms:write as well.
    if (body.addMember && !caller.scopes.has('rooms:write')) {
      return err({ status: 403, code: 'insufficient-scope', message: 'addMember needs the rooms:write scope too' });
    }
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const invitee = parseJid(body.jid);
    if (!invitee.ok || invitee.value.local === '') return err(roomFailures.invalidJid(`invitee ${JSON.stringify(body.jid)}`));
    const from = body.from === undefined ? undefined : parseJid(body.from);
    if (from !== undefined && !from.ok) return err(roomFailures.invalidJid(`sender ${JSON.stringify(body.from)}`));
    const invited = await found.value.service.invite(found.value.jid, invitee.value, {
      addMember: body.addMember,
      ...(body.reason === undefined || body.reason === '' ? {} : { reason: body.reason }),
      ...(from === undefined ? {} : { from: from.value }),
    });
    if (invited.ok) return ok({ status: 204 as const });
    return err(invited.error === 'room-not-found' ? roomFailures.roomNotFound(found.value.jid.toString()) : roomFailures.invalidJid(`invitee ${JSON.stringify(body.jid)}`));
  },
});
