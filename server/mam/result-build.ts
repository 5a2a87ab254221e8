/**
 * What a MAM query answers (XEP-0313 §4.2, §4.3): one `<message>` per archived stanza, each
 * `<result xmlns='urn:xmpp:mam:2' queryid id><forwarded xmlns='urn:xmpp:forward:0'><delay
 * stamp/>…</forwarded></result>` (XEP-0297, XEP-0203), then the iq result carrying `<fin
 * complete>` with the XEP-0059 `<set>` (first, last, count); and the #extended archive metadata.
 * Pure: the caller decides what of a stored stanza a reader sees, and sends.
 */
import { Element } from 'ltx';
import { StanzaError } from '../errors/index.js';
import type { ArchivedItem, ArchivePage, ArchiveQueryProblem } from '../storage/index.js';
import { NS, parseXmlFragment, type XmlLimits } from '../xml/index.js';
import { formatStamp } from './date-time.js';

/** Limits for reading back stanzas this server serialised itself (generous, still bounded). */
const STORED_LIMITS: Omit<XmlLimits, 'maxStanzaBytes'> = { maxDepth: 64, maxAttributes: 256 };

/** An archived stanza as an element, or undefined if the stored text is not XML (logged by the caller). */
export function storedStanza(text: string): Element | undefined {
  const parsed = parseXmlFragment(text, { ...STORED_LIMITS, maxStanzaBytes: Buffer.byteLength(text) });
  return parsed.ok ? parsed.value.element : undefined;
}

/** The answer to a query whose RSM id or #extended id bound names no item of the archive. */
export function unknownIdError(problem: ArchiveQueryProblem): StanzaError {
  return StanzaError.cancel('item-not-found', { text: `No such id in the archive (${problem})` });
}

/** One result message to the querying client; `from` the archive's address (a room) or none. */
export function resultMessage(item: ArchivedItem, stanza: Element, to: string, from: string | undefined, queryId: string | undefined): Element {
  const attrs: Record<string, string> = { to };
  if (from !== undefined) attrs.from = from;
  const message = new Element('message', attrs);
  const resultAttrs: Record<string, string> = { xmlns: NS.mam, id: item.id };
  if (queryId !== undefined) resultAttrs.queryid = queryId;
  // Inside <forwarded/> the stanza must say its namespace (XEP-0297 §3).
  stanza.attrs.xmlns = NS.client;
  message
    .c('result', resultAttrs)
    .c('forwarded', { xmlns: NS.forward })
    .c('delay', { xmlns: NS.delay, stamp: formatStamp(item.when) }).up()
    .cnode(stanza);
  return message;
}

/** A page's results in the order they are sent: newest first for `<flip-page/>`. */
export function resultOrder(page: ArchivePage, flipPage: boolean): readonly ArchivedItem[] {
  return flipPage ? [...page.items].reverse() : page.items;
}

/**
 * `<fin/>` for a page. `first` and `last` are the page's oldest and newest ids (items come
 * oldest first whichever end was asked for, XEP-0313 §4.3; `<flip-page/>` changes only the
 * order the results are sent in); an empty page has neither (XEP-0059 §2.6). `count` when the
 * store knows it cheaply. No `index`: see query-parse.ts.
 */
export function finElement(page: ArchivePage): Element {
  const fin = new Element('fin', page.complete ? { xmlns: NS.mam, complete: 'true' } : { xmlns: NS.mam });
  const set = fin.c('set', { xmlns: NS.rsm });
  const first = page.items[0];
  const last = page.items[page.items.length - 1];
  if (first !== undefined && last !== undefined) {
    set.c('first').t(first.id);
    set.c('last').t(last.id);
  }
  if (page.count !== undefined) set.c('count').t(String(page.count));
  return fin;
}

/** `<metadata/>` of an archive (XEP-0313 archive metadata, part of #extended): its oldest and newest items; empty for an empty archive. */
export function metadataElement(first: ArchivedItem | undefined, last: ArchivedItem | undefined): Element {
  const metadata = new Element('metadata', { xmlns: NS.mam });
  if (first !== undefined && last !== undefined) {
    metadata.c('start', { id: first.id, timestamp: formatStamp(first.when) });
    metadata.c('end', { id: last.id, timestamp: formatStamp(last.when) });
  }
  return metadata;
}
