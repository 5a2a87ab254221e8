/**
 * Presence from each of a user's available resources (RFC 6121 §4.1: the user's presence is the
 * presence of each available resource), sent by the server on the user's behalf.
 */
import type { Jid } from '../server/jid/index.js';
import type { ModuleContext } from '../server/modules/index.js';
import { availableSessions } from '../server/router/index.js';
import type { Session } from '../server/session/index.js';
import { presenceOfSession, typedPresence } from './presence-stanzas.js';

/** The user's available sessions (initial presence sent, not yet unavailable). */
export function availableSessionsOf(ctx: ModuleContext<unknown>, user: Jid): Session[] {
  return availableSessions(ctx.sessions.ofAccount(user.bare()));
}

/** Each available resource's current presence to `to` (RFC 6121 §3.1.5, §4.3.2). Returns how many. */
export function sendCurrentPresence(ctx: ModuleContext<unknown>, user: Jid, to: string): number {
  let sent = 0;
  for (const session of availableSessionsOf(ctx, user)) {
    const presence = presenceOfSession(session, to);
    if (presence === undefined) continue;
    ctx.send(presence);
    sent += 1;
  }
  return sent;
}

/** Unavailable from each available resource to `to`, which is losing the user's presence (RFC 6121 §3.2.2). */
export function sendUnavailableFromResources(ctx: ModuleContext<unknown>, user: Jid, to: string): void {
  for (const session of availableSessionsOf(ctx, user)) ctx.send(typedPresence('unavailable', session.jid.toString(), to));
}
