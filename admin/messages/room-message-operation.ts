/**
 * `POST /rooms/{room}/messages`: a groupchat message posted by the service (`MucService.postMessage`),
 * from the room's bare JID or from a system nickname no occupant uses. It is archived and kept
 * in history like any other, and `muc-message-posted` fires.
 */
import * as z from 'zod';
import { err, ok } from '../../server/errors/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from '../rooms/room-address.js';
import { roomFailures } from '../rooms/room-failures.js';
import { roomParamsSchema } from '../rooms/room-schemas.js';

export const postRoomMessageOperation = defineOperation({
  operationId: 'postRoomMessage',
  method: 'POST',
  path: '/rooms/{room}/messages',
  scope: 'messages:write',
  tag: 'messages',
  summary: 'Posts a groupchat message as the room, or as a system nickname.',
  params: roomParamsSchema,
  body: z.strictObject({
    body: z.string().min(1),
    nick: z.string().min(1).optional().describe('Post from `room@service/nick`; no occupant may use it. From the room itself when absent.'),
    id: z.string().min(1).max(256).optional().describe('The stanza id; a fresh one when absent.'),
  }),
  response: z.object({ id: z.string() }),
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found', 'nick-in-use', 'invalid-nick'],
  handle: async ({ params, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const posted = found.value.service.postMessage(found.value.jid, body.body, {
      ...(body.nick === undefined ? {} : { nick: body.nick }),
      ...(body.id === undefined ? {} : { id: body.id }),
    });
    if (posted.ok) return ok({ status: 200 as const, body: { id: posted.value.id } });
    switch (posted.error) {
      case 'room-not-found': return err(roomFailures.roomNotFound(found.value.jid.toString()));
      case 'nick-in-use': return err(roomFailures.nickInUse(body.nick ?? ''));
      case 'invalid-nick': return err(roomFailures.invalidNick(body.nick ?? ''));
    }
  },
});
