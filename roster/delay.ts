/** Delayed delivery (XEP-0203): stanzas the server kept and hands over later say when they arrived. */
import { Element, clone } from 'ltx';
import { NS } from '../server/xml/index.js';

/** An XEP-0082 DateTime in UTC, to the second (`2024-05-01T10:00:00Z`). */
export function delayStamp(date: Date = new Date()): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A copy of `stanza` carrying `<delay xmlns='urn:xmpp:delay' from stamp/>` (XEP-0203 §3). */
export function withDelay(stanza: Element, from: string, stamp: string): Element {
  const copy = clone(stanza);
  copy.cnode(new Element('delay', { xmlns: NS.delay, from, stamp }));
  return copy;
}
