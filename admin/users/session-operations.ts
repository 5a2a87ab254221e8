/**
 * The live sessions of an account: list them, and end one. Ending a session closes its stream
 * with `<policy-violation/>` and a text, which is what ejabberd's `kick_session` sends
 * ("has been kicked"): RFC 6120 §4.9.3 has no condition for "an administrator ended it", and
 * `<conflict/>` would tell the client another login replaced it (clients then stop reconnecting).
 */
import * as z from 'zod';
import { StreamError, err, ok } from '../../server/errors/index.js';
import type { Session } from '../../server/session/index.js';
import { normaliseResource } from '../../server/jid/index.js';
import { defineOperation } from '../admin-operation.js';
import { resourceFailure } from '../failure-codes.js';
import { accountOf } from './account-of.js';
import { sessionParams, sessionSchema, usernameParams } from './user-schemas.js';

/** The text sent with the stream error. */
export const SESSION_ENDED_TEXT = 'Session ended by an administrator';

function sessionView(session: Session): z.input<typeof sessionSchema> {
  return {
    jid: session.jid.toString(),
    resource: session.jid.resource,
    since: new Date(session.boundAt).toISOString(),
    secure: session.secure,
    // RFC 6121 §4.2: available once initial presence was sent, until unavailable.
    available: session.presence !== undefined,
    priority: session.priority,
    transport: session.transport,
    clientAddress: session.clientAddress,
  };
}

export const listSessionsOperation = defineOperation({
  operationId: 'listSessions',
  method: 'GET',
  path: '/users/{username}/sessions',
  scope: 'users:read',
  tag: 'users',
  summary: 'Lists the live sessions of an account (hibernated stream-management sessions included).',
  params: usernameParams,
  response: z.object({ sessions: z.array(sessionSchema) }),
  success: [200],
  failures: ['invalid-username', 'user-not-found'],
  handle: async ({ params }, env) => {
    const address = await accountOf(env, params.username, true);
    if (!address.ok) return address;
    const sessions = env.ctx.sessions.ofAccount(address.value.jid).filter((session) => !session.closed);
    return ok({ status: 200 as const, body: { sessions: sessions.map(sessionView) } });
  },
});

export const endSessionOperation = defineOperation({
  operationId: 'endSession',
  method: 'DELETE',
  path: '/users/{username}/sessions/{resource}',
  scope: 'users:write',
  tag: 'users',
  summary: 'Ends one session: its stream closes with the stream error policy-violation.',
  params: sessionParams,
  success: [204],
  failures: ['invalid-username', 'user-not-found', 'session-not-found'],
  handle: async ({ params, caller }, env) => {
    const address = await accountOf(env, params.username, false);
    if (!address.ok) return address;
    const resource = normaliseResource(params.resource);
    const session = resource === undefined ? undefined : env.ctx.sessions.get(address.value.jid.withResource(resource));
    if (session === undefined || session.closed) {
      return err(resourceFailure('session-not-found', `no session ${address.value.jid.toString()}/${params.resource}`));
    }
    env.ctx.logger.info({ session: session.jid.toString(), token: caller.token }, 'session ended through the admin API');
    session.close(new StreamError('policy-violation', SESSION_ENDED_TEXT));
    return ok({ status: 204 as const });
  },
});
