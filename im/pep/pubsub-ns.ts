/** XEP-0060 namespaces PEP uses, and its application-specific error conditions (§7, §6.5). */
import { StanzaError, type StanzaErrorCondition, type StanzaErrorType } from '../../server/errors/index.js';

export const PUBSUB = {
  main: 'http://jabber.org/protocol/pubsub',
  owner: 'http://jabber.org/protocol/pubsub#owner',
  event: 'http://jabber.org/protocol/pubsub#event',
  errors: 'http://jabber.org/protocol/pubsub#errors',
  nodeConfig: 'http://jabber.org/protocol/pubsub#node_config',
  publishOptions: 'http://jabber.org/protocol/pubsub#publish-options',
  caps: 'http://jabber.org/protocol/caps',
} as const;

/** A stanza error carrying a `pubsub#errors` condition (XEP-0060 §7.1.3, §7.1.5, §6.5.9). */
export function pubsubError(condition: StanzaErrorCondition, type: StanzaErrorType, pubsubCondition: string, text?: string): StanzaError {
  const options = { appCondition: { name: pubsubCondition, xmlns: PUBSUB.errors }, ...(text === undefined ? {} : { text }) };
  return new StanzaError(condition, type, options);
}

/**
 * The features the account's bare JID advertises (XEP-0163 §6, XEP-0060 §10). `config-node-max`
 * says `pubsub#max_items` accepts `max`: without it clients such as Converse.js send a large
 * count (9999) instead, which exceeds `pep_max_items` and fails their publish-options.
 */
export const PEP_FEATURES: readonly string[] = [
  PUBSUB.main,
  ...['access-open', 'access-presence', 'access-roster', 'access-whitelist', 'auto-create', 'auto-subscribe',
    'config-node', 'config-node-max', 'create-and-configure', 'create-nodes', 'delete-items', 'delete-nodes', 'filtered-notifications',
    'item-ids', 'last-published', 'multi-items', 'persistent-items', 'presence-notifications', 'publish',
    'publish-options', 'purge-nodes', 'retract-items', 'retrieve-default', 'retrieve-items']
    .map((feature) => `${PUBSUB.main}#${feature}`),
];
