/**
 * `POST /messages`: a message from the server (or from a JID of the user's host) to a user. It is
 * routed like any message the server generates (`ctx.send`): the user's blocklist applies, and a
 * user with no session available gets it from offline storage later. 202: accepted for delivery.
 */
import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { err, ok } from '../../server/errors/index.js';
import { parseJid } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { roomFailures } from '../rooms/room-failures.js';
import { directMessageSender, directMessageStanza } from './direct-message.js';

export const sendDirectMessageOperation = defineOperation({
  operationId: 'sendDirectMessage',
  method: 'POST',
  path: '/messages',
  scope: 'messages:write',
  tag: 'messages',
  summary: 'Sends a message to a user of this server, from its host or a JID of its host.',
  body: z.strictObject({
    to: z.string().min(1).describe('The user: a bare JID (every session, or offline storage) or a full JID.'),
    body: z.string().min(1),
    from: z.string().min(1).optional().describe('The user\'s host (the default) or a JID of that host.'),
    type: z.enum(['chat', 'normal', 'headline']).default('chat'),
    subject: z.string().optional(),
    id: z.string().min(1).max(256).optional().describe('The stanza id; a fresh one when absent.'),
  }),
  response: z.object({ id: z.string() }),
  success: [202],
  failures: ['invalid-jid', 'invalid-from', 'host-not-found', 'user-not-found'],
  handle: async ({ body }, env) => {
    const to = parseJid(body.to);
    if (!to.ok || to.value.local === '') return err(roomFailures.invalidJid(`recipient ${JSON.stringify(body.to)}`));
    const accounts = env.accounts(to.value.domain);
    if (accounts === undefined) return err(roomFailures.hostNotFound(to.value.domain));
    if (!(await accounts.exists(to.value.local))) return err(roomFailures.userNotFound(to.value.bare().toString()));
    const from = directMessageSender(to.value, body.from);
    if (!from.ok) return err(roomFailures.invalidFrom(body.from ?? '', to.value.domain));
    const id = body.id ?? randomUUID();
    env.ctx.send(directMessageStanza({ from: from.value, to: to.value, id, type: body.type, body: body.body, subject: body.subject }));
    return ok({ status: 202 as const, body: { id } });
  },
});
