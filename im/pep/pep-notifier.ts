/**
 * Notifications (XEP-0163 §4.3, XEP-0060 §7.1.2.1): `<event/>` messages from the owner's bare JID
 * to the available resources of the owner and of the contacts allowed by the node's access
 * model, filtered by the "+notify" interest in their entity capabilities; and the last published
 * item for a resource that just became available (XEP-0163 §4.3.1).
 */
import { clone, Element } from 'ltx';
import { parseJid, type Jid } from '../../server/jid/index.js';
import type { SessionLocator } from '../../server/session/index.js';
import type { Roster } from '../../roster/index.js';
import type { CapsInterest } from './caps-interest.js';
import type { NodeConfig } from './node-config.js';
import { mayRead } from './pep-access.js';
import { itemElement, type UserNodes } from './pep-store.js';
import { PUBSUB } from './pubsub-ns.js';

export interface NotifierDeps {
  readonly sessions: SessionLocator;
  readonly interest: CapsInterest;
  send(stanza: Element): void;
  loadRoster(owner: Jid): Promise<Roster | undefined>;
}

let counter = 0;

/** The headline message carrying `payload` (`<items/>`, `<purge/>` or `<delete/>`). */
function eventMessage(owner: string, to: string, payload: Element): Element {
  const message = new Element('message', { from: owner, to, type: 'headline', id: `pep-${Date.now().toString(36)}-${++counter}` });
  message.c('event', { xmlns: PUBSUB.event }).cnode(payload);
  return message;
}

export class PepNotifier {
  readonly #deps: NotifierDeps;

  constructor(deps: NotifierDeps) {
    this.#deps = deps;
  }

  /** Sends `payload` about `node` to every interested resource allowed to read it. */
  async broadcast(owner: Jid, node: string, config: NodeConfig, payload: Element): Promise<void> {
    const ownerBare = owner.toString();
    const roster = await this.#deps.loadRoster(owner);
    const accounts: Jid[] = [owner];
    for (const [contact, item] of roster?.items ?? []) {
      // XEP-0163 §4.3: contacts subscribed to the owner's presence (from, both), per access model.
      if (contact === ownerBare || (item.subscription !== 'from' && item.subscription !== 'both')) continue;
      if (!mayRead(config, ownerBare, contact, roster)) continue;
      const jid = parseJid(contact);
      if (jid.ok) accounts.push(jid.value);
    }
    for (const account of accounts) {
      for (const session of this.#deps.sessions.ofAccount(account)) {
        if (session.closed || session.presence === undefined) continue;
        const full = session.jid.toString();
        if (this.#deps.interest.nodesOf(full)?.has(node) !== true) continue;
        this.#deps.send(eventMessage(ownerBare, full, clone(payload)));
      }
    }
  }

  /** The last item of each node `nodes` names that `recipient` may read, to `recipient` only. */
  async sendLastItems(owner: Jid, recipient: Jid, wanted: ReadonlySet<string>, stored: UserNodes): Promise<void> {
    const ownerBare = owner.toString();
    const contact = recipient.bare().toString();
    const roster = contact === ownerBare ? undefined : await this.#deps.loadRoster(owner);
    for (const [node, record] of Object.entries(stored.nodes)) {
      if (!wanted.has(node) || !mayRead(record.config, ownerBare, contact, roster)) continue;
      const last = record.items.at(-1);
      const item = last === undefined ? undefined : itemElement(last);
      if (item === undefined) continue;
      const items = new Element('items', { node });
      items.cnode(item);
      this.#deps.send(eventMessage(ownerBare, recipient.toString(), items));
    }
  }
}
