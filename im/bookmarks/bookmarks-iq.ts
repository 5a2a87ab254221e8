/**
 * XEP-0411: requests of clients still on XEP-0048, answered from and into the native node.
 * - private XML storage (XEP-0049) `<storage xmlns='storage:bookmarks'/>`, get and set, through
 *   the `private` module's interception of that fragment;
 * - the legacy PEP node `storage:bookmarks` (item `current`), items and publish.
 * Every other pubsub request is left to the `pep` module (undefined).
 */
import { Element } from 'ltx';
import { err, StanzaError } from '../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../server/hooks/index.js';
import { iqResult } from '../../server/xml/index.js';
import type { PepService } from '../pep/index.js';
import type { PrivateInterceptor } from '../private/index.js';
import { BOOKMARKS_NS, BOOKMARKS_OLD_NS, LEGACY_NS, legacyStorage } from './bookmark-conversion.js';
import { syncLegacyBookmarks } from './bookmark-sync.js';

const PUBSUB_NS = 'http://jabber.org/protocol/pubsub';

type Answer = Promise<true | StanzaError | undefined>;

function failed(error: StanzaError): StanzaError {
  return error.condition === 'resource-constraint' ? error : StanzaError.cancel('internal-server-error', { text: 'Failed to store bookmarks to PEP' });
}

export class BookmarksRequests {
  readonly #pep: () => PepService | undefined;
  readonly #ready: (username: string) => Promise<void>;

  /**
   * `pep` is looked up per request: the `pep` module may load after this one, or be reloaded.
   * `ready` resolves once bookmarks still being moved in at login are in the native node.
   */
  constructor(pep: () => PepService | undefined, ready: (username: string) => Promise<void>) {
    this.#pep = pep;
    this.#ready = ready;
  }

  /**
   * XEP-0048 bookmarks in private XML storage (XEP-0049), answered by the `private` module
   * through this: a get reads the native node converted, a set makes the native node say the same.
   */
  readonly privateBookmarks: PrivateInterceptor = {
    get: async (owner) => {
      const pep = this.#pep();
      await this.#ready(owner.local);
      return legacyStorage((await pep?.read(owner, BOOKMARKS_NS))?.items ?? []);
    },
    set: async (owner, storage) => {
      const pep = this.#pep();
      if (pep === undefined) return err(StanzaError.cancel('service-unavailable', { text: 'Bookmarks need PEP' }));
      await this.#ready(owner.local);
      const synced = await syncLegacyBookmarks(pep, owner, storage, true);
      return synced.ok ? synced : err(failed(synced.error));
    },
  };

  /** Items of the legacy PEP node: one item `current` holding the converted storage. */
  async pubsubGet(event: StanzaEvent): Answer {
    const pep = this.#pep();
    const items = event.stanza.getChild('pubsub', PUBSUB_NS)?.getChild('items');
    if (pep === undefined || !isOwnRequest(event) || items?.attrs.node !== LEGACY_NS) return undefined;
    await this.#ready(event.to.local);
    const node = await pep.read(event.to.bare(), BOOKMARKS_NS);
    const answer = new Element('pubsub', { xmlns: PUBSUB_NS });
    answer.c('items', { node: LEGACY_NS }).c('item', { id: 'current' }).cnode(legacyStorage(node?.items ?? []));
    event.origin!.send(iqResult(event.stanza, answer));
    return true;
  }

  /** A publish to the legacy PEP node: converted into the native node (the item id is ignored). */
  async pubsubSet(event: StanzaEvent): Answer {
    const pep = this.#pep();
    const publish = event.stanza.getChild('pubsub', PUBSUB_NS)?.getChild('publish');
    if (pep === undefined || !isOwnRequest(event) || publish === undefined) return undefined;
    if (publish.attrs.node === BOOKMARKS_OLD_NS) {
      return StanzaError.modify('not-allowed', { text: 'Your client does XEP-0402 version 0.3.0 but 0.4.0+ is required' });
    }
    const storage = publish.attrs.node === LEGACY_NS ? publish.getChild('item')?.getChild('storage', LEGACY_NS) : undefined;
    if (storage === undefined) return undefined;
    await this.#ready(event.to.local);
    const synced = await syncLegacyBookmarks(pep, event.to.bare(), storage, true);
    if (!synced.ok) return failed(synced.error);
    const answer = new Element('pubsub', { xmlns: PUBSUB_NS });
    answer.c('publish', { node: LEGACY_NS }).c('item', { id: 'current' });
    event.origin!.send(iqResult(event.stanza, answer));
    return true;
  }
}
