/**
 * Fault injection: slow delivery to one JID. A Guard-priority handler takes each stanza routed to
 * the JID off the router (so the sender's stream is not held up) and routes it again after the
 * delay; the second routing passes. Order is kept: every stanza waits the same time.
 */
import type { Element } from 'ltx';
import { Priority, type StanzaEvent } from '../hooks/index.js';
import { addHoldRule } from './held-stanzas.js';
import { jidArgument, jidMatches, STANZA_EVENTS, type TestableServer } from './testable-server.js';

/** An injected fault; `remove()` ends it. */
export interface Fault {
  /** Ends the fault: held stanzas are delivered at once, in order. Safe to call twice. */
  remove(): void;
}

/**
 * Holds every stanza the router routes to `jid` (a bare JID: all its resources) for `ms`
 * milliseconds. Held stanzas are released when the fault is removed or the server stops, so no
 * timer outlives the server. Stanzas a service writes straight to sessions (MUC fan-out) are
 * not routed, so not delayed.
 */
export function delayDelivery(server: TestableServer, jid: string, ms: number): Fault {
  const target = jidArgument(jid, 'delayDelivery');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delayDelivery: ${ms} is not a delay in milliseconds`);
  const released = new WeakSet<Element>();
  const held = new Map<NodeJS.Timeout, () => void>();
  const rule = { holds: (event: StanzaEvent) => jidMatches(target, event.to) && !released.has(event.stanza) };
  const releaseAll = (): void => {
    for (const [timer, release] of [...held]) {
      clearTimeout(timer);
      release();
    }
  };
  const hold = (event: StanzaEvent): true | undefined => {
    if (!rule.holds(event)) return undefined;
    const release = (): void => {
      held.delete(timer);
      released.add(event.stanza);
      void server.core.router.route(event.stanza, event.from, event.to, event.origin);
    };
    const timer = setTimeout(release, ms);
    held.set(timer, release);
    return true;
  };
  const removers: Array<() => void> = [];
  for (const host of server.core.hosts) {
    removers.push(addHoldRule(host, rule));
    for (const name of STANZA_EVENTS) removers.push(host.hooks.on(name, hold, Priority.Guard));
    removers.push(host.hooks.on('server-stopping', () => releaseAll()));
  }
  return {
    remove: () => {
      for (const remove of removers.splice(0)) remove();
      releaseAll();
    },
  };
}
