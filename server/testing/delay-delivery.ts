/**
 * Fault injection: slow delivery to one JID. A Guard-priority handler takes each stanza routed to
 * the JID off the router (so the sender's stream is not held up) and routes it again after the
 * delay; the second routing passes. Stanzas a service writes straight to the JID's sessions (a
 * MUC room's fan-out) are taken the same way at `deliver-stanza` and handed back with
 * `deliverAgain`. Order is kept: every stanza waits the same time.
 */
import { Priority, type DeliveryEvent, type StanzaEvent } from '../hooks/index.js';
import { deliverAgain } from '../router/index.js';
import { addHoldRule } from './held-stanzas.js';
import { coreOfServer, jidArgument, jidMatches, STANZA_EVENTS, type TestableServer } from './testable-server.js';

/** An injected fault; `remove()` ends it. */
export interface Fault {
  /** Ends the fault: held stanzas are delivered at once, in order. Safe to call twice. */
  remove(): void;
}

/**
 * Holds every stanza delivered to `jid` (a bare JID: all its resources) for `ms` milliseconds,
 * routed or written straight to its sessions (MUC fan-out). Held stanzas are released when the
 * fault is removed or the server stops, so no timer outlives the server.
 */
export function delayDelivery(server: TestableServer, jid: string, ms: number): Fault {
  const target = jidArgument(jid, 'delayDelivery');
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`delayDelivery: ${ms} is not a delay in milliseconds`);
  // A routing is released by its element (routed again as is), a direct delivery by its event.
  const released = new WeakSet<object>();
  const held = new Map<NodeJS.Timeout, () => void>();
  const rule = {
    holds: (event: StanzaEvent | DeliveryEvent) => jidMatches(target, event.to) && !released.has('stanza' in event ? event.stanza : event),
  };
  const releaseAll = (): void => {
    for (const [timer, release] of [...held]) {
      clearTimeout(timer);
      release();
    }
  };
  const later = (release: () => void): true => {
    const timer = setTimeout(() => {
      held.delete(timer);
      release();
    }, ms);
    held.set(timer, () => {
      held.delete(timer);
      release();
    });
    return true;
  };
  const hold = (event: StanzaEvent): true | undefined => {
    if (!rule.holds(event)) return undefined;
    return later(() => {
      released.add(event.stanza);
      void coreOfServer(server).router.route(event.stanza, event.from, event.to, event.origin);
    });
  };
  const holdDelivery = (event: DeliveryEvent): true | undefined => {
    if (!rule.holds(event)) return undefined;
    return later(() => {
      released.add(event);
      deliverAgain(event);
    });
  };
  const removers: Array<() => void> = [];
  for (const host of coreOfServer(server).hosts) {
    removers.push(addHoldRule(host, rule));
    for (const name of STANZA_EVENTS) removers.push(host.hooks.on(name, hold, Priority.Guard));
    removers.push(host.hooks.on('deliver-stanza', holdDelivery, Priority.Guard));
    removers.push(host.hooks.on('server-stopping', () => releaseAll()));
  }
  return {
    remove: () => {
      for (const remove of removers.splice(0)) remove();
      releaseAll();
    },
  };
}
