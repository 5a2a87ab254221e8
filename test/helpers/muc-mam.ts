/**
 * Raw-XML steps for room-archive tests: MAM queries to a room (XEP-0313) and what they return.
 */
import type { Element } from 'ltx';
import type { RawClient } from './raw-client.js';
import { nextId, SERVICE, xmlEscape } from './muc-harness.js';

export const MAM = 'urn:xmpp:mam:2';
export const RSM = 'http://jabber.org/protocol/rsm';
export const SID = 'urn:xmpp:sid:0';
export const FORWARD = 'urn:xmpp:forward:0';

export interface MamQuery {
  /** Form fields: with, start, end, before-id, after-id, ids. */
  fields?: Record<string, string | string[]>;
  max?: number;
  /** RSM `<before/>`: '' for the last page. */
  before?: string;
  after?: string;
  flipPage?: boolean;
}

export interface MamAnswer {
  /** The iq result or error. */
  readonly iq: Element;
  /** The result messages, in the order they arrived. */
  readonly results: Element[];
  readonly ids: string[];
  readonly bodies: string[];
  readonly complete: boolean;
  readonly first: string | undefined;
  readonly last: string | undefined;
  readonly count: number | undefined;
}

function formXml(fields: Record<string, string | string[]>): string {
  const body = Object.entries(fields).map(([name, value]) => {
    const values = (Array.isArray(value) ? value : [value]).map((v) => `<value>${xmlEscape(v)}</value>`).join('');
    return `<field var='${name}'>${values}</field>`;
  }).join('');
  return `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE' type='hidden'><value>${MAM}</value></field>${body}</x>`;
}

function rsmXml(query: MamQuery): string {
  const parts = [
    query.max === undefined ? '' : `<max>${query.max}</max>`,
    query.before === undefined ? '' : query.before === '' ? '<before/>' : `<before>${query.before}</before>`,
    query.after === undefined ? '' : `<after>${query.after}</after>`,
  ].join('');
  return parts === '' ? '' : `<set xmlns='${RSM}'>${parts}</set>`;
}

/** The forwarded message inside a result. */
export function forwardedMessage(result: Element): Element | undefined {
  return result.getChild('result', MAM)?.getChild('forwarded', FORWARD)?.getChild('message');
}

/** Sends a MAM query to `room@conference.localhost` and collects its results and `<fin/>`. */
export async function queryRoom(client: RawClient, room: string, query: MamQuery = {}): Promise<MamAnswer> {
  const id = nextId('mam');
  const queryId = nextId('qid');
  const seen = client.received.length;
  const form = query.fields === undefined ? '' : formXml(query.fields);
  client.send(`<iq type='set' id='${id}' to='${room}@${SERVICE}'><query xmlns='${MAM}' queryid='${queryId}'>${form}${rsmXml(query)}`
    + `${query.flipPage === true ? '<flip-page/>' : ''}</query></iq>`);
  const iq = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === id, 3000, seen);
  const results = client.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('result', MAM)?.attrs.queryid === queryId);
  const fin = iq.getChild('fin', MAM);
  const set = fin?.getChild('set', RSM);
  const count = set?.getChildText('count');
  return {
    iq,
    results,
    ids: results.map((el) => String(el.getChild('result', MAM)?.attrs.id)),
    bodies: results.map((el) => forwardedMessage(el)?.getChildText('body') ?? ''),
    complete: fin?.attrs.complete === 'true',
    first: set?.getChildText('first') ?? undefined,
    last: set?.getChildText('last') ?? undefined,
    count: count === undefined || count === null ? undefined : Number(count),
  };
}

/** The room's `<stanza-id/>` values on a message (by = the room). */
export function roomStanzaIds(message: Element, room: string): string[] {
  return message.getChildren('stanza-id', SID).filter((el) => el.attrs.by === `${room}@${SERVICE}`).map((el) => String(el.attrs.id));
}

/** Sends a groupchat body and waits until `waiter` receives its reflection; resolves with it. */
export async function say(sender: RawClient, waiter: RawClient, room: string, body: string, extra = ''): Promise<Element> {
  const id = nextId('g');
  const seen = waiter.received.length;
  sender.send(`<message to='${room}@${SERVICE}' type='groupchat' id='${id}'><body>${xmlEscape(body)}</body>${extra}</message>`);
  return waiter.waitFor((el) => el.name === 'message' && el.attrs.id === id && el.attrs.type === 'groupchat', 3000, seen);
}
