/**
 * RFC 6121 §3.1.3: a subscription request the user has not answered is delivered again each time
 * a resource becomes available, with what was kept of it (`pending-subscription.ts`) and a delay
 * stamp (XEP-0203) saying when it arrived.
 */
import type { Session } from '../server/session/index.js';
import type { PresenceContext } from './presence-context.js';
import { withDelay } from './delay.js';
import { requestStanza } from './pending-subscription.js';

/** Sends the stored requests to a session that just sent initial presence. */
export async function redeliverPendingRequests(presence: PresenceContext, session: Session): Promise<void> {
  const service = presence.roster();
  if (service === undefined) return;
  const user = session.jid.bare();
  const roster = await service.load(user);
  if (!roster.ok) return;
  for (const [jid, request] of roster.value.pendingIn) {
    session.send(withDelay(requestStanza(jid, user.toString(), request), presence.ctx.host.name, request.receivedAt));
  }
}
