/**
 * Stanzas a session's client never acknowledged, once the session has ended for good (XEP-0198
 * §5 leaves it to the server). Each goes to `delivery-failure` on the session's host, where a
 * module may keep it (offline storage); what nobody keeps is answered as RFC 6121 §8.5.3 answers
 * a full JID without a session: messages with `recipient-unavailable` (type wait: the sender may
 * try again), iq requests with `service-unavailable`; presence, groupchat, headlines and errors
 * are dropped (a room learns of the departure from the unavailable presence). Each message says
 * when it was first queued (`redelivery.ts`), wherever it goes next.
 */
import type { Element } from 'ltx';
import { StanzaError } from '../../errors/index.js';
import type { Host } from '../../host/index.js';
import type { Router } from '../../router/index.js';
import type { Session } from '../../session/index.js';
import { reparseOwnOutput, stampQueueTime } from './redelivery.js';
import type { UnackedStanza } from './unacked-queue.js';

export async function reportUndelivered(host: Host, router: Router, session: Session, items: readonly UnackedStanza[]): Promise<void> {
  const account = session.jid.bare().toString();
  for (const item of items) {
    const stanza = reparseOwnOutput(item.xml);
    if (stanza === undefined) continue; // own output always parses; nothing to report otherwise
    stampQueueTime(stanza, account, item.queuedAt);
    const kept = await host.hooks.fire('delivery-failure', { session, stanza, host });
    if (kept === true) continue;
    const error = bounceFor(stanza, session);
    if (error !== undefined) await router.replyError(stanza, error);
  }
}

function bounceFor(stanza: Element, session: Session): StanzaError | undefined {
  const type = stanza.attrs.type as string | undefined;
  if (type === 'error') return undefined;
  // The account's own traffic (carbon copies, archive results, its other resources) is not bounced.
  const from = stanza.attrs.from as string | undefined;
  if (from === undefined || from === session.jid.toString() || from.split('/')[0] === session.jid.bare().toString()) return undefined;
  if (stanza.name === 'message') {
    if (type === 'groupchat' || type === 'headline') return undefined;
    return StanzaError.wait('recipient-unavailable', { text: 'The recipient lost its connection before receiving this message' });
  }
  if (stanza.name === 'iq' && (type === 'get' || type === 'set')) return StanzaError.cancel('service-unavailable');
  return undefined;
}
