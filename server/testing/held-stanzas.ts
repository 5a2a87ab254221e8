/**
 * Which stanzas a delivery delay is holding back right now, shared by the delay fault and the
 * stanza tap: a tap records a held stanza when it is delivered, not when it is first routed,
 * whichever of the two was installed first.
 */
import type { DeliveryEvent, StanzaEvent } from '../hooks/index.js';
import type { Host } from '../host/index.js';

/** Decides whether one routing (or direct delivery) of a stanza is held back. */
export interface HoldRule {
  holds(event: StanzaEvent | DeliveryEvent): boolean;
}

const rules = new WeakMap<Host, Set<HoldRule>>();

/** Registers a rule on a host; returns its remover. */
export function addHoldRule(host: Host, rule: HoldRule): () => void {
  let set = rules.get(host);
  if (set === undefined) {
    set = new Set();
    rules.set(host, set);
  }
  set.add(rule);
  return () => set.delete(rule);
}

/** Whether some delay on the event's host holds this routing back. */
export function isHeld(event: StanzaEvent | DeliveryEvent): boolean {
  const set = rules.get(event.host);
  if (set === undefined) return false;
  for (const rule of set) if (rule.holds(event)) return true;
  return false;
}
