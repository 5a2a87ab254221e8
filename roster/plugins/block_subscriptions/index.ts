/**
 * The `block_subscriptions` module (Prosody community name; spec §3.6.4): on a host whose rosters
 * are managed elsewhere, presence subscription traffic is silently dropped — no error, no roster
 * change, nothing forwarded — whether a user's client sends it, it arrives for a user, or the
 * server would send it on a user's behalf (automatic `subscribed`/`unsubscribed` replies).
 * `http_roster_admin` loads it on its host.
 */
import type { AddressKind, StanzaEvent } from '../../../server/hooks/index.js';
import { Priority } from '../../../server/hooks/index.js';
import { defineModule } from '../../../server/modules/index.js';
import { isBlockedPresence } from './presence-filter.js';

export { isBlockedPresence } from './presence-filter.js';

const INBOUND = [['presence/bare', 'bare'], ['presence/full', 'full'], ['presence/host', 'host']] as const;

function kindOf(event: StanzaEvent): AddressKind {
  if (event.to.local === '') return 'host';
  return event.to.isBare ? 'bare' : 'full';
}

function isBlocked(event: StanzaEvent, addressed: AddressKind): boolean {
  return event.stanza.name === 'presence' && isBlockedPresence(event.stanza.attrs.type as string | undefined, addressed);
}

export const blockSubscriptionsModule = defineModule({
  name: 'block_subscriptions',
  description: 'Drops presence subscription traffic to and from this host\'s users (rosters managed elsewhere)',
  load(ctx) {
    // A user's client sending (before routing, on the sender's host).
    ctx.hook('pre-stanza', (event) => (isBlocked(event, kindOf(event)) ? true : undefined), Priority.Guard);
    // Arriving for a user of this host, from anyone, the server included.
    for (const [name, kind] of INBOUND) ctx.hook(name, (event) => (isBlocked(event, kind) ? true : undefined), Priority.Guard);
    // The server sending on a user's behalf (automatic replies, bounces): it skips `pre-stanza`
    // and passes `outbound-stanza` on this host instead, wherever it is going.
    ctx.hook('outbound-stanza', (event) => (event.from.local !== '' && isBlocked(event, kindOf(event)) ? true : undefined), Priority.Guard);
  },
});
