/**
 * `POST /rooms/{room}/kick`: removes an occupant, by nickname, or every occupant of a user, by
 * real JID (XEP-0045 §8.2 with the service as actor): the occupant gets status 307 (and 110),
 * the others 307, with the reason. A kick is not a ban: the user may come back.
 */
import * as z from 'zod';
import { validateNickname } from '../../muc/index.js';
import { err, ok } from '../../server/errors/index.js';
import { parseJid } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { findRoom } from './room-address.js';
import { nicksOfUser } from './occupant-kick.js';
import { roomFailures } from './room-failures.js';
import { roomParamsSchema } from './room-schemas.js';

const reason = z.string().optional().describe('Told to the occupant and the room.');

export const kickOccupantOperation = defineOperation({
  operationId: 'kickOccupant',
  method: 'POST',
  path: '/rooms/{room}/kick',
  scope: 'rooms:write',
  tag: 'occupants',
  summary: 'Kicks an occupant by nickname, or all of a user\'s nicknames by real JID.',
  params: roomParamsSchema,
  body: z.union([
    z.strictObject({ nick: z.string().min(1).describe('The nickname to kick.'), reason }),
    z.strictObject({ jid: z.string().min(1).describe('A user\'s real JID: every nickname of that user is kicked.'), reason }),
  ]),
  response: z.object({ kicked: z.array(z.string()).describe('The nicknames kicked.') }),
  success: [200],
  failures: ['invalid-jid', 'muc-service-not-found', 'room-not-found', 'nick-not-found', 'occupant-not-found'],
  handle: async ({ params, body }, env) => {
    const found = findRoom(env, params.room);
    if (!found.ok) return found;
    const { service, jid, room } = found.value;
    const options = body.reason === undefined || body.reason === '' ? {} : { reason: body.reason };
    let nicks: string[];
    if ('nick' in body) {
      // The nickname as the room knows it (RFC 8266 preparation, as at join time).
      const prepared = validateNickname(body.nick);
      nicks = [prepared.ok ? prepared.value : body.nick];
    } else {
      const user = parseJid(body.jid);
      if (!user.ok) return err(roomFailures.invalidJid(`user ${JSON.stringify(body.jid)}`));
      nicks = nicksOfUser(room.occupants(), user.value);
      if (nicks.length === 0) return err(roomFailures.occupantNotFound(user.value.bare().toString()));
    }
    const kicked: string[] = [];
    for (const nick of nicks) {
      const result = service.kick(jid, nick, options);
      if (result.ok) kicked.push(nick);
      else if (result.error === 'room-not-found') return err(roomFailures.roomNotFound(jid.toString()));
      else if ('nick' in body) return err(roomFailures.nickNotFound(body.nick));
    }
    return ok({ status: 200 as const, body: { kicked } });
  },
});
