/**
 * The `presence` module (Prosody's name): broadcast, probes, directed presence and presence
 * subscriptions (RFC 6121 §3, §4) over the host's roster service. Priorities and availability
 * themselves are kept by the core (`session.presence`, `session.priority`).
 */
import type { StanzaEvent } from '../server/hooks/index.js';
import type { StanzaError } from '../server/errors/index.js';
import { defineModule } from '../server/modules/index.js';
import { trackDirectedPresence } from './directed-presence.js';
import { onBroadcastPresence, withdrawPresence } from './presence-broadcast.js';
import { createPresenceContext, type PresenceContext } from './presence-context.js';
import { answerProbe } from './presence-probe.js';
import { processInboundSubscription } from './subscription-inbound.js';
import { processOutboundSubscription, subscriptionType } from './subscription-outbound.js';

export const presenceModule = defineModule({
  name: 'presence',
  description: 'Presence broadcast, probes, directed presence and subscriptions (RFC 6121 §3, §4)',
  autoload: true,
  load(ctx) {
    const presence = createPresenceContext(ctx);
    ctx.hook('presence/broadcast', (event) => onBroadcastPresence(presence, event));
    // The core fires this for a clean close and for a lost socket alike (RFC 6121 §4.5.2).
    ctx.hook('resource-unbind', ({ session }) => withdrawPresence(presence, session, undefined));
    ctx.hook('pre-stanza', (event) => outbound(presence, event));
    ctx.hook('presence/bare', (event) => inbound(presence, event));
    ctx.hook('presence/full', (event) => inbound(presence, event));
  },
});

/** Presence a local client addresses to someone: subscriptions and directed presence. */
function outbound(presence: PresenceContext, event: StanzaEvent): Promise<true | StanzaError | undefined> | undefined {
  if (event.stanza.name !== 'presence') return undefined;
  const type = subscriptionType(event.stanza);
  if (type !== undefined) return processOutboundSubscription(presence, event, type);
  const plain = event.stanza.attrs.type;
  if (plain === undefined || plain === 'unavailable') return trackDirectedPresence(presence, event);
  return undefined;
}

/** Presence arriving for a user of this host: probes and subscriptions; the rest is delivered by the router. */
function inbound(presence: PresenceContext, event: StanzaEvent): Promise<true | StanzaError | undefined> | undefined {
  if (event.stanza.attrs.type === 'probe') return answerProbe(presence, event);
  const type = subscriptionType(event.stanza);
  if (type !== undefined) return processInboundSubscription(presence, event, type);
  return undefined;
}
