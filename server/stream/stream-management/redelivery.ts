/**
 * A stanza the client did not acknowledge is sent again later: on resumption (XEP-0198 §5), or to
 * `delivery-failure` once the session ended (offline storage, another resource). A message or
 * presence then says when the server first queued it (XEP-0203 `<delay/>`, from the account's
 * bare JID, as Prosody's mod_smacks stamps it), so the client shows the original time. An iq
 * gets none (a request or answer is not "delayed content"), nor a stanza that already carries a
 * delay (a held presence, a stored message: that one is older and more precise).
 */
import type { Element } from 'ltx';
import { outboundText, type OutboundXml } from '../../session/index.js';
import { delayElement, delayStamp, NS, parseXmlFragment, serializeElement } from '../../xml/index.js';
import type { UnackedStanza } from './unacked-queue.js';

/** Generous limits for re-reading bytes this server serialised itself. */
const OWN_OUTPUT_LIMITS = { maxStanzaBytes: 64 * 1024 * 1024, maxDepth: 1000, maxAttributes: 10_000 };

/** Bytes this server wrote, as an element again; undefined only if they do not parse (never expected). */
export function reparseOwnOutput(xml: OutboundXml): Element | undefined {
  const parsed = parseXmlFragment(outboundText(xml), OWN_OUTPUT_LIMITS);
  return parsed.ok ? parsed.value.element : undefined;
}

/** Adds the delay to `stanza` in place when it needs one; returns whether it did. */
export function stampQueueTime(stanza: Element, from: string, queuedAt: number): boolean {
  if (stanza.name !== 'message' && stanza.name !== 'presence') return false;
  if (stanza.getChild('delay', NS.delay) !== undefined) return false;
  stanza.cnode(delayElement(from, delayStamp(queuedAt)));
  return true;
}

/** The bytes to send again for `item`: unchanged unless a delay was added. */
export function redeliveryXml(item: UnackedStanza, from: string): OutboundXml {
  const stanza = reparseOwnOutput(item.xml);
  if (stanza === undefined || !stampQueueTime(stanza, from, item.queuedAt)) return item.xml;
  return serializeElement(stanza);
}
