/**
 * A direct message from the server to a user (pure parts): who it may come from, and the stanza.
 * It comes from the user's own host, or from a JID of that host (`noreply@example.org`, a bot's
 * account), never from another server's name: the API cannot forge a third party's messages.
 */
import { Element } from 'ltx';
import { err, ok, type Result } from '../../server/errors/index.js';
import { Jid, parseJid } from '../../server/jid/index.js';

export type DirectMessageType = 'chat' | 'normal' | 'headline';

/** The sender: the recipient's host when `from` is absent, else `from` if it is of that host. */
export function directMessageSender(recipient: Jid, from: string | undefined): Result<Jid, 'invalid-from'> {
  if (from === undefined) return ok(new Jid('', recipient.domain));
  const parsed = parseJid(from);
  if (!parsed.ok || parsed.value.domain !== recipient.domain) return err('invalid-from');
  return ok(parsed.value);
}

export interface DirectMessage {
  readonly from: Jid;
  readonly to: Jid;
  readonly id: string;
  readonly type: DirectMessageType;
  readonly body: string;
  readonly subject?: string | undefined;
}

export function directMessageStanza(message: DirectMessage): Element {
  const stanza = new Element('message', {
    xmlns: 'jabber:client', from: message.from.toString(), to: message.to.toString(), type: message.type, id: message.id,
  });
  if (message.subject !== undefined && message.subject !== '') stanza.c('subject').t(message.subject).up();
  stanza.c('body').t(message.body);
  return stanza;
}
