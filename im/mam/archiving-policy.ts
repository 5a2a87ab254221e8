/**
 * Which messages a user archive keeps (XEP-0313 §5.1.1 leaves it to the server; this follows
 * Prosody's mod_mam `should_store`): messages a person would want to find again. Never
 * headlines (ephemeral by definition), groupchat (the room keeps its own archive), errors, or a
 * message that carries nothing but a chat state (XEP-0085 §5.5); never one whose sender asked
 * `no-store` or `no-permanent-store`; always one that asks `store` (XEP-0334 §4). Otherwise a
 * body, a subject, encrypted payloads (OMEMO, OpenPGP, XEP-0380's marker), receipts and chat
 * markers, invitations and call signalling are kept. Prosody also keeps error bounces addressed
 * to a full JID; Salon keeps no errors: the sender's archive already has the message, and an
 * error read back from history would look like a new failure.
 */
import type { Element } from 'ltx';
import { hasHint, NS } from '../../server/xml/index.js';

const CHAT_STATES = 'http://jabber.org/protocol/chatstates';

/** Payload namespaces that make a message worth keeping, whatever the element's name. */
const KEPT_NAMESPACES: ReadonlySet<string> = new Set([
  'eu.siacs.conversations.axolotl', // OMEMO (legacy namespace, what clients send today)
  'urn:xmpp:omemo:2', // OMEMO 0.8+
  'urn:xmpp:openpgp:0', // XEP-0373
  'jabber:x:encrypted', // XEP-0027
  'urn:xmpp:eme:0', // XEP-0380: "this message is encrypted"
  'urn:xmpp:receipts', // XEP-0184: worth a receipt, worth keeping; and the receipt itself
  'urn:xmpp:chat-markers:0', // XEP-0333
  'jabber:x:conference', // XEP-0249 direct invitation
  'urn:xmpp:jingle-message:0', // XEP-0353 call signalling
  'urn:xmpp:jingle-message:1',
]);

const MUC_USER = 'http://jabber.org/protocol/muc#user';

/** Whether a user archive keeps `message` (its recipient's and sender's preferences aside). */
export function shouldArchive(message: Element): boolean {
  const type = (message.attrs.type as string | undefined) ?? 'normal';
  if (type === 'headline' || type === 'groupchat' || type === 'error') return false;
  if (hasHint(message, 'no-store') || hasHint(message, 'no-permanent-store')) return false;
  if (hasHint(message, 'store')) return true;
  for (const child of message.children) {
    if (typeof child === 'string') continue;
    const ns = child.attrs.xmlns as string | undefined;
    if (ns === NS.client || ns === undefined) {
      if (child.name === 'body' || child.name === 'subject') return true;
      continue;
    }
    if (ns === CHAT_STATES) continue;
    if (KEPT_NAMESPACES.has(ns)) return true;
    if (ns === MUC_USER && child.getChild('invite') !== undefined) return true; // XEP-0045 mediated invitation
  }
  return false;
}
