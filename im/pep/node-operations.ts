/**
 * Changes to one user's nodes (XEP-0060 §7 publisher and §8 owner use cases, as XEP-0163 narrows
 * them): pure functions over the stored record, run inside `PepStore.update`.
 */
import { randomUUID } from 'node:crypto';
import { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';
import { applyConfigForm, defaultNodeConfig, differingFields, type NodeConfig } from './node-config.js';
import { storedItem, type UserNodes } from './pep-store.js';
import { pubsubError } from './pubsub-ns.js';

type Change<T> = Result<{ value: T; save: boolean }, StanzaError>;

export interface Published {
  readonly config: NodeConfig;
  /** The `<item id='…'>` as notifications carry it. */
  readonly item: Element;
}

/** Item ids are opaque strings; a very long one is refused rather than stored. */
const MAX_ITEM_ID_LENGTH = 1023;

/**
 * XEP-0060 §7.1: stores `item` on `node`, creating the node with `options` applied to the defaults
 * (XEP-0163 §4.1 auto-create). On an existing node, `options` are preconditions (§7.1.5): any
 * field differing from the node's configuration fails with `precondition-not-met`. An item without
 * an id gets one (§7.1.2); an item with an existing id replaces it (§7.1.2, last paragraph).
 */
export function publishItem(
  nodes: UserNodes, node: string, item: Element, options: ReadonlyMap<string, readonly string[]> | undefined, maxItems: number,
): Change<Published> {
  const id = (item.attrs.id as string | undefined) || randomUUID();
  if (id.length > MAX_ITEM_ID_LENGTH) return err(StanzaError.modify('not-acceptable', { text: 'item id too long' }));
  const existing = nodes.nodes[node];
  let config: NodeConfig;
  if (existing === undefined) {
    const created = applyConfigForm(defaultNodeConfig(maxItems), options ?? new Map(), maxItems);
    if (!created.ok) return err(pubsubError('conflict', 'cancel', 'precondition-not-met', created.error.text));
    config = created.value;
  } else {
    config = existing.config;
    if (options !== undefined) {
      const wanted = applyConfigForm(config, options, maxItems);
      const differ = wanted.ok ? differingFields(config, wanted.value) : ['a field'];
      if (differ.length > 0) return err(pubsubError('conflict', 'cancel', 'precondition-not-met', `${differ.join(', ')} differs from the node configuration`));
    }
  }
  const stamped = new Element('item', { id });
  for (const child of item.children) if (typeof child !== 'string') stamped.cnode(child);
  const record = nodes.nodes[node] ?? { config, items: [] };
  nodes.nodes[node] = record;
  record.items = record.items.filter((stored) => stored.id !== id);
  // persist_items false: the item is only broadcast (XEP-0060 §4.3, transient notifications).
  if (config.persistItems) record.items.push(storedItem(id, stamped));
  trim(record.items, config.maxItems);
  return ok({ value: { config, item: stamped }, save: true });
}

function trim<T>(items: T[], max: number): void {
  if (items.length > max) items.splice(0, items.length - max);
}

/** XEP-0060 §7.2: removes the items with these ids; each must exist (§7.2.3.5 item-not-found). */
export function retractItems(nodes: UserNodes, node: string, ids: readonly string[]): Change<NodeConfig> {
  const record = nodes.nodes[node];
  if (record === undefined) return err(StanzaError.cancel('item-not-found'));
  if (ids.length === 0) return err(pubsubError('bad-request', 'modify', 'item-required'));
  if (ids.some((id) => !record.items.some((item) => item.id === id))) return err(StanzaError.cancel('item-not-found'));
  record.items = record.items.filter((item) => !ids.includes(item.id));
  return ok({ value: record.config, save: true });
}

/** XEP-0060 §8.4 (delete) and §8.5 (purge): the node's configuration before the change. */
export function removeNode(nodes: UserNodes, node: string, purgeOnly: boolean): Change<NodeConfig> {
  const record = nodes.nodes[node];
  if (record === undefined) return err(StanzaError.cancel('item-not-found'));
  if (purgeOnly) record.items = [];
  else delete nodes.nodes[node];
  return ok({ value: record.config, save: true });
}

/** XEP-0060 §8.1 (create, with an optional configure form) on a node that must not exist yet. */
export function createNode(nodes: UserNodes, node: string, form: ReadonlyMap<string, readonly string[]> | undefined, maxItems: number): Change<NodeConfig> {
  if (nodes.nodes[node] !== undefined) return err(StanzaError.cancel('conflict'));
  const config = applyConfigForm(defaultNodeConfig(maxItems), form ?? new Map(), maxItems);
  if (!config.ok) return config;
  nodes.nodes[node] = { config: config.value, items: [] };
  return ok({ value: config.value, save: true });
}

/** XEP-0060 §8.2.3: a submitted configuration; items beyond a lowered `max_items` go. */
export function configureNode(nodes: UserNodes, node: string, form: ReadonlyMap<string, readonly string[]>, maxItems: number): Change<NodeConfig> {
  const record = nodes.nodes[node];
  if (record === undefined) return err(StanzaError.cancel('item-not-found'));
  const config = applyConfigForm(record.config, form, maxItems);
  if (!config.ok) return config;
  record.config = config.value;
  if (!config.value.persistItems) record.items = [];
  trim(record.items, config.value.maxItems);
  return ok({ value: config.value, save: true });
}
