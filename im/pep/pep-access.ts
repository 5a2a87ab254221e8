/**
 * Who may see a node's items (XEP-0060 §4.5 access models, XEP-0163 §4.1 default `presence`),
 * decided from the owner's roster. Pure: the caller loads the roster.
 */
import type { StanzaError } from '../../server/errors/index.js';
import type { Roster } from '../../roster/index.js';
import type { NodeConfig } from './node-config.js';
import { pubsubError } from './pubsub-ns.js';

/** Undefined when `requester` (a bare JID) may read the node; else the error XEP-0060 §6.5.9 names. */
export function accessDenial(config: NodeConfig, owner: string, requester: string, roster: Roster | undefined): StanzaError | undefined {
  if (requester === owner || config.accessModel === 'open') return undefined;
  const item = roster?.items.get(requester);
  switch (config.accessModel) {
    case 'presence':
      // §6.5.9.2 (presence subscription required): the contact receives the owner's presence.
      if (item?.subscription === 'from' || item?.subscription === 'both') return undefined;
      return pubsubError('not-authorized', 'auth', 'presence-subscription-required');
    case 'roster':
      // §6.5.9.3: the contact is in one of the allowed roster groups.
      if (item !== undefined && item.groups.some((group) => config.rosterGroupsAllowed.includes(group))) return undefined;
      return pubsubError('not-authorized', 'auth', 'not-in-roster-group');
    case 'whitelist':
      // §6.5.9.4: the whitelist of a PEP node holds only its owner.
      return pubsubError('not-allowed', 'cancel', 'closed-node');
  }
}

/** Whether `contact` may receive the node's notifications (the same rule, as a boolean). */
export function mayRead(config: NodeConfig, owner: string, contact: string, roster: Roster | undefined): boolean {
  return accessDenial(config, owner, contact, roster) === undefined;
}
