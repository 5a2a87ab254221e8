/**
 * Which stanzas an inactive client must get at once (XEP-0352 §5 leaves the choice to servers).
 * The rules are Prosody's mod_csi_simple: requests, messages a person reads (a body, a subject,
 * an invitation, an encrypted payload, a call), delivery errors, subscription requests and the
 * user's own messages sent from another device. Presence updates, chat states, receipts and
 * headlines wait. Pure: decided on the stanza alone.
 */
import type { Element } from 'ltx';
import type { StanzaShape } from '../../server/session/index.js';
import { NS } from '../../server/xml/index.js';

/** XEP-0380 Explicit Message Encryption: an encrypted message may say anything. */
const EME = 'urn:xmpp:eme:0';
/** XEP-0353 Jingle Message Initiation: a call is ringing. */
const JINGLE_MESSAGE = new Set(['urn:xmpp:jingle-message:0', 'urn:xmpp:jingle-message:1']);

/** A payload an operator declares important (`csi_important_payloads`): `{namespace}name`. */
export interface PayloadName {
  readonly xmlns: string;
  readonly name: string;
}

/** Parses `{urn:example}name` (or `{urn:example}` for any element of the namespace); undefined if malformed. */
export function parsePayloadName(text: string): PayloadName | undefined {
  const match = /^\{([^}]+)\}(.*)$/.exec(text);
  if (match === null) return undefined;
  return { xmlns: match[1]!, name: match[2]! };
}

export function isImportant(stanza: StanzaShape, extra: readonly PayloadName[]): boolean {
  if (stanza.name === 'iq') return true;
  if (stanza.name === 'presence') {
    // Availability changes wait; subscription requests and their answers need the user.
    const type = stanza.type;
    return !(type === undefined || type === 'unavailable' || type === 'error');
  }
  if (stanza.name !== 'message') return true;
  if (stanza.type === 'headline') return false; // ephemeral by definition
  if (stanza.type === 'error') return true; // a delivery failure the user should see
  return isImportantMessage(stanza.element(), extra);
}

function isImportantMessage(message: Element, extra: readonly PayloadName[]): boolean {
  // The user wrote it on another device: this one should stop notifying about the conversation.
  if (message.getChild('sent', NS.carbons) !== undefined) return true;
  const content = receivedCarbon(message) ?? message;
  if (content.getChild('body') !== undefined) return true;
  if (content.getChild('subject') !== undefined) return true; // the last step of a MUC join
  if (content.getChild('encryption', EME) !== undefined) return true;
  if (content.getChild('x', NS.conference) !== undefined) return true;
  if (content.getChild('x', NS.mucUser)?.getChild('invite') !== undefined) return true;
  for (const child of content.children) {
    if (typeof child === 'string') continue;
    const xmlns = child.attrs.xmlns as string | undefined;
    if (xmlns !== undefined && JINGLE_MESSAGE.has(xmlns)) return true;
    for (const payload of extra) {
      if (payload.xmlns === xmlns && (payload.name === '' || payload.name === child.name)) return true;
    }
  }
  return false;
}

/** The message inside a received carbon (XEP-0280 §7): judged as if it came directly. */
function receivedCarbon(message: Element): Element | undefined {
  return message.getChild('received', NS.carbons)?.getChild('forwarded', NS.forward)?.getChild('message', NS.client);
}
