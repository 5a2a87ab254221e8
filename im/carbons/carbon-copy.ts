/**
 * XEP-0280 §7, §8: the carbon itself. The original is wrapped with XEP-0297 Stanza Forwarding in
 * `<sent/>` or `<received/>`; the wrapper keeps the original's type and comes from the user's
 * bare JID (clients ignore carbons from anyone else, §11).
 */
import { clone, Element } from 'ltx';
import type { Jid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';

/** A carbon of `original` for the resources of `user`; each copy then gets its own `to`. */
export function carbonCopy(direction: 'sent' | 'received', original: Element, user: Jid): Element {
  const forwarded = clone(original);
  // Inside <forwarded/> the message's namespace is no longer the default one: say it.
  forwarded.attrs.xmlns = NS.client;
  // A message without `to` is addressed to the sender's own account (RFC 6120 §8.1.1.1).
  if (direction === 'sent' && forwarded.attrs.to === undefined) forwarded.attrs.to = user.toString();
  const attrs: Record<string, string> = { from: user.toString() };
  const type = original.attrs.type as string | undefined;
  if (type !== undefined) attrs.type = type;
  const carbon = new Element('message', attrs);
  carbon.c(direction, { xmlns: NS.carbons }).c('forwarded', { xmlns: NS.forward }).cnode(forwarded);
  return carbon;
}
