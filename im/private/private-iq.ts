/**
 * XEP-0049 §2.3: a user's own resources get and set private XML fragments. Anyone else is refused
 * with `forbidden` (the XEP's preferred condition; §4: nobody but an authorised resource of the
 * user may create, update or delete it).
 */
import { Element, parse } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../server/hooks/index.js';
import { iqResult } from '../../server/xml/index.js';
import { isEmptyFragment, PRIVATE_NS, readPrivateRequest } from './private-request.js';
import type { PrivateInterceptor } from './private-service.js';
import type { PrivateStore } from './private-store.js';

type Answer = true | StanzaError;

function privateQuery(stanza: Element): Element | undefined {
  return stanza.getChild('query', PRIVATE_NS);
}

/** A get: the stored fragment, or the empty element asked for when nothing is stored under it. */
export async function answerPrivateGet(store: PrivateStore, event: StanzaEvent, interceptors: ReadonlyMap<string, PrivateInterceptor> = new Map()): Promise<Answer> {
  if (!isOwnRequest(event) || event.origin === undefined) return StanzaError.auth('forbidden');
  const query = privateQuery(event.stanza);
  if (query === undefined) return StanzaError.modify('bad-request');
  const request = readPrivateRequest(query, 'get');
  if (!request.ok) return request.error;
  const [asked] = request.value;
  if (asked === undefined) return StanzaError.modify('not-acceptable');
  const interceptor = interceptors.get(asked.key);
  if (interceptor !== undefined) {
    event.origin.send(iqResult(event.stanza, new Element('query', { xmlns: PRIVATE_NS }).cnode(await interceptor.get(event.to.bare())).root()));
    return true;
  }
  const xml = await store.get(event.to.local, asked.key);
  const result = new Element('query', { xmlns: PRIVATE_NS });
  // Stored by this module from a canonical element, so it parses back; the element asked for
  // stands in for what is not there (XEP-0049 §2.3: "returns the private data", here none).
  result.cnode(xml === undefined ? new Element(asked.element.name, { xmlns: asked.element.attrs.xmlns as string }) : parse(xml));
  event.origin.send(iqResult(event.stanza, result));
  return true;
}

/**
 * A set: every fragment replaces what its key held; an empty element forgets the key. Intercepted
 * fragments go to their interceptor first; the others are stored together after them (a failing
 * interceptor stores nothing here).
 */
export async function answerPrivateSet(store: PrivateStore, event: StanzaEvent, interceptors: ReadonlyMap<string, PrivateInterceptor> = new Map()): Promise<Answer> {
  if (!isOwnRequest(event) || event.origin === undefined) return StanzaError.auth('forbidden');
  const query = privateQuery(event.stanza);
  if (query === undefined) return StanzaError.modify('bad-request');
  const request = readPrivateRequest(query, 'set');
  if (!request.ok) return request.error;
  for (const { key, element } of request.value) {
    const kept = await interceptors.get(key)?.set(event.to.bare(), element);
    if (kept !== undefined && !kept.ok) return kept.error;
  }
  const changes = request.value.filter(({ key }) => !interceptors.has(key)).map(({ key, element }) => ({ key, xml: isEmptyFragment(element) ? undefined : element.toString() }));
  if (changes.length > 0) {
    const stored = await store.apply(event.to.local, changes);
    if (!stored.ok) return stored.error;
  }
  event.origin.send(iqResult(event.stanza));
  return true;
}
