/**
 * The MAM protocol parts both archives share (server/mam/): Prosody's period syntax, reading
 * queries (form, RSM, #extended), the query form, result messages, `<fin/>`, metadata, stamps.
 */
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { Element, parse } from 'ltx';
import {
  createRetentionSweep, finElement, formatStamp, maxArchiveQueryResultsOption, metadataElement, parseArchivePeriod, parseMamQuery, parseStamp,
  queryFormElement, resultMessage, resultOrder, storedStanza,
} from '../../server/mam/index.js';
import { silentLogger } from '../../server/log/index.js';
import { MemoryArchiveStore } from '../../server/storage/index.js';

const DAY = 86_400;
const MAM = 'urn:xmpp:mam:2';
const RSM = 'http://jabber.org/protocol/rsm';
const limits = { maxResults: 50 };

function query(inner: string): Element {
  return parse(`<query xmlns='${MAM}' queryid='q1'>${inner}</query>`);
}

function form(fields: string): string {
  return `<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>${MAM}</value></field>${fields}</x>`;
}

/** The parsed query, failing the test on an error. */
function parsedOf(inner: string, queryLimits: { maxResults: number; defaultResults?: number } = limits) {
  const parsed = parseMamQuery(query(inner), queryLimits);
  if (!parsed.ok) throw new Error(`refused: ${parsed.error.condition}`);
  return parsed.value;
}

function conditionOf(inner: string): string {
  const parsed = parseMamQuery(query(inner), limits);
  return parsed.ok ? 'accepted' : parsed.error.condition;
}

describe('periods (archive_expires_after, muc_log_expires_after)', () => {
  test.each([
    ['1w', 7 * DAY], ['1d', DAY], ['2 days', 2 * DAY], ['12h', 12 * 3600], ['1min', 60], ['30min', 1800], ['30s', 30],
    ['1m', 31 * DAY], ['3 months', 93 * DAY], ['1y', 365.2425 * DAY], ['2 Weeks', 14 * DAY], [3600, 3600],
  ])('%p is %p seconds', (value, seconds) => {
    expect(parseArchivePeriod(value)).toEqual({ ok: true, value: seconds });
  });

  test('"never" and false keep forever', () => {
    expect(parseArchivePeriod('never')).toEqual({ ok: true, value: 'never' });
    expect(parseArchivePeriod(false)).toEqual({ ok: true, value: 'never' });
  });

  test.each(['a fortnight', '1 fortnight', '', '-1d', 0, -5, true])('%p is refused', (value) => {
    expect(parseArchivePeriod(value).ok).toBe(false);
  });
});

describe('max_archive_query_results', () => {
  test('Prosody\'s default of 50, bounded', () => {
    expect(maxArchiveQueryResultsOption.parse(undefined)).toBe(50);
    expect(z.object({ m: maxArchiveQueryResultsOption }).safeParse({ m: 100_000 }).success).toBe(false);
    expect(z.object({ m: maxArchiveQueryResultsOption }).safeParse({ m: 0 }).success).toBe(false);
  });
});

describe('parseMamQuery', () => {
  test('no form, no RSM: the oldest page of 20 (Prosody\'s default), within the cap', () => {
    expect(parsedOf('')).toEqual({ queryId: 'q1', archive: { limit: 20, fromEnd: false }, flipPage: false });
    expect(parsedOf('', { maxResults: 10 }).archive.limit).toBe(10);
    expect(parsedOf('', { maxResults: 50, defaultResults: 30 }).archive.limit).toBe(30);
  });

  test('form fields and RSM become store bounds; RSM max is capped', () => {
    expect(parsedOf(form(
      "<field var='with'><value>room@conference.localhost/Bob</value></field>"
      + "<field var='start'><value>2024-01-01T00:00:00Z</value></field><field var='end'><value>2024-01-02T00:00:00Z</value></field>"
      + "<field var='ids'><value>a</value><value>b</value><value></value></field>",
    ) + `<set xmlns='${RSM}'><max>500</max><after>x1</after></set><flip-page/>`)).toEqual({
      queryId: 'q1',
      archive: {
        with: 'room@conference.localhost/Bob', start: Date.UTC(2024, 0, 1), end: Date.UTC(2024, 0, 2), ids: ['a', 'b'],
        afterId: 'x1', limit: 50, fromEnd: false,
      },
      flipPage: true,
    });
  });

  test('with is normalised (XEP-0313 §4.1.1: a bare JID also matches its full JIDs in the store)', () => {
    expect(parsedOf(form("<field var='with'><value>Juliet@Capulet.LIT</value></field>")).archive.with).toBe('juliet@capulet.lit');
  });

  test('RSM and #extended bounds combine: the narrower of each applies; <before/> pages from the end', () => {
    const both = parsedOf(
      form("<field var='after-id'><value>b</value></field><field var='before-id'><value>y</value></field>")
        + `<set xmlns='${RSM}'><max>500</max><after>a</after><before>x</before></set>`,
    );
    expect(both.archive).toMatchObject({ afterId: 'b', beforeId: 'x', limit: 50, fromEnd: true });
    expect(parsedOf(`<set xmlns='${RSM}'><before/></set>`).archive).toEqual({ limit: 20, fromEnd: true });
    const last = parsedOf(`<set xmlns='${RSM}'><max>5</max><before/></set>`);
    expect(last.archive).toEqual({ limit: 5, fromEnd: true });
    const before = parsedOf(form("<field var='after-id'><value>a0</value></field>") + `<set xmlns='${RSM}'><before>z9</before></set>`);
    expect(before.archive).toEqual({ afterId: 'a0', beforeId: 'z9', limit: 20, fromEnd: true });
    // The form's before-id still bounds the last page that an empty <before/> asks for.
    const lastBefore = parsedOf(form("<field var='before-id'><value>m5</value></field>") + `<set xmlns='${RSM}'><before/></set>`);
    expect(lastBefore.archive).toEqual({ beforeId: 'm5', limit: 20, fromEnd: true });
  });

  test('as Prosody reads a form: the first of a repeated field or value counts; fields without var are ignored', () => {
    const parsed = parsedOf(form(
      "<field var='after-id'><value>a1</value><value>a2</value></field><field var='after-id'><value>a3</value></field>"
      + "<field type='fixed'><value>note</value></field>",
    ));
    expect(parsed.archive).toEqual({ afterId: 'a1', limit: 20, fromEnd: false });
  });

  test.each([
    ['another FORM_TYPE', "<x xmlns='jabber:x:data' type='submit'><field var='FORM_TYPE'><value>urn:xmpp:mam:1</value></field></x>", 'bad-request'],
    ['an unknown field', form("<field var='withtext'><value>hi</value></field>"), 'bad-request'],
    ['a start that is not a DateTime', form("<field var='start'><value>2024-02-30T00:00:00Z</value></field>"), 'bad-request'],
    ['an end that is not a DateTime', form("<field var='end'><value>2024-13-45</value></field>"), 'bad-request'],
    ['a with that is not a JID', form("<field var='with'><value>@nobody</value></field>"), 'bad-request'],
    ['too many ids', form(`<field var='ids'>${'<value>i</value>'.repeat(1001)}</field>`), 'bad-request'],
    ['a max that is not a number', `<set xmlns='${RSM}'><max>ten</max></set>`, 'bad-request'],
    ['a negative max', `<set xmlns='${RSM}'><max>-1</max></set>`, 'bad-request'],
    ['paging by index (XEP-0059 §2.6)', `<set xmlns='${RSM}'><index>3</index></set>`, 'feature-not-implemented'],
  ])('%s is refused', (_what, inner, condition) => {
    expect(conditionOf(inner)).toBe(condition);
  });
});

describe('XEP-0082 stamps', () => {
  test('parsing: zones and fractions; impossible dates and times are refused', () => {
    expect(parseStamp('2024-02-29T12:00:00Z')).toBe(Date.UTC(2024, 1, 29, 12));
    expect(parseStamp('2024-02-29T12:00:00.25+02:00')).toBe(Date.UTC(2024, 1, 29, 10, 0, 0, 250));
    for (const bad of ['2023-02-29T00:00:00Z', '2024-02-29T24:00:00Z', '2024-02-29T10:00:00+25:00', '2024-02-29', '2024-02-29T10:00:00']) {
      expect(parseStamp(bad)).toBeUndefined();
    }
  });

  test('formatting: UTC, milliseconds only when there are some (as Prosody)', () => {
    expect(formatStamp(Date.UTC(2024, 0, 1))).toBe('2024-01-01T00:00:00Z');
    expect(formatStamp(Date.UTC(2024, 0, 1, 0, 0, 0, 7))).toBe('2024-01-01T00:00:00.007Z');
  });
});

describe('answers', () => {
  const item = (id: string, when = 0) => ({ id, when, with: 'r@c/N', stanza: "<message xmlns='jabber:client' type='chat'><body>hi</body></message>" });

  test('the query form offers every field a query may submit, with XEP-0313\'s datatypes', () => {
    const x = queryFormElement().getChild('x', 'jabber:x:data')!;
    expect(x.attrs.type).toBe('form');
    expect(x.getChildren('field').map((f) => `${f.attrs.var}:${f.attrs.type}`)).toEqual([
      'FORM_TYPE:hidden', 'with:jid-single', 'start:text-single', 'end:text-single', 'before-id:text-single', 'after-id:text-single', 'ids:list-multi',
    ]);
    expect(x.getChildByAttr('var', 'start')?.getChild('validate')?.attrs.datatype).toBe('xs:dateTime');
  });

  test('a result message forwards the stanza with its stamp, queryid and from only when given', () => {
    const stanza = storedStanza(item('A1').stanza)!;
    const message = resultMessage(item('A1', Date.UTC(2024, 0, 1)), stanza, 'u@h/r', 'room@c', 'q1');
    expect(message.toString()).toBe(
      '<message to="u@h/r" from="room@c"><result xmlns="urn:xmpp:mam:2" id="A1" queryid="q1"><forwarded xmlns="urn:xmpp:forward:0">'
      + '<delay xmlns="urn:xmpp:delay" stamp="2024-01-01T00:00:00Z"/><message xmlns="jabber:client" type="chat"><body>hi</body></message>'
      + '</forwarded></result></message>',
    );
    const bare = resultMessage(item('A2'), parse('<message><body>x</body></message>'), 'u@h/r', undefined, undefined);
    expect(bare.attrs.from).toBeUndefined();
    expect(bare.getChild('result')?.attrs.queryid).toBeUndefined();
    expect(bare.getChild('result')?.getChild('forwarded')?.getChild('message')?.attrs.xmlns).toBe('jabber:client');
    expect(storedStanza('<message><unclosed></message>')).toBeUndefined();
  });

  test('flip-page sends a page newest first; <fin/> names it oldest and newest all the same', () => {
    const page = { items: [item('a'), item('b'), item('c')], complete: false };
    expect(resultOrder(page, true).map((i) => i.id)).toEqual(['c', 'b', 'a']);
    expect(resultOrder(page, false).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(finElement(page).getChild('set')?.getChildText('first')).toBe('a');
  });

  test('fin: first and last in time order, count when known, complete only when true', () => {
    const fin = finElement({ items: [item('a'), item('b')], complete: false, count: 7 });
    expect(fin.attrs.complete).toBeUndefined();
    expect(fin.getChild('set')?.toString()).toBe('<set xmlns="http://jabber.org/protocol/rsm"><first>a</first><last>b</last><count>7</count></set>');
    expect(finElement({ items: [], complete: true }).toString()).toBe('<fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"/></fin>');
  });

  test('<fin/> of an empty page has a count and no first/last', () => {
    const fin = finElement({ items: [], complete: true, count: 0 });
    expect(fin.toString()).toBe('<fin xmlns="urn:xmpp:mam:2" complete="true"><set xmlns="http://jabber.org/protocol/rsm"><count>0</count></set></fin>');
  });

  test('metadata: the oldest and newest items, nothing for an empty archive', () => {
    expect(metadataElement(undefined, undefined).toString()).toBe('<metadata xmlns="urn:xmpp:mam:2"/>');
    const metadata = metadataElement(item('a', Date.UTC(2024, 0, 1)), item('z', Date.UTC(2024, 0, 2, 0, 0, 0, 5)));
    expect(metadata.getChild('start')?.attrs).toEqual({ id: 'a', timestamp: '2024-01-01T00:00:00Z' });
    expect(metadata.getChild('end')?.attrs).toEqual({ id: 'z', timestamp: '2024-01-02T00:00:00.005Z' });
  });
});

describe('the retention sweep', () => {
  test('removes what is older than the period from every archive; a sweep asked for during another shares it', async () => {
    const store = new MemoryArchiveStore();
    const now = Date.UTC(2024, 0, 10);
    await store.append('a@h', { id: 'old', when: now - 2 * DAY * 1000, with: 'b@h', stanza: '<message/>' });
    await store.append('r@c', { id: 'old2', when: now - 2 * DAY * 1000, with: 'r@c/N', stanza: '<message/>' });
    await store.append('a@h', { id: 'new', when: now - 1000, with: 'b@h', stanza: '<message/>' });
    const sweep = createRetentionSweep(store, DAY, silentLogger(), () => now);
    const [first, second] = [sweep.sweep(), sweep.sweep()];
    expect(first).toBe(second);
    expect(await first).toBe(2);
    const left = await store.query('a@h', { limit: 10 });
    expect(typeof left === 'string' ? left : left.items.map((i) => i.id)).toEqual(['new']);
    expect(await sweep.sweep()).toBe(0);
  });
});
