/**
 * Unique and Stable Stanza IDs (XEP-0359). An archive that keeps a message stamps it with
 * `<stanza-id xmlns='urn:xmpp:sid:0' id by/>`, `by` naming the archive (the user's bare JID), so
 * every client of the account can refer to it in a MAM query. A client's own `<origin-id/>`
 * (XEP-0359 §4) needs nothing here: it travels untouched with the stanza, into the archive and
 * back out in query results.
 */
import { Element } from 'ltx';
import { parseJid } from '../../server/jid/index.js';
import { NS } from '../../server/xml/index.js';

function isStanzaId(child: Element | string): child is Element {
  return typeof child !== 'string' && child.name === 'stanza-id' && child.attrs.xmlns === NS.stanzaId;
}

/** Whether a `by` attribute names `archive` (a bare JID, compared after normalisation). */
function claims(by: unknown, archive: string): boolean {
  if (typeof by !== 'string') return false;
  if (by === archive) return true;
  const parsed = parseJid(by);
  return parsed.ok && parsed.value.toString() === archive;
}

/**
 * XEP-0359 §3.3: a server that stamps stanza ids for `archive` MUST remove every `<stanza-id/>`
 * claiming to come from it, or a sender could forge ids the recipient's clients would trust.
 * Changes `message` in place; returns how many were removed.
 */
export function stripStanzaIds(message: Element, archive: string): number {
  // Runs on every message, which almost never carries one: look before building a new list.
  if (!message.children.some(isStanzaId)) return 0;
  const before = message.children.length;
  message.children = message.children.filter((child) => !(isStanzaId(child) && claims(child.attrs.by, archive)));
  return before - message.children.length;
}

/** Adds the archive's `<stanza-id/>` to `message` (in place): XEP-0359 §3. */
export function stampStanzaId(message: Element, id: string, by: string): void {
  message.cnode(new Element('stanza-id', { xmlns: NS.stanzaId, id, by }));
}
