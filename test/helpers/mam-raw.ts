/** Raw-XML steps of the MAM tests (XEP-0313): send a query, collect its results and `<fin/>`. */
import type { Element } from 'ltx';
import type { RawClient } from './raw-client.js';
import { nextId } from './roster-raw.js';

export const MAM = 'urn:xmpp:mam:2';
export const RSM = 'http://jabber.org/protocol/rsm';
export const SID = 'urn:xmpp:sid:0';

export interface MamFilters {
  with?: string;
  start?: string;
  end?: string;
  beforeId?: string;
  afterId?: string;
  ids?: string[];
  /** Extra raw fields, for malformed-form tests. */
  rawFields?: string;
}

export interface MamPaging {
  max?: number;
  after?: string;
  /** '' asks for the last page. */
  before?: string;
  index?: number;
}

export interface MamAnswer {
  /** The iq result or error. */
  iq: Element;
  /** Result messages for this query, in arrival order. */
  results: Element[];
}

function field(name: string, values: readonly string[]): string {
  return `<field var='${name}'>${values.map((v) => `<value>${v}</value>`).join('')}</field>`;
}

/** The `<query/>` XML of a MAM request. */
export function mamQueryXml(queryId: string, filters: MamFilters = {}, paging?: MamPaging, extra = ''): string {
  const fields: string[] = [];
  if (filters.with !== undefined) fields.push(field('with', [filters.with]));
  if (filters.start !== undefined) fields.push(field('start', [filters.start]));
  if (filters.end !== undefined) fields.push(field('end', [filters.end]));
  if (filters.beforeId !== undefined) fields.push(field('before-id', [filters.beforeId]));
  if (filters.afterId !== undefined) fields.push(field('after-id', [filters.afterId]));
  if (filters.ids !== undefined) fields.push(field('ids', filters.ids));
  if (filters.rawFields !== undefined) fields.push(filters.rawFields);
  const form = fields.length === 0 ? '' : `<x xmlns='jabber:x:data' type='submit'>${field('FORM_TYPE', [MAM]).replace("<field ", "<field type='hidden' ")}${fields.join('')}</x>`;
  let set = '';
  if (paging !== undefined) {
    set = `<set xmlns='${RSM}'>`;
    if (paging.max !== undefined) set += `<max>${paging.max}</max>`;
    if (paging.after !== undefined) set += `<after>${paging.after}</after>`;
    if (paging.before !== undefined) set += paging.before === '' ? '<before/>' : `<before>${paging.before}</before>`;
    if (paging.index !== undefined) set += `<index>${paging.index}</index>`;
    set += '</set>';
  }
  return `<query xmlns='${MAM}' queryid='${queryId}'>${form}${set}${extra}</query>`;
}

/** Sends a query to the client's own archive (or `to`) and collects the answer. */
export async function queryArchive(client: RawClient, filters: MamFilters = {}, paging?: MamPaging, options: { to?: string; extra?: string } = {}): Promise<MamAnswer> {
  const id = nextId('mam');
  const queryId = nextId('qid');
  const seen = client.received.length;
  const to = options.to === undefined ? '' : ` to='${options.to}'`;
  client.send(`<iq type='set' id='${id}'${to}>${mamQueryXml(queryId, filters, paging, options.extra)}</iq>`);
  const iq = await client.waitFor((el) => el.name === 'iq' && el.attrs.id === id, 5000, seen);
  const results = client.received.slice(seen).filter((el) => el.name === 'message' && el.getChild('result', MAM)?.attrs.queryid === queryId);
  return { iq, results };
}

/** The archived stanza inside a result message. */
export function forwarded(result: Element): Element {
  const stanza = result.getChild('result', MAM)?.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('message');
  if (stanza === undefined) throw new Error(`not a MAM result: ${result.toString()}`);
  return stanza;
}

export function bodiesOf(answer: MamAnswer): string[] {
  return answer.results.map((r) => forwarded(r).getChildText('body') ?? '');
}

export function idsOf(answer: MamAnswer): string[] {
  return answer.results.map((r) => String(r.getChild('result', MAM)?.attrs.id));
}

/** `<fin/>` of an iq result, with its RSM values. */
export function finOf(answer: MamAnswer): { complete: boolean; first?: string; last?: string; count?: number } {
  const fin = answer.iq.getChild('fin', MAM);
  if (fin === undefined) throw new Error(`no <fin/>: ${answer.iq.toString()}`);
  const set = fin.getChild('set', RSM);
  const count = set?.getChildText('count');
  return {
    complete: fin.attrs.complete === 'true',
    first: set?.getChildText('first') ?? undefined,
    last: set?.getChildText('last') ?? undefined,
    count: count === null || count === undefined ? undefined : Number(count),
  };
}

/** The `<stanza-id/>` values on a stanza by `by`. */
export function stanzaIds(stanza: Element, by: string): string[] {
  return stanza.getChildren('stanza-id', SID).filter((s) => s.attrs.by === by).map((s) => String(s.attrs.id));
}
