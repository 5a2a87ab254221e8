/**
 * Probes for a user of a backend-roster host (spec §3.6.4). A contact's probe is answered by the
 * presence module as usual (every contact is `both`). A probe while the user has no roster held
 * (offline, or never asked) is answered with nothing rather than judged against an empty roster
 * [IMPROVEMENT]; a probe from a non-contact gets nothing either, where RFC 6121 §4.3.2 would have
 * the server reply `unsubscribed` — a server-generated subscription reply, suppressed [COMPAT].
 */
import type { StanzaEvent } from '../../../server/hooks/index.js';
import type { HttpRosters } from './http-roster-service.js';

/** `presence/bare` and `presence/full`: true drops the probe, undefined lets it be answered. */
export function guardProbe(rosters: HttpRosters, event: StanzaEvent): true | undefined {
  if (event.stanza.attrs.type !== 'probe') return undefined;
  const user = event.to.bare();
  const prober = event.from.bare();
  // The user's own resources may always probe the account (RFC 6121 §4.3.2).
  if (prober.equals(user)) return undefined;
  const roster = rosters.cached(user);
  return roster !== undefined && roster.items.has(prober.toString()) ? undefined : true;
}
