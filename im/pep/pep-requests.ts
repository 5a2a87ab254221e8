/**
 * The iq requests on an account's bare JID (XEP-0163 on XEP-0060): the owner publishes,
 * retracts, creates, configures, purges and deletes; anyone allowed by a node's access model
 * reads its items.
 */
import { Element } from 'ltx';
import { StanzaError, type Result } from '../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../server/hooks/index.js';
import type { Jid } from '../../server/jid/index.js';
import type { Roster } from '../../roster/index.js';
import { iqResult, NS } from '../../server/xml/index.js';
import { configForm, defaultNodeConfig, readForm, type NodeConfig } from './node-config.js';
import { configureNode, createNode, publishItem, removeNode, retractItems } from './node-operations.js';
import { accessDenial } from './pep-access.js';
import type { PepNotifier } from './pep-notifier.js';
import { itemElement, type PepStore } from './pep-store.js';
import { PUBSUB, pubsubError } from './pubsub-ns.js';

export interface PepRequestDeps {
  readonly store: PepStore;
  readonly notifier: PepNotifier;
  /** `pep_max_items`: the most items a node keeps, and the value of `max`. */
  readonly maxItems: number;
  send(stanza: Element): void;
  accountExists(username: string): Promise<boolean>;
  loadRoster(owner: Jid): Promise<Roster | undefined>;
  /** Told after a node changed (publish, retract, purge, delete), for `PepService.onNodeChanged`. */
  nodeChanged?(owner: Jid, node: string): void;
}

type Outcome = Promise<true | StanzaError>;

const nodeOf = (el: Element): string | undefined => (el.attrs.node as string | undefined) || undefined;
const nodeRequired = (): StanzaError => pubsubError('bad-request', 'modify', 'nodeid-required');

/** The form inside `<publish-options/>` or `<configure/>`, read into fields. */
function formIn(parent: Element | undefined): ReadonlyMap<string, readonly string[]> | undefined {
  const x = parent?.getChild('x', NS.dataForms);
  return x === undefined ? undefined : readForm(x);
}

function pubsubResult(event: StanzaEvent, xmlns: string, child?: Element): Element {
  if (child === undefined) return iqResult(event.stanza);
  return iqResult(event.stanza, new Element('pubsub', { xmlns }).cnode(child).root());
}

export class PepRequests {
  readonly #deps: PepRequestDeps;

  constructor(deps: PepRequestDeps) {
    this.#deps = deps;
  }

  /** `iq-set` with `<pubsub xmlns='…pubsub'>`: publish, retract or create, by the owner only. */
  async set(event: StanzaEvent): Outcome {
    if (!isOwnRequest(event)) return StanzaError.auth('forbidden');
    const pubsub = event.stanza.getChild('pubsub', PUBSUB.main)!;
    const publish = pubsub.getChild('publish');
    if (publish !== undefined) return this.#publish(event, publish, formIn(pubsub.getChild('publish-options')));
    const retract = pubsub.getChild('retract');
    if (retract !== undefined) return this.#retract(event, retract);
    const create = pubsub.getChild('create');
    if (create !== undefined) {
      const node = nodeOf(create);
      // XEP-0163 §4 has no instant nodes: a PEP node is named by its namespace.
      if (node === undefined) return pubsubError('not-acceptable', 'modify', 'nodeid-required');
      const made = await this.#deps.store.update(event.to.local, (nodes) => createNode(nodes, node, formIn(pubsub.getChild('configure')), this.#deps.maxItems));
      return this.#reply(event, made, () => pubsubResult(event, PUBSUB.main));
    }
    return StanzaError.cancel('feature-not-implemented');
  }

  /** `iq-get` with `<pubsub xmlns='…pubsub'>`: items, by anyone the access model allows. */
  async get(event: StanzaEvent): Outcome {
    const items = event.stanza.getChild('pubsub', PUBSUB.main)!.getChild('items');
    if (items === undefined) return StanzaError.cancel('feature-not-implemented');
    const node = nodeOf(items);
    if (node === undefined) return nodeRequired();
    const record = (await this.#deps.store.read(event.to.local)).nodes[node];
    // RFC 6121 §8.5.1: no such account, no such service.
    if (record === undefined) return StanzaError.cancel((await this.#deps.accountExists(event.to.local)) ? 'item-not-found' : 'service-unavailable');
    const owner = event.to.bare().toString();
    const requester = event.from.bare().toString();
    if (requester !== owner) {
      const denial = accessDenial(record.config, owner, requester, await this.#deps.loadRoster(event.to.bare()));
      if (denial !== undefined) return denial;
    }
    const ids = items.getChildren('item').map((item) => item.attrs.id as string | undefined).filter((id) => id !== undefined);
    let selected = ids.length > 0 ? record.items.filter((item) => ids.includes(item.id)) : record.items;
    // XEP-0060 §6.5.7: max_items asks for the most recent items.
    const max = Number(items.attrs.max_items);
    if (items.attrs.max_items !== undefined && Number.isSafeInteger(max) && max >= 0) selected = selected.slice(Math.max(0, selected.length - max));
    const answer = new Element('items', { node });
    for (const stored of selected) {
      const item = itemElement(stored);
      if (item !== undefined) answer.cnode(item);
    }
    this.#answer(event, pubsubResult(event, PUBSUB.main, answer));
    return true;
  }

  /** `<pubsub xmlns='…pubsub#owner'>`: configure (get and set), default, purge and delete. */
  async owner(event: StanzaEvent): Outcome {
    if (!isOwnRequest(event)) return StanzaError.auth('forbidden');
    const pubsub = event.stanza.getChild('pubsub', PUBSUB.owner)!;
    const isSet = event.stanza.attrs.type === 'set';
    const configure = pubsub.getChild('configure');
    if (configure !== undefined) return isSet ? this.#configure(event, configure) : this.#configurationForm(event, configure);
    if (!isSet && pubsub.getChild('default') !== undefined) {
      const form = configForm(defaultNodeConfig(this.#deps.maxItems), 'form', []);
      this.#answer(event, pubsubResult(event, PUBSUB.owner, new Element('default').cnode(form).root()));
      return true;
    }
    const purge = isSet ? pubsub.getChild('purge') : undefined;
    const remove = isSet ? pubsub.getChild('delete') : undefined;
    const target = purge ?? remove;
    if (target === undefined) return StanzaError.cancel('feature-not-implemented');
    const node = nodeOf(target);
    if (node === undefined) return nodeRequired();
    const removed = await this.#deps.store.update(event.to.local, (nodes) => removeNode(nodes, node, purge !== undefined));
    const outcome = this.#reply(event, removed, () => iqResult(event.stanza));
    if (removed.ok) void this.#deps.notifier.broadcast(event.to.bare(), node, removed.value, new Element(purge !== undefined ? 'purge' : 'delete', { node }));
    if (removed.ok) this.#deps.nodeChanged?.(event.to.bare(), node);
    return outcome;
  }

  async #publish(event: StanzaEvent, publish: Element, options: ReadonlyMap<string, readonly string[]> | undefined): Outcome {
    const node = nodeOf(publish);
    if (node === undefined) return nodeRequired();
    const items = publish.getChildren('item');
    // XEP-0060 §7.1.3.5, §7.1.3.6: one item per publish, carrying exactly one payload element.
    if (items.length !== 1) return pubsubError('bad-request', 'modify', items.length === 0 ? 'item-required' : 'invalid-payload');
    const payloads = items[0]!.children.filter((child) => typeof child !== 'string');
    if (payloads.length !== 1) return pubsubError('bad-request', 'modify', payloads.length === 0 ? 'payload-required' : 'invalid-payload');
    const published = await this.#deps.store.update(event.to.local, (nodes) => publishItem(nodes, node, items[0]!, options, this.#deps.maxItems));
    if (!published.ok) return published.error;
    const { item, config } = published.value;
    const answer = new Element('publish', { node });
    answer.c('item', { id: item.attrs.id as string });
    this.#answer(event, pubsubResult(event, PUBSUB.main, answer));
    const payload = new Element('items', { node });
    payload.cnode(item);
    void this.#deps.notifier.broadcast(event.to.bare(), node, config, payload);
    this.#deps.nodeChanged?.(event.to.bare(), node);
    return true;
  }

  async #retract(event: StanzaEvent, retract: Element): Outcome {
    const node = nodeOf(retract);
    if (node === undefined) return nodeRequired();
    const ids = retract.getChildren('item').map((item) => item.attrs.id as string | undefined).filter((id) => id !== undefined);
    const retracted = await this.#deps.store.update(event.to.local, (nodes) => retractItems(nodes, node, ids));
    const outcome = this.#reply(event, retracted, () => iqResult(event.stanza));
    // XEP-0060 §7.2.2.1: subscribers hear of it when the publisher asks (notify='true').
    const notify = retract.attrs.notify === 'true' || retract.attrs.notify === '1';
    if (retracted.ok && notify) {
      const payload = new Element('items', { node });
      for (const id of ids) payload.c('retract', { id });
      void this.#deps.notifier.broadcast(event.to.bare(), node, retracted.value, payload);
    }
    if (retracted.ok) this.#deps.nodeChanged?.(event.to.bare(), node);
    return outcome;
  }

  async #configurationForm(event: StanzaEvent, configure: Element): Outcome {
    const node = nodeOf(configure);
    if (node === undefined) return nodeRequired();
    const record = (await this.#deps.store.read(event.to.local)).nodes[node];
    if (record === undefined) return StanzaError.cancel('item-not-found');
    const roster = await this.#deps.loadRoster(event.to.bare());
    const groups = [...new Set([...(roster?.items.values() ?? [])].flatMap((item) => item.groups))];
    const answer = new Element('configure', { node }).cnode(configForm(record.config, 'form', groups)).root();
    this.#answer(event, pubsubResult(event, PUBSUB.owner, answer));
    return true;
  }

  async #configure(event: StanzaEvent, configure: Element): Outcome {
    const node = nodeOf(configure);
    if (node === undefined) return nodeRequired();
    const x = configure.getChild('x', NS.dataForms);
    if (x === undefined) return StanzaError.modify('bad-request', { text: 'a configuration form is required' });
    // XEP-0004 §3.1: a cancelled form changes nothing.
    if (x.attrs.type === 'cancel') {
      this.#answer(event, iqResult(event.stanza));
      return true;
    }
    const configured = await this.#deps.store.update(event.to.local, (nodes) => configureNode(nodes, node, readForm(x), this.#deps.maxItems));
    return this.#reply(event, configured, () => iqResult(event.stanza));
  }

  /** Replies go to the asking session itself; a request the server generated is routed. */
  #answer(event: StanzaEvent, reply: Element): void {
    if (event.origin !== undefined) event.origin.send(reply);
    else this.#deps.send(reply);
  }

  #reply(event: StanzaEvent, result: Result<NodeConfig | unknown, StanzaError>, answer: () => Element): true | StanzaError {
    if (!result.ok) return result.error;
    this.#answer(event, answer());
    return true;
  }
}
