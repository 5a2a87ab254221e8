/**
 * A tap on delivery: a Guard-priority handler on every host's generic stanza events
 * (`message/bare`, `presence/full`, `iq/host`, …) and on `deliver-stanza` records a copy of each
 * stanza routed, or written straight to a session by a service (a MUC room's fan-out, one copy per
 * recipient session), and lets it continue. Nothing is patched: removing the tap removes its
 * handlers.
 *
 * One kind of stanza is not seen: iq requests a module answers through a payload-specific event
 * (`iq-get/host/urn:xmpp:ping:ping`, roster gets) before the generic `iq/*` one fires (their
 * replies are routed, and seen). A stanza an inbound guard registered before the tap refuses (a
 * blocked sender) is not recorded.
 */
import { clone, type Element } from 'ltx';
import { Priority, type DeliveryEvent, type StanzaEvent } from '../hooks/index.js';
import type { Jid } from '../jid/index.js';
import { isHeld } from './held-stanzas.js';
import { coreOfServer, jidArgument, jidMatches, STANZA_EVENTS, type TestableServer } from './testable-server.js';

/** One stanza the tap saw. */
export interface CapturedStanza {
  readonly name: string;
  readonly type: string | undefined;
  readonly id: string | undefined;
  /** Normalised by the router. */
  readonly from: string;
  readonly to: string;
  /** The host whose event saw it (the host of `to`). */
  readonly host: string;
  /** `performance.now()` when it was routed or delivered. */
  readonly at: number;
  /** A copy, taken when routed: later changes by modules do not show. */
  readonly element: Element;
  /** `element` serialised. */
  readonly xml: string;
}

export type StanzaPredicate = (stanza: CapturedStanza) => boolean;

export interface StanzaTapOptions {
  /** Only stanzas whose address matches this JID (a bare JID matches all of its resources). */
  readonly jid?: string;
  /** Which address `jid` is compared with; default `to` ("routed for the JID"). */
  readonly match?: 'to' | 'from' | 'either';
  /** Most stanzas kept; the oldest are dropped beyond it. Default 10 000. */
  readonly limit?: number;
}

export interface WaitOptions {
  /** Default 5 000 ms; the promise rejects with the stanzas seen when nothing matched in time. */
  readonly timeoutMs?: number;
  /** Look at captured stanzas from this index on (`tap.count` before an action); default 0. */
  readonly since?: number;
}

interface Waiter {
  readonly predicate: StanzaPredicate;
  readonly resolve: (stanza: CapturedStanza) => void;
  readonly reject: (error: unknown) => void;
}

function capture(event: StanzaEvent | DeliveryEvent): CapturedStanza {
  // A direct delivery builds a new element per call: no copy needed.
  const element = 'stanza' in event ? clone(event.stanza) : event.element();
  const attrs = element.attrs as Record<string, string | undefined>;
  return Object.freeze({
    name: element.name, type: attrs.type, id: attrs.id, from: event.from?.toString() ?? '', to: event.to.toString(),
    host: event.host.name, at: performance.now(), element, xml: element.toString(),
  });
}

/** Records the stanzas delivered on a server (see the file comment); created by `tapStanzas`. */
export class StanzaTap {
  readonly #jid: Jid | undefined;
  readonly #match: 'to' | 'from' | 'either';
  readonly #limit: number;
  readonly #stanzas: CapturedStanza[] = [];
  readonly #waiters = new Set<Waiter>();
  readonly #removers: Array<() => void> = [];
  #dropped = 0;

  constructor(server: TestableServer, options: StanzaTapOptions = {}) {
    this.#jid = options.jid === undefined ? undefined : jidArgument(options.jid, 'tapStanzas');
    this.#match = options.match ?? 'to';
    this.#limit = options.limit ?? 10_000;
    const record = (event: StanzaEvent | DeliveryEvent): undefined => this.#record(event);
    for (const host of coreOfServer(server).hosts) {
      for (const name of STANZA_EVENTS) this.#removers.push(host.hooks.on(name, record, Priority.Guard));
      this.#removers.push(host.hooks.on('deliver-stanza', record, Priority.Guard));
    }
  }

  /** The stanzas kept, oldest first (a copy). */
  get stanzas(): readonly CapturedStanza[] {
    return [...this.#stanzas];
  }

  /** How many stanzas were captured in all (dropped ones included): a mark for `since`. */
  get count(): number {
    return this.#dropped + this.#stanzas.length;
  }

  /** Captured stanzas matching `predicate`. */
  filter(predicate: StanzaPredicate): CapturedStanza[] {
    return this.#stanzas.filter(predicate);
  }

  /** The first captured stanza (from `since`) matching `predicate`, or the next one to be captured. */
  waitFor(predicate: StanzaPredicate, options: WaitOptions = {}): Promise<CapturedStanza> {
    const from = Math.max(0, (options.since ?? 0) - this.#dropped);
    const found = this.#stanzas.slice(from).find(predicate);
    if (found !== undefined) return Promise.resolve(found);
    const timeoutMs = options.timeoutMs ?? 5_000;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        const seen = this.#stanzas.slice(-5).map((s) => s.xml).join('\n  ');
        reject(new Error(`no matching stanza within ${timeoutMs} ms; last stanzas seen:\n  ${seen || '(none)'}`));
      }, timeoutMs);
      const settle = (): void => {
        clearTimeout(timer);
        this.#waiters.delete(waiter);
      };
      const waiter: Waiter = {
        predicate,
        resolve: (stanza) => {
          settle();
          resolve(stanza);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      this.#waiters.add(waiter);
    });
  }

  /** Forgets the captured stanzas (waiters keep waiting). */
  clear(): void {
    this.#dropped += this.#stanzas.length;
    this.#stanzas.length = 0;
  }

  /** Removes the tap's handlers; pending waits still time out. Safe to call twice. */
  stop(): void {
    for (const remove of this.#removers.splice(0)) remove();
  }

  #matches(event: StanzaEvent | DeliveryEvent): boolean {
    const jid = this.#jid;
    if (jid === undefined) return true;
    const to = this.#match !== 'from' && jidMatches(jid, event.to);
    return to || (this.#match !== 'to' && event.from !== undefined && jidMatches(jid, event.from));
  }

  #record(event: StanzaEvent | DeliveryEvent): undefined {
    // A held stanza is recorded when it is routed again, on delivery.
    if (!this.#matches(event) || isHeld(event)) return undefined;
    const stanza = capture(event);
    this.#stanzas.push(stanza);
    if (this.#stanzas.length > this.#limit) {
      this.#stanzas.shift();
      this.#dropped += 1;
    }
    for (const waiter of [...this.#waiters]) this.#offer(waiter, stanza);
    return undefined;
  }

  /** A throwing predicate fails its own wait, never the routing of the stanza. */
  #offer(waiter: Waiter, stanza: CapturedStanza): void {
    let matched: boolean;
    try {
      matched = waiter.predicate(stanza);
    } catch (error) {
      waiter.reject(error);
      return;
    }
    if (matched) waiter.resolve(stanza);
  }
}

/** Starts recording the stanzas delivered on `server` (all, or those for `options.jid`). */
export function tapStanzas(server: TestableServer, options: StanzaTapOptions = {}): StanzaTap {
  return new StanzaTap(server, options);
}

/**
 * Resolves with the next stanza delivered on `server` that matches `predicate` (and `options.jid`);
 * rejects after `options.timeoutMs` (default 5 000). Start waiting before the action that causes it.
 */
export async function waitForStanza(
  server: TestableServer, predicate: StanzaPredicate, options: StanzaTapOptions & Omit<WaitOptions, 'since'> = {},
): Promise<CapturedStanza> {
  const tap = new StanzaTap(server, { ...options, limit: 1 });
  try {
    return await tap.waitFor(predicate, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
  } finally {
    tap.stop();
  }
}
