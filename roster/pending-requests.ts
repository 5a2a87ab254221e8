/**
 * RFC 6121 §3.1.3: a subscription request the user has not answered is delivered again each time
 * a resource becomes available, as received, with a delay stamp (XEP-0203) saying when.
 */
import type { Session } from '../server/session/index.js';
import type { PresenceContext } from './presence-context.js';
import { withDelay } from './delay.js';
import { parseStoredStanza } from './stored-stanza.js';

/** Sends the stored requests to a session that just sent initial presence. */
export async function redeliverPendingRequests(presence: PresenceContext, session: Session): Promise<void> {
  const service = presence.roster();
  if (service === undefined) return;
  const roster = await service.load(session.jid.bare());
  if (!roster.ok) return;
  for (const [jid, request] of roster.value.pendingIn) {
    const stanza = parseStoredStanza(request.stanza);
    if (stanza === undefined) {
      presence.ctx.logger.error({ user: session.jid.bare().toString(), contact: jid }, 'stored subscription request is not XML');
      continue;
    }
    session.send(withDelay(stanza, presence.ctx.host.name, request.receivedAt));
  }
}
