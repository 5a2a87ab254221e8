/**
 * vcard-temp (XEP-0054): a user reads and replaces their own vCard, and anyone reads a user's
 * vCard, which the server answers on the user's behalf whether the user is online or not (§3.3).
 */
import { Element } from 'ltx';
import { StanzaError } from '../../server/errors/index.js';
import { isOwnRequest, type StanzaEvent } from '../../server/hooks/index.js';
import { iqResult, serializeElement } from '../../server/xml/index.js';
import { VCARD_TEMP } from './vcard-namespaces.js';
import type { VCardStore } from './vcard-store.js';

export interface VCardIqContext {
  readonly store: VCardStore;
  readonly maxSize: number;
  /** Whether an account exists on this host. */
  accountExists(username: string): Promise<boolean>;
  send(stanza: Element): void;
  /** The user's vCard was replaced by `vcard` (after it is durable and the client answered). */
  changed(username: string, vcard: Element): void;
}

/**
 * An iq-get: the stored vCard. With none stored, the user's own request gets an empty `<vCard/>`
 * (§3.1 allows it, and clients such as slixmpp's avatar plugin read the vCard before changing it);
 * anyone else gets `item-not-found` (§3.3), or `service-unavailable` for an account that does not
 * exist (RFC 6121 §8.5.1).
 */
export async function answerVCardGet(ctx: VCardIqContext, event: StanzaEvent): Promise<true | StanzaError> {
  const username = event.to.local;
  const vcard = await ctx.store.get(username);
  if (vcard !== undefined) {
    ctx.send(iqResult(event.stanza, vcard));
    return true;
  }
  if (isOwnRequest(event)) {
    ctx.send(iqResult(event.stanza, new Element('vCard', { xmlns: VCARD_TEMP })));
    return true;
  }
  if (!(await ctx.accountExists(username))) return StanzaError.cancel('service-unavailable');
  return StanzaError.cancel('item-not-found');
}

/**
 * An iq-set: replaces the user's vCard as a whole (§3.2). Only the account's own clients may
 * (`forbidden` otherwise, §3.2); a vCard over `vcard_max_size` is `not-acceptable`, nothing kept.
 */
export async function answerVCardSet(ctx: VCardIqContext, event: StanzaEvent): Promise<true | StanzaError> {
  if (!isOwnRequest(event)) return StanzaError.auth('forbidden');
  const vcard = event.stanza.getChild('vCard', VCARD_TEMP);
  if (vcard === undefined) return StanzaError.modify('bad-request');
  const xml = serializeElement(vcard);
  if (Buffer.byteLength(xml) > ctx.maxSize) {
    return StanzaError.modify('not-acceptable', { text: `The vCard is larger than ${ctx.maxSize} bytes` });
  }
  await ctx.store.set(event.to.local, vcard, xml);
  ctx.send(iqResult(event.stanza));
  ctx.changed(event.to.local, vcard);
  return true;
}
