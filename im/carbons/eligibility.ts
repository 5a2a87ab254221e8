/**
 * XEP-0280 §6: which messages are copied. The XEP leaves the exact rules to servers and suggests
 * some; these are Prosody's (mod_carbons), so clients see the same behaviour on both servers.
 * Pure: decided on the stanza and two facts about its addresses.
 */
import type { Element } from 'ltx';
import { hasHint, NS } from '../../server/xml/index.js';

/** XEP-0353 Jingle Message Initiation, both versions in use: a call rings on every device. */
const JINGLE_MESSAGE = new Set(['urn:xmpp:jingle-message:0', 'urn:xmpp:jingle-message:1']);

export type CopyReason =
  | 'private' | 'no-copy' | 'muc-pm' | 'groupchat' | 'headline' | 'default'
  | 'chat' | 'normal-with-body' | 'bounce' | 'jingle-message' | 'archived';

export interface CopyVerdict {
  readonly copy: boolean;
  readonly reason: CopyReason;
}

export interface CopyQuestion {
  readonly message: Element;
  /** `sent`: the user's client sent it; `received`: it is being delivered to the user. */
  readonly direction: 'sent' | 'received';
  /** The user's bare JID as text (matches a stanza-id's `by`). */
  readonly user: string;
  /** The message is addressed to the user's bare JID (received messages). */
  readonly toBare: boolean;
  /** The message comes from a bare JID (received messages): a bounce of one sent to a bare JID. */
  readonly fromBare: boolean;
}

const no = (reason: CopyReason): CopyVerdict => ({ copy: false, reason });
const yes = (reason: CopyReason): CopyVerdict => ({ copy: true, reason });

export function carbonsVerdict(question: CopyQuestion): CopyVerdict {
  const { message, direction } = question;
  const type = (message.attrs.type as string | undefined) ?? 'normal';
  // §6: MUC traffic is not copied; the other devices are in the room themselves.
  if (type === 'groupchat') return no('groupchat');
  // Headlines are not instant messages (§6: only messages used for IM are copied).
  if (type === 'headline') return no('headline');
  // §7: the sender opted out for this message; XEP-0334 §4.3 asks the same.
  if (message.getChild('private', NS.carbons) !== undefined) return no('private');
  if (hasHint(message, 'no-copy')) return no('no-copy');
  // §6 and XEP-0045 §7.5: a private message from a room occupant (to a full JID, with the
  // muc#user marker) is seen by the device in the room only. A PM the user sends is copied, so
  // the user's other devices see their side of it.
  if (direction === 'received' && !question.toBare && message.getChild('x', NS.mucUser) !== undefined) return no('muc-pm');
  if (type === 'chat') return yes('chat');
  if (type === 'normal' && message.getChild('body') !== undefined) return yes('normal-with-body');
  // §6 suggests copying errors answering copied messages; without tracking them, an error from
  // a bare JID is taken as the bounce of a message the user sent to that bare JID (as Prosody).
  if (type === 'error' && direction === 'received' && question.fromBare) return yes('bounce');
  for (const child of message.children) {
    if (typeof child !== 'string' && JINGLE_MESSAGE.has(child.attrs.xmlns as string)) return yes('jingle-message');
  }
  // The user's archive kept it (XEP-0359 stanza-id by the account): it belongs to the conversation.
  for (const id of message.getChildren('stanza-id', NS.stanzaId)) {
    if (id.attrs.by === question.user) return yes('archived');
  }
  return no('default');
}

/** §7: the receiving server removes `<private/>` before delivering the message. */
export function stripPrivate(message: Element): void {
  const index = message.children.findIndex((c) => typeof c !== 'string' && c.name === 'private' && c.attrs.xmlns === NS.carbons);
  if (index >= 0) message.children.splice(index, 1);
}
