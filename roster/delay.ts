/** Delayed delivery (XEP-0203): stanzas the server kept and hands over later say when they arrived. */
import { clone, type Element } from 'ltx';
import { delayElement } from '../server/xml/index.js';

export { delayStamp } from '../server/xml/index.js';

/** A copy of `stanza` carrying `<delay xmlns='urn:xmpp:delay' from stamp/>` (XEP-0203 §3). */
export function withDelay(stanza: Element, from: string, stamp: string): Element {
  const copy = clone(stanza);
  copy.cnode(delayElement(from, stamp));
  return copy;
}
