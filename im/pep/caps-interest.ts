/**
 * Which nodes each available resource wants notifications for (XEP-0163 §4.3, "+notify"),
 * learnt from XEP-0115 entity capabilities in its presence. A `ver` is trusted only once a
 * disco#info answer hashing to it (SHA-1, XEP-0115 §5) was seen, and such answers are cached by
 * `ver` (bounded LRU: `pep_caps_cache_size`). An unknown `ver` costs one disco#info query to the
 * resource (one in flight per `ver`, at most `MAX_QUERIES_IN_FLIGHT`, each with a deadline).
 */
import { Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import type { StanzaEvent } from '../../server/hooks/index.js';
import type { Logger } from '../../server/log/index.js';
import { GrowingLru } from '../../server/storage/index.js';
import { NS } from '../../server/xml/index.js';
import { capsVer, notifyNodes } from './caps-hash.js';
import { PUBSUB } from './pubsub-ns.js';

/** Disco#info queries awaiting an answer at once; past this, unknown `ver`s wait for a later presence. */
const MAX_QUERIES_IN_FLIGHT = 256;
/** Deadline of one disco#info query to a client. */
const QUERY_TIMEOUT_MS = 10_000;
/** Resources whose capabilities are remembered (entries leave with unavailable presence). */
const MAX_TRACKED_RESOURCES = 100_000;

type Nodes = ReadonlySet<string>;

interface PendingQuery {
  readonly ver: string;
  readonly full: string;
  readonly waiters: ((nodes: Nodes | undefined) => void)[];
  readonly timer: NodeJS.Timeout;
}

export interface CapsInterestDeps {
  readonly host: string;
  readonly cacheSize: number;
  readonly logger: Logger;
  send(stanza: Element): void;
  setTimeout(callback: () => void, ms: number): NodeJS.Timeout;
}

export class CapsInterest {
  readonly #deps: CapsInterestDeps;
  /** Verified `ver` → the nodes its disco#info answer asks notifications for. */
  readonly #byVer: GrowingLru<string, Nodes>;
  /** Full JID → the `ver` its last available presence advertised. */
  readonly #verOf = new GrowingLru<string, string>({ max: MAX_TRACKED_RESOURCES });
  /** iq id → query. */
  readonly #pending = new Map<string, PendingQuery>();
  readonly #pendingByVer = new Map<string, PendingQuery>();
  /** Full JID → the id of the one query it may have in flight. */
  readonly #pendingByJid = new Map<string, string>();
  #nextId = 0;

  constructor(deps: CapsInterestDeps) {
    this.#deps = deps;
    this.#byVer = new GrowingLru({ max: deps.cacheSize });
  }

  /**
   * An available presence from `full`: remembers its `ver` and resolves the nodes it wants
   * (undefined without usable caps, or when no answer hashing to `ver` came in time).
   */
  observe(full: Jid, presence: Element): Promise<Nodes | undefined> {
    const key = full.toString();
    const caps = presence.getChild('c', PUBSUB.caps);
    // A presence update without caps keeps what the resource said before.
    if (caps === undefined) return Promise.resolve(this.nodesOf(key));
    const ver = caps.attrs.ver as string | undefined;
    // XEP-0115 §5: only sha-1 hashes are verified here; the legacy format has no hash.
    if (ver === undefined || caps.attrs.hash !== 'sha-1') {
      this.#verOf.delete(key);
      return Promise.resolve(undefined);
    }
    this.#verOf.set(key, ver);
    const known = this.#byVer.get(ver);
    if (known !== undefined) return Promise.resolve(known);
    return this.#query(full, (caps.attrs.node as string | undefined) ?? '', ver);
  }

  /** The nodes `full` wants notifications for, if its capabilities are known and verified. */
  nodesOf(full: string): Nodes | undefined {
    const ver = this.#verOf.get(full);
    return ver === undefined ? undefined : this.#byVer.get(ver);
  }

  /** The `ver` the resource's presence advertised last, if any. */
  verOf(full: string): string | undefined {
    return this.#verOf.get(full);
  }

  forget(full: string): void {
    this.#verOf.delete(full);
  }

  /** `iq/host`: the answer to one of our queries (true), or someone else's iq (undefined). */
  onIqResponse(event: StanzaEvent): true | undefined {
    const { type, id } = event.stanza.attrs as Record<string, string | undefined>;
    if ((type !== 'result' && type !== 'error') || id === undefined) return undefined;
    const pending = this.#pending.get(id);
    // Only the queried resource answers its query; anything else is someone else's iq.
    if (pending === undefined || event.from.toString() !== pending.full) return undefined;
    const query = type === 'result' ? event.stanza.getChild('query', NS.discoInfo) : undefined;
    // XEP-0115 §5.4: the answer is used only if it hashes to the advertised `ver`.
    const verified = query !== undefined && capsVer(query) === pending.ver;
    if (!verified) this.#deps.logger.debug({ from: event.from.toString(), ver: pending.ver }, 'capabilities not verified');
    const nodes = verified ? new Set(notifyNodes(query)) : undefined;
    if (nodes !== undefined) this.#byVer.set(pending.ver, nodes);
    this.#settle(id, pending, nodes);
    return true;
  }

  #query(full: Jid, node: string, ver: string): Promise<Nodes | undefined> {
    return new Promise((resolve) => {
      const inFlight = this.#pendingByVer.get(ver);
      if (inFlight !== undefined) {
        inFlight.waiters.push(resolve);
        return;
      }
      // One query per resource: a client changing its ver again gives up its earlier query,
      // so a client that never answers holds one slot at most.
      const earlier = this.#pendingByJid.get(full.toString());
      const earlierQuery = earlier === undefined ? undefined : this.#pending.get(earlier);
      if (earlier !== undefined && earlierQuery !== undefined) this.#settle(earlier, earlierQuery, undefined);
      if (this.#pending.size >= MAX_QUERIES_IN_FLIGHT) {
        resolve(undefined);
        return;
      }
      const id = `pep-caps-${++this.#nextId}`;
      const timer = this.#deps.setTimeout(() => this.#settle(id, pending, undefined), QUERY_TIMEOUT_MS);
      const pending: PendingQuery = { ver, full: full.toString(), waiters: [resolve], timer };
      this.#pending.set(id, pending);
      this.#pendingByVer.set(ver, pending);
      this.#pendingByJid.set(pending.full, id);
      const iq = new Element('iq', { type: 'get', from: this.#deps.host, to: full.toString(), id });
      iq.c('query', { xmlns: NS.discoInfo, node: `${node}#${ver}` });
      this.#deps.send(iq);
    });
  }

  #settle(id: string, pending: PendingQuery, nodes: Nodes | undefined): void {
    if (this.#pending.get(id) !== pending) return;
    clearTimeout(pending.timer);
    this.#pending.delete(id);
    this.#pendingByVer.delete(pending.ver);
    if (this.#pendingByJid.get(pending.full) === id) this.#pendingByJid.delete(pending.full);
    for (const waiter of pending.waiters) waiter(nodes);
  }
}
