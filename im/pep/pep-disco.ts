/**
 * Service discovery of an account's PEP service (XEP-0163 §6, XEP-0060 §5.2): disco#items on the
 * bare JID lists the nodes the requester may read.
 */
import { Element } from 'ltx';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import { iqResult, NS } from '../../server/xml/index.js';
import type { Roster } from '../../roster/index.js';
import { mayRead } from './pep-access.js';
import type { PepStore } from './pep-store.js';

export interface PepDiscoDeps {
  readonly store: PepStore;
  loadRoster(owner: Jid): Promise<Roster | undefined>;
  accountExists(username: string): Promise<boolean>;
}

/**
 * `iq-get/bare/…disco#items:query` above the core's answer: the account's nodes; a query with
 * a `node` or for an unknown account is left to the core.
 */
export async function listNodes(deps: PepDiscoDeps, event: StanzaEvent): Promise<true | undefined> {
  if (event.origin === undefined || event.stanza.getChild('query', NS.discoItems)?.attrs.node !== undefined) return undefined;
  if (!(await deps.accountExists(event.to.local))) return undefined;
  const owner = event.to.bare();
  const ownerBare = owner.toString();
  const requester = event.from.bare().toString();
  const stored = await deps.store.read(owner.local);
  const roster = requester === ownerBare ? undefined : await deps.loadRoster(owner);
  const query = new Element('query', { xmlns: NS.discoItems });
  for (const [node, record] of Object.entries(stored.nodes)) {
    if (mayRead(record.config, ownerBare, requester, roster)) query.c('item', { jid: ownerBare, node });
  }
  event.origin.send(iqResult(event.stanza, query));
  return true;
}
