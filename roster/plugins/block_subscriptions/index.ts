/**
 * The `block_subscriptions` module (Prosody community name; spec §3.6.4): on a host whose rosters
 * are managed elsewhere, presence subscription traffic is silently dropped — no error, no roster
 * change, nothing forwarded — whether a user's client sends it, it arrives for a user, or the
 * server would send it on a user's behalf (automatic `subscribed`/`unsubscribed` replies).
 * `http_roster_admin` loads it on its host.
 */
import type { AddressKind, StanzaEvent } from '../../../server/hooks/index.js';
import { Priority } from '../../../server/hooks/index.js';
import type { Host } from '../../../server/host/host.js';
import { defineModule, type ModuleContext } from '../../../server/modules/index.js';
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
    for (const other of ctx.hosts()) if (other !== ctx.host) dropGeneratedFor(ctx, other);
  },
});

/**
 * The server sends on a user's behalf without passing `pre-stanza`; such stanzas are stopped
 * where they arrive, on the other hosts of this server (nothing reaches remote servers: there is
 * no server-to-server link).
 */
function dropGeneratedFor(ctx: ModuleContext<unknown>, other: Host): void {
  const home = ctx.host.name;
  for (const [name, kind] of INBOUND) {
    ctx.hookOn(other, name, (event) => (event.from.domain === home && event.from.local !== '' && isBlocked(event, kind) ? true : undefined), Priority.Guard);
  }
}
