/**
 * Which presence stanzas subscription blocking drops (spec §3.6.4). Addressed to a bare JID,
 * everything but available, unavailable and probe goes [COMPAT]; addressed to a full JID or a
 * domain, the four subscription types go too [IMPROVEMENT: the original only looked at bare
 * JIDs, so full-JID and domain addressing changed rosters and relayed requests].
 */
import type { AddressKind } from '../../../server/hooks/index.js';

const FLOWING: ReadonlySet<string | undefined> = new Set([undefined, 'unavailable', 'probe']);
const SUBSCRIPTION: ReadonlySet<string | undefined> = new Set(['subscribe', 'subscribed', 'unsubscribe', 'unsubscribed']);

/** True when a presence of `type` addressed to this kind of JID is dropped. */
export function isBlockedPresence(type: string | undefined, addressed: AddressKind): boolean {
  if (FLOWING.has(type)) return false;
  // Error-type and unknown presence to a full JID or a domain still flows.
  return addressed === 'bare' || SUBSCRIPTION.has(type);
}
