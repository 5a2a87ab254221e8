/**
 * Each user's PEP nodes, persisted in the host's `pep` store (one record per user: node
 * configurations and their items, oldest first). Changes to one user's nodes run one at a time
 * and are saved before anyone is notified. Bounded: a node keeps at most its `max_items` items,
 * and a user's whole record at most `pep_max_bytes_per_user` bytes of JSON.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import type { KeyValueStore } from '../../server/storage/index.js';
import { KeyedQueue } from '../../server/storage/index.js';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';
import type { NodeConfig } from './node-config.js';

export interface StoredItem {
  readonly id: string;
  /** The whole `<item id='…'>payload</item>`, serialised. */
  readonly xml: string;
}

export interface StoredNode {
  config: NodeConfig;
  items: StoredItem[];
}

/** One user's nodes by name. */
export interface UserNodes {
  nodes: Record<string, StoredNode>;
}

/** Parses a stored item back into an `<item/>` element (undefined for an unreadable record). */
export function itemElement(item: StoredItem): Element | undefined {
  const parsed = parseXmlFragment(item.xml, { maxDepth: 64, maxAttributes: 256, maxStanzaBytes: Buffer.byteLength(item.xml) });
  return parsed.ok ? parsed.value.element : undefined;
}

export function storedItem(id: string, item: Element): StoredItem {
  return { id, xml: serializeElement(item) };
}

/** Bytes of a user's record as stored (the JSON the store writes). */
export function recordBytes(nodes: UserNodes): number {
  return Buffer.byteLength(JSON.stringify(nodes));
}

export class PepStore {
  readonly #store: KeyValueStore<UserNodes>;
  readonly #queue = new KeyedQueue();
  readonly #maxBytes: number;

  constructor(store: KeyValueStore<UserNodes>, maxBytes: number) {
    this.#store = store;
    this.#maxBytes = maxBytes;
  }

  /** The user's nodes as last saved (an empty record for a user who never published). */
  async read(username: string): Promise<UserNodes> {
    // Most users never publish: their record is known missing without a read (or a wait).
    if (!this.#queue.busy(username) && this.#store.knownAbsent?.(username) === true) return { nodes: {} };
    await this.#queue.settled(username);
    return (await this.#store.get(username)) ?? { nodes: {} };
  }

  /**
   * Runs `change` on a copy of the user's record, one change per user at a time; a change that
   * returns `save: true` is written, unless it leaves the record over the byte limit
   * (`resource-constraint`, nothing changes).
   */
  update<T>(username: string, change: (nodes: UserNodes) => Result<{ value: T; save: boolean }, StanzaError>): Promise<Result<T, StanzaError>> {
    return this.#queue.run(username, async () => {
      const current = (await this.#store.get(username)) ?? { nodes: {} };
      const copy = structuredClone(current);
      const outcome = change(copy);
      if (!outcome.ok) return outcome;
      if (!outcome.value.save) return ok(outcome.value.value);
      if (recordBytes(copy) > this.#maxBytes) {
        return err(StanzaError.wait('resource-constraint', { text: 'personal eventing storage quota exceeded' }));
      }
      if (Object.keys(copy.nodes).length === 0) await this.#store.delete(username);
      else await this.#store.set(username, copy);
      return ok(outcome.value.value);
    });
  }

  remove(username: string): Promise<void> {
    return this.#queue.run(username, () => this.#store.delete(username));
  }
}
