/**
 * Presence as PEP reads it (XEP-0163 §4.3): an available resource's capabilities say which
 * nodes it wants, and a resource that just became available to an owner (one of the owner's
 * own, or a contact with a presence subscription) receives the last item of those nodes.
 */
import type { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import { GrowingLru } from '../../server/storage/index.js';
import type { Roster } from '../../roster/index.js';
import type { CapsInterest } from './caps-interest.js';
import type { PepNotifier } from './pep-notifier.js';
import type { PepStore } from './pep-store.js';

/** Owner-and-resource pairs that have had their last items (the pair leaves on unavailable). */
const MAX_DELIVERED_PAIRS = 100_000;

export interface PepPresenceDeps {
  readonly interest: CapsInterest;
  readonly notifier: PepNotifier;
  readonly store: PepStore;
  loadRoster(owner: Jid): Promise<Roster | undefined>;
}

export class PepPresence {
  readonly #deps: PepPresenceDeps;
  /** `owner\nfull` → the `ver` the last items were sent for. */
  readonly #delivered = new GrowingLru<string, string>({ max: MAX_DELIVERED_PAIRS });

  constructor(deps: PepPresenceDeps) {
    this.#deps = deps;
  }

  /**
   * Presence from `from` (full JID) seen by `owner`: a contact's presence to the owner's bare JID,
   * or the owner's own broadcast presence.
   */
  async seen(owner: Jid, from: Jid, presence: Element): Promise<undefined> {
    const type = presence.attrs.type as string | undefined;
    const pair = `${owner.toString()}\n${from.toString()}`;
    if (type === 'unavailable') {
      this.#delivered.delete(pair);
      this.#deps.interest.forget(from.toString());
      return undefined;
    }
    if (type !== undefined) return undefined;
    const ownerBare = owner.toString();
    const contact = from.bare().toString();
    if (contact !== ownerBare) {
      // Only contacts subscribed to the owner's presence (XEP-0163 §4.3.1: from, both).
      const item = (await this.#deps.loadRoster(owner))?.items.get(contact);
      if (item?.subscription !== 'from' && item?.subscription !== 'both') return undefined;
    }
    const nodes = await this.#deps.interest.observe(from, presence);
    const ver = this.#deps.interest.verOf(from.toString());
    if (nodes === undefined || ver === undefined || this.#delivered.get(pair) === ver) return undefined;
    this.#delivered.set(pair, ver);
    await this.#deps.notifier.sendLastItems(owner, from, nodes, await this.#deps.store.read(owner.local));
    return undefined;
  }

  /** A session ended: its interest goes (its unavailable presence may never be seen here). */
  ended(full: Jid): void {
    this.#deps.interest.forget(full.toString());
    this.#delivered.delete(`${full.bare().toString()}\n${full.toString()}`);
  }
}
