/**
 * The API the `pep` module offers other modules of its host (under `pepServiceKey`): read,
 * publish, retract and purge items of a user's node as the owner would, with the same storage
 * bounds and notifications as the owner's own requests; and a way to hear that a node changed.
 * The `bookmarks` module converts XEP-0048 bookmarks through it (XEP-0411).
 */
import { Element } from 'ltx';
import { ok, type Result, type StanzaError } from '../../server/errors/index.js';
import type { Jid } from '../../server/jid/index.js';
import { serviceKey } from '../../server/modules/index.js';
import { differingFields, applyConfigForm, defaultNodeConfig, type NodeConfig } from './node-config.js';
import { configureNode, publishItem, removeNode, retractItems } from './node-operations.js';
import type { PepNotifier } from './pep-notifier.js';
import { itemElement, type PepStore } from './pep-store.js';

/** `pubsub#…` field → values, as a publish-options or configure form carries them. */
export type NodeFields = ReadonlyMap<string, readonly string[]>;

/** A node as its owner reads it: its configuration and its items, oldest first. */
export interface PepNodeView {
  readonly config: NodeConfig;
  /** `<item id='…'>payload</item>` elements. */
  readonly items: readonly Element[];
}

/** Called after a node of `owner` changed (publish, retract, purge, delete, through any way in). */
export type PepNodeListener = (owner: Jid, node: string) => void;

export interface PepService {
  /** `pep_max_items`: the most items a node keeps (the value of `pubsub#max_items` `max`). */
  readonly maxItems: number;
  /** The node, or undefined when the user has no such node. */
  read(owner: Jid, node: string): Promise<PepNodeView | undefined>;
  /**
   * Publishes `item` (`<item id='…'>`) to `node`: a missing node is created with `fields`; an
   * existing one whose configuration differs is reconfigured to `fields` first.
   */
  publish(owner: Jid, node: string, item: Element, fields: NodeFields): Promise<Result<void, StanzaError>>;
  /** Retracts the items with these ids, notifying subscribers (XEP-0060 §7.2.2.1). */
  retract(owner: Jid, node: string, ids: readonly string[]): Promise<Result<void, StanzaError>>;
  /** Removes every item of the node, notifying subscribers; a missing node is not an error. */
  purge(owner: Jid, node: string): Promise<Result<void, StanzaError>>;
  /**
   * Sends `payload` (`<items node='…'>`) as a notification about `node` to the owner's resources
   * whose capabilities ask `node+notify`, as if it were published on a whitelist node; nothing
   * is stored (XEP-0411 §5 broadcasts for a node that lives elsewhere).
   */
  notifyOwner(owner: Jid, node: string, payload: Element): Promise<void>;
  /** Adds a listener of node changes; the returned function removes it. */
  onNodeChanged(listener: PepNodeListener): () => void;
}

export const pepServiceKey = serviceKey<PepService>('pep');

export interface PepServiceDeps {
  readonly store: PepStore;
  readonly notifier: PepNotifier;
  readonly maxItems: number;
  /** Listeners the module's own request handling also calls. */
  readonly listeners: Set<PepNodeListener>;
}

/** Tells every listener that `node` of `owner` changed; a failing listener does not stop the others. */
export function nodeChanged(listeners: ReadonlySet<PepNodeListener>, owner: Jid, node: string, onError: (error: unknown) => void): void {
  for (const listener of listeners) {
    try {
      listener(owner, node);
    } catch (error) {
      onError(error);
    }
  }
}

export function createPepService(deps: PepServiceDeps, onError: (error: unknown) => void): PepService {
  const { store, notifier, maxItems, listeners } = deps;
  const changed = (owner: Jid, node: string): void => nodeChanged(listeners, owner, node, onError);
  const broadcast = (owner: Jid, node: string, config: NodeConfig, payload: Element): void => {
    notifier.broadcast(owner, node, config, payload).catch(onError);
  };
  return {
    maxItems,
    async read(owner, node) {
      const record = (await store.read(owner.local)).nodes[node];
      if (record === undefined) return undefined;
      const items = record.items.map(itemElement).filter((item): item is Element => item !== undefined);
      return { config: record.config, items };
    },
    async publish(owner, node, item, fields) {
      const published = await store.update(owner.local, (nodes) => {
        const existing = nodes.nodes[node];
        if (existing !== undefined) {
          const wanted = applyConfigForm(existing.config, fields, maxItems);
          if (!wanted.ok) return wanted;
          if (differingFields(existing.config, wanted.value).length > 0) {
            const configured = configureNode(nodes, node, fields, maxItems);
            if (!configured.ok) return configured;
          }
        }
        return publishItem(nodes, node, item, existing === undefined ? fields : undefined, maxItems);
      });
      if (!published.ok) return published;
      broadcast(owner, node, published.value.config, new Element('items', { node }).cnode(published.value.item).root());
      changed(owner, node);
      return ok(undefined);
    },
    async retract(owner, node, ids) {
      const retracted = await store.update(owner.local, (nodes) => retractItems(nodes, node, ids));
      if (!retracted.ok) return retracted;
      const payload = new Element('items', { node });
      for (const id of ids) payload.c('retract', { id });
      if (retracted.value.notifyRetract) broadcast(owner, node, retracted.value, payload);
      changed(owner, node);
      return ok(undefined);
    },
    async purge(owner, node) {
      if ((await store.read(owner.local)).nodes[node] === undefined) return ok(undefined);
      const purged = await store.update(owner.local, (nodes) => removeNode(nodes, node, true));
      if (!purged.ok) return purged;
      broadcast(owner, node, purged.value, new Element('purge', { node }));
      changed(owner, node);
      return ok(undefined);
    },
    notifyOwner(owner, node, payload) {
      return notifier.broadcast(owner, node, { ...defaultNodeConfig(1), accessModel: 'whitelist' }, payload);
    },
    onNodeChanged(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
