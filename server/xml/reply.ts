/** Builders for replies to a stanza: results and errors (RFC 6120 §8.2.3, §8.3). */
import { Element } from 'ltx';
import type { StanzaError } from '../errors/index.js';
import { NS } from './ns.js';

/** The `<error/>` child for a StanzaError. */
export function errorElement(error: StanzaError): Element {
  const attrs: Record<string, string> = { type: error.type };
  if (error.by !== undefined) attrs.by = error.by;
  const el = new Element('error', attrs);
  el.c(error.condition, { xmlns: NS.stanzas });
  if (error.text !== undefined) el.c('text', { xmlns: NS.stanzas, 'xml:lang': 'en' }).t(error.text);
  if (error.appCondition !== undefined) el.c(error.appCondition.name, { xmlns: error.appCondition.xmlns });
  return el;
}

/**
 * The error reply to `original`, or undefined when none may be sent: RFC 6120 §8.3.1 forbids
 * answering an error with an error, and iq results are never answered.
 */
export function errorReply(original: Element, error: StanzaError, options: { includeOriginal?: boolean } = {}): Element | undefined {
  const { type, from, to, id } = original.attrs as Record<string, string | undefined>;
  if (type === 'error' || (original.name === 'iq' && type === 'result')) return undefined;
  const attrs: Record<string, string> = { type: 'error' };
  if (to !== undefined) attrs.from = to;
  if (from !== undefined) attrs.to = from;
  if (id !== undefined) attrs.id = id;
  const reply = new Element(original.name, attrs);
  // RFC 6120 §8.3.1: the error MAY include the original payload; iq errors usually echo the query.
  if (options.includeOriginal === true) for (const child of original.children) if (typeof child !== 'string') reply.cnode(child);
  reply.cnode(errorElement(error));
  return reply;
}

/** An empty `type='result'` reply to an iq (RFC 6120 §8.2.3), optionally with a payload. */
export function iqResult(request: Element, payload?: Element): Element {
  const { from, to, id } = request.attrs as Record<string, string | undefined>;
  const attrs: Record<string, string> = { type: 'result' };
  if (to !== undefined) attrs.from = to;
  if (from !== undefined) attrs.to = from;
  if (id !== undefined) attrs.id = id;
  const reply = new Element('iq', attrs);
  if (payload !== undefined) reply.cnode(payload);
  return reply;
}
