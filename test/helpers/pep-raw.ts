/**
 * Raw-XML steps for the PEP tests (XEP-0163): publish, read items, and entity capabilities
 * (XEP-0115) announced in presence, with the disco#info answer the server asks for. The caps
 * hash is computed here on its own (not with the server's code), so a mistake on either side
 * shows.
 */
import { createHash } from 'node:crypto';
import { expect } from '@jest/globals';
import type { Element } from 'ltx';
import type { RawClient } from './raw-client.js';
import { ask, sync } from './roster-raw.js';

export const PUBSUB = 'http://jabber.org/protocol/pubsub';
export const PUBSUB_OWNER = 'http://jabber.org/protocol/pubsub#owner';
export const PUBSUB_EVENT = 'http://jabber.org/protocol/pubsub#event';
export const PUBSUB_ERRORS = 'http://jabber.org/protocol/pubsub#errors';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';
const CAPS_NODE = 'https://salon.example/test-client';

/** A `<publish-options/>` form with these fields. */
export function publishOptions(fields: Record<string, string>): string {
  const body = Object.entries(fields).map(([name, value]) => `<field var='${name}'><value>${value}</value></field>`).join('');
  return `<publish-options><x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${PUBSUB}#publish-options</value></field>${body}</x></publish-options>`;
}

/** Publishes `item` (an `<item>` element's XML) to `node` on the own PEP service. */
export function publish(client: RawClient, node: string, item: string, options = ''): Promise<Element> {
  return ask(client, (id) => `<iq type='set' id='${id}'><pubsub xmlns='${PUBSUB}'><publish node='${node}'>${item}</publish>${options}</pubsub></iq>`);
}

/** Asks `to`'s PEP service for the items of `node`; `inner` goes inside `<items/>`. */
export function getItems(client: RawClient, to: string, node: string, attrs = '', inner = ''): Promise<Element> {
  return ask(client, (id) => `<iq type='get' id='${id}' to='${to}'><pubsub xmlns='${PUBSUB}'><items node='${node}'${attrs}>${inner}</items></pubsub></iq>`);
}

/** An owner request (`pubsub#owner`) on the own PEP service. */
export function ownerIq(client: RawClient, type: 'get' | 'set', payload: string): Promise<Element> {
  return ask(client, (id) => `<iq type='${type}' id='${id}'><pubsub xmlns='${PUBSUB_OWNER}'>${payload}</pubsub></iq>`);
}

/** The `<item/>` elements of an items result. */
export function itemsOf(reply: Element): Element[] {
  return reply.getChild('pubsub', PUBSUB)?.getChild('items')?.getChildren('item') ?? [];
}

/** The pubsub#errors condition of an error reply. */
export function pubsubCondition(reply: Element): string | undefined {
  return reply.getChild('error')?.children.find((c): c is Element => typeof c !== 'string' && c.attrs.xmlns === PUBSUB_ERRORS)?.name;
}

/** A headline event from `from` about `node`. */
export function isEvent(from: string, node: string): (el: Element) => boolean {
  return (el) => el.name === 'message' && el.attrs.from === from && el.getChild('event', PUBSUB_EVENT)?.getChild('items')?.attrs.node === node;
}

/** The disco#info answer a client with these features gives, and its XEP-0115 §5 `ver`. */
export function clientCaps(features: readonly string[]): { query: string; ver: string } {
  const identity = { category: 'client', type: 'pc', name: 'Salon test' };
  const all = [...new Set([DISCO_INFO, ...features])].sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const text = `${identity.category}/${identity.type}//${identity.name}<${all.map((f) => `${f}<`).join('')}`;
  const ver = createHash('sha1').update(text).digest('base64');
  const query = `<identity category='${identity.category}' type='${identity.type}' name='${identity.name}'/>${all.map((f) => `<feature var='${f}'/>`).join('')}`;
  return { query, ver };
}

/**
 * Sends available presence with caps for `features` and answers the server's disco#info query
 * (with the true answer, or one that does not hash to the advertised `ver` when `lie` is set).
 * Resolves once the server has read the answer. `ver` already known to the server: no query comes, pass
 * `expectQuery: false`.
 */
export async function announceCaps(client: RawClient, features: readonly string[], options: { lie?: boolean; expectQuery?: boolean } = {}): Promise<string> {
  const { query, ver } = clientCaps(features);
  const seen = client.received.length;
  client.send(`<presence><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='${CAPS_NODE}' ver='${ver}'/></presence>`);
  if (options.expectQuery === false) {
    await sync(client);
    return ver;
  }
  const iq = await client.waitFor((el) => el.name === 'iq' && el.attrs.type === 'get' && el.getChild('query', DISCO_INFO) !== undefined, 3000, seen);
  expect(iq.getChild('query')?.attrs.node).toBe(`${CAPS_NODE}#${ver}`);
  const answer = options.lie === true ? clientCaps([...features, 'urn:test:extra']).query : query;
  const reply = `<iq type='result' id='${String(iq.attrs.id)}' to='${String(iq.attrs.from)}'><query xmlns='${DISCO_INFO}' node='${CAPS_NODE}#${ver}'>${answer}</query></iq>`;
  // One stream's stanzas are handled in order: once the ping is answered, so is the answer read.
  // Both in one write: the answer alone gets no reply, and Nagle would hold the ping back.
  const pong = await ask(client, (id) => `${reply}<iq type='get' id='${id}' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`);
  expect(pong.attrs.type).toBe('result');
  return ver;
}
