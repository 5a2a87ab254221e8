/**
 * Delayed delivery (XEP-0203): a stanza the server kept and hands over later says when it first
 * arrived, as `<delay xmlns='urn:xmpp:delay' from stamp/>` with an XEP-0082 DateTime in UTC to the
 * second, as Prosody writes it. One place for the format: offline storage and subscription
 * requests (`roster/`), held stanzas of inactive clients (`im/csi/`) and stream management's
 * redelivery (`server/stream/`) all stamp with it.
 */
import { Element } from 'ltx';
import { NS } from './ns.js';

/** An XEP-0082 DateTime in UTC, to the second (`2024-05-01T10:00:00Z`). */
export function delayStamp(when: Date | number = Date.now()): string {
  return `${new Date(when).toISOString().slice(0, 19)}Z`;
}

/** The `<delay/>` element (XEP-0203 §3). */
export function delayElement(from: string, stamp: string): Element {
  return new Element('delay', { xmlns: NS.delay, from, stamp });
}
