/**
 * XEP-0049 §2.3: what a `jabber:iq:private` query asks for, checked before any storage is read.
 * Pure: the query element in, the fragments and their keys (or the error to answer) out.
 */
import type { Element } from 'ltx';
import { err, ok, StanzaError, type Result } from '../../server/errors/index.js';

export const PRIVATE_NS = 'jabber:iq:private';

/** One fragment of a query: its storage key (`name:namespace`, as Prosody keys them) and the element. */
export interface PrivateFragment {
  readonly key: string;
  readonly element: Element;
}

/**
 * XEP-0049 §2.3: namespaces reserved in Jabber ('jabber:…', 'http://jabber.org/…', 'vcard-temp')
 * may be refused with "Not Acceptable"; Salon refuses them, so nobody stores a roster or a vCard
 * here that clients would then mistake for the real one.
 */
export function isReservedNamespace(namespace: string): boolean {
  return namespace.startsWith('jabber:') || namespace.startsWith('http://jabber.org/') || namespace === 'vcard-temp';
}

function notAcceptable(text: string): StanzaError {
  return StanzaError.modify('not-acceptable', { text });
}

/**
 * The fragments of `query`. A get names exactly one namespace (§2.3: "a client MUST NOT query for
 * more than one namespace"); a set stores one or more, each under its own key. Every fragment is
 * in a namespace of its own (§2.3 and the schema's `##other`): in canonical form an element that
 * carries no `xmlns` is in the query's namespace, which is refused as having no namespace.
 */
export function readPrivateRequest(query: Element, type: 'get' | 'set'): Result<PrivateFragment[], StanzaError> {
  const children = query.children.filter((child): child is Element => typeof child !== 'string');
  if (children.length === 0) return err(notAcceptable('The query carries no element to store or retrieve'));
  if (type === 'get' && children.length > 1) return err(notAcceptable('A get asks for one namespace only'));
  const fragments: PrivateFragment[] = [];
  const keys = new Set<string>();
  for (const element of children) {
    const namespace = element.attrs.xmlns as string | undefined;
    if (namespace === undefined || namespace === '' || namespace === PRIVATE_NS) {
      return err(notAcceptable('Stored data needs a namespace of its own'));
    }
    if (isReservedNamespace(namespace)) return err(notAcceptable(`The namespace ${namespace} is reserved`));
    const key = `${element.name}:${namespace}`;
    // Two fragments with one key in one set: which one to keep would be a guess.
    if (keys.has(key)) return err(notAcceptable(`<${element.name} xmlns='${namespace}'/> appears twice`));
    keys.add(key);
    fragments.push({ key, element });
  }
  return ok(fragments);
}

/** An element with no children and no attributes but its namespace: storing it is deleting. */
export function isEmptyFragment(element: Element): boolean {
  return element.children.length === 0 && Object.keys(element.attrs).every((name) => name === 'xmlns');
}
