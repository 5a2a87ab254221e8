import { describe, expect, test } from '@jest/globals';
import { Element, parse } from 'ltx';
import {
  DEFAULT_MAX_HISTORY_BYTES, HistoryBuffer, delayElement, effectiveHistoryLength, isHistoryWorthy, parseHistoryRequest, selectHistory,
  type HistoryEntry,
} from '../../muc/delivery/history.js';
import { formatDateTime, parseDateTime } from '../../muc/delivery/date-time.js';
import { NS } from '../../server/xml/ns.js';

const ROOM = 'coven@chat.example';
const T0 = Date.parse('2024-05-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

function groupchat(body: string, id = body): Element {
  const message = new Element('message', { type: 'groupchat', id, to: 'someone@example/res', from: 'x@example/y' });
  message.c('body').t(body);
  return message;
}

/** Ten messages "m0" … "m9", one per minute, from alternating occupants. */
function filledBuffer(capacity = 20, count = 10): HistoryBuffer {
  const buffer = new HistoryBuffer(capacity);
  for (let i = 0; i < count; i += 1) {
    buffer.add(groupchat(`m${i}`), { roomJid: ROOM, occupantJid: `${ROOM}/nick${i % 2}`, now: at(i * 60) });
  }
  return buffer;
}

const bodies = (entries: readonly HistoryEntry[]) => entries.map((e) => e.stanza.getChildText('body'));

describe('HistoryBuffer', () => {
  test('stores the reflected message without to, from the occupant, with a delay from the room', () => {
    const buffer = new HistoryBuffer(20);
    const entry = buffer.add(groupchat('Thrice the brinded cat hath mew\'d.'), {
      roomJid: ROOM, occupantJid: `${ROOM}/firstwitch`, now: new Date('2002-10-13T23:58:37Z'),
    });
    expect(entry).toBeDefined();
    expect(entry?.stanza.attrs.to).toBeUndefined();
    expect(entry?.stanza.attrs.from).toBe(`${ROOM}/firstwitch`);
    expect(entry?.from).toBe(`${ROOM}/firstwitch`);
    const delay = entry?.stanza.getChild('delay', NS.delay);
    expect(delay?.attrs).toEqual({ xmlns: NS.delay, from: ROOM, stamp: '2002-10-13T23:58:37Z' });
    expect(entry?.xml).toBe(entry?.stanza.toString());
    expect(entry?.chars).toBe(entry?.xml.length);
  });

  test('does not change the message it was given', () => {
    const message = groupchat('hello');
    new HistoryBuffer(5).add(message, { roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(0) });
    expect(message.attrs.to).toBe('someone@example/res');
    expect(message.getChild('delay')).toBeUndefined();
  });

  test('counts characters, not UTF-16 units or bytes', () => {
    const entry = new HistoryBuffer(5).add(groupchat('😀é'), { roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(0) });
    expect(entry?.chars).toBe([...(entry?.xml ?? '')].length);
    expect(entry?.chars).toBe((entry?.xml.length ?? 0) - 2);
  });

  test('is bounded by bytes as well: the oldest messages go first, a too-large one is not kept', () => {
    const context = (i: number) => ({ roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(i) });
    const one = new HistoryBuffer(20).add(groupchat('x'.repeat(1000), 'm'), context(0))!;
    expect(one.bytes).toBe(Buffer.byteLength(one.xml));
    const buffer = new HistoryBuffer(20, one.bytes * 3);
    for (let i = 0; i < 5; i += 1) buffer.add(groupchat('x'.repeat(1000), 'm'), context(i));
    expect(buffer.size).toBe(3);
    expect(buffer.bytes).toBe(one.bytes * 3);
    expect(buffer.entries().map((e) => e.timestamp.getTime())).toEqual([at(2), at(3), at(4)].map((d) => d.getTime()));
    // Multi-byte text counts in UTF-8 bytes: 1000 "é" take 2000 bytes, the room for two of the others.
    buffer.add(groupchat('é'.repeat(1000), 'm'), context(5));
    expect([buffer.size, buffer.bytes <= one.bytes * 3]).toEqual([2, true]);
    expect(buffer.add(groupchat('x'.repeat(4000), 'm'), context(6))).toBeUndefined();
    expect(buffer.size).toBe(2);
    buffer.clear();
    expect([buffer.size, buffer.bytes]).toEqual([0, 0]);
  });

  test('the shipped byte bound keeps twenty messages of 4 KiB and drops a stanza at the c2s limit', () => {
    const buffer = new HistoryBuffer(20, DEFAULT_MAX_HISTORY_BYTES);
    for (let i = 0; i < 20; i += 1) buffer.add(groupchat('x'.repeat(4096), `m${i}`), { roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(i) });
    expect(buffer.size).toBe(20);
    expect(buffer.add(groupchat('x'.repeat(256 * 1024), 'big'), { roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(30) })).toBeUndefined();
    expect(buffer.size).toBe(20);
  });

  test('keeps only the newest messages up to its capacity', () => {
    const buffer = filledBuffer(3);
    expect(buffer.size).toBe(3);
    expect(bodies(buffer.entries())).toEqual(['m7', 'm8', 'm9']);
  });

  test('shrinking the capacity drops the oldest messages; zero keeps nothing', () => {
    const buffer = filledBuffer(20);
    buffer.setCapacity(2);
    expect(bodies(buffer.entries())).toEqual(['m8', 'm9']);
    buffer.setCapacity(0);
    expect(buffer.size).toBe(0);
    expect(buffer.add(groupchat('x'), { roomJid: ROOM, occupantJid: `${ROOM}/a`, now: at(0) })).toBeUndefined();
  });

  test('the effective length is the room\'s, bounded by max_history_messages (default 20)', () => {
    expect(effectiveHistoryLength(20)).toBe(20);
    expect(effectiveHistoryLength(50)).toBe(20);
    expect(effectiveHistoryLength(50, 100)).toBe(50);
    expect(effectiveHistoryLength(5, 100)).toBe(5);
    expect(effectiveHistoryLength(-1)).toBe(0);
  });

  test('only groupchat messages with a body are history; subjects are not (§7.2.13)', () => {
    expect(isHistoryWorthy(groupchat('hi'))).toBe(true);
    expect(isHistoryWorthy(parse(`<message type='groupchat'><subject>Topic</subject></message>`))).toBe(false);
    expect(isHistoryWorthy(parse(`<message type='chat'><body>pm</body></message>`))).toBe(false);
  });
});

describe('selectHistory (§7.2.14)', () => {
  const buffer = filledBuffer();
  const now = at(9 * 60 + 30);

  test('without limits, everything the room keeps, oldest first', () => {
    expect(bodies(selectHistory(buffer, {}, now))).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']);
  });

  test('maxstanzas keeps the newest N', () => {
    expect(bodies(selectHistory(buffer, { maxstanzas: 3 }, now))).toEqual(['m7', 'm8', 'm9']);
    expect(selectHistory(buffer, { maxstanzas: 100 }, now)).toHaveLength(10);
  });

  test('maxstanzas="0" and maxchars="0" send nothing', () => {
    expect(selectHistory(buffer, { maxstanzas: 0 }, now)).toEqual([]);
    expect(selectHistory(buffer, { maxchars: 0 }, now)).toEqual([]);
  });

  test('maxchars counts complete stanzas and never cuts one', () => {
    const each = buffer.entries()[9]?.chars ?? 0;
    expect(each).toBeGreaterThan(0);
    expect(buffer.entries().every((e) => e.chars === each)).toBe(true);
    expect(bodies(selectHistory(buffer, { maxchars: each * 2 }, now))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { maxchars: each * 2 + each - 1 }, now))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { maxchars: each - 1 }, now))).toEqual([]);
  });

  test('maxchars includes the to attribute each stanza will carry', () => {
    const each = buffer.entries()[9]?.chars ?? 0;
    const to = 'hecate@example/broom';
    const withTo = each + ` to="${to}"`.length;
    expect(bodies(selectHistory(buffer, { maxchars: withTo * 2 }, now, to))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { maxchars: withTo * 2 - 1 }, now, to))).toEqual(['m9']);
  });

  test('seconds keeps messages received in the last X seconds', () => {
    // m9 at 540 s, m8 at 480 s; now is 570 s.
    expect(bodies(selectHistory(buffer, { seconds: 90 }, now))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { seconds: 89 }, now))).toEqual(['m9']);
    expect(selectHistory(buffer, { seconds: 0 }, now)).toEqual([]);
  });

  test('since keeps messages received at or after the datetime', () => {
    expect(bodies(selectHistory(buffer, { since: at(420) }, now))).toEqual(['m7', 'm8', 'm9']);
    expect(bodies(selectHistory(buffer, { since: at(421) }, now))).toEqual(['m8', 'm9']);
    expect(selectHistory(buffer, { since: new Date('1970-01-01T00:00:00Z') }, now)).toHaveLength(10);
  });

  test('the smallest of the limits applies', () => {
    expect(bodies(selectHistory(buffer, { maxstanzas: 5, seconds: 150 }, now))).toEqual(['m7', 'm8', 'm9']);
    expect(bodies(selectHistory(buffer, { maxstanzas: 2, seconds: 150 }, now))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { since: at(0), seconds: 90 }, now))).toEqual(['m8', 'm9']);
    expect(bodies(selectHistory(buffer, { since: at(500), seconds: 400 }, now))).toEqual(['m9']);
    const each = buffer.entries()[9]?.chars ?? 0;
    expect(bodies(selectHistory(buffer, { maxstanzas: 4, maxchars: each * 3, since: at(0) }, now))).toEqual(['m7', 'm8', 'm9']);
  });

  test('accepts a plain array of entries', () => {
    expect(bodies(selectHistory(buffer.entries().slice(0, 2), { maxstanzas: 1 }, now))).toEqual(['m1']);
  });
});

describe('parseHistoryRequest', () => {
  const x = (history: string) => parse(`<x xmlns='http://jabber.org/protocol/muc'>${history}</x>`);

  test('no <history/> means no limits', () => {
    expect(parseHistoryRequest(x(''))).toEqual({});
    expect(parseHistoryRequest(x('<password>pw</password>'))).toEqual({});
  });

  test('reads every attribute', () => {
    expect(parseHistoryRequest(x(`<history maxchars='65000' maxstanzas='20' seconds='180' since='1970-01-01T00:00:00Z'/>`)))
      .toEqual({ maxchars: 65000, maxstanzas: 20, seconds: 180, since: new Date(0) });
  });

  test('zero is a valid limit', () => {
    expect(parseHistoryRequest(x(`<history maxchars='0'/>`))).toEqual({ maxchars: 0 });
  });

  test('invalid values are ignored, valid ones kept', () => {
    expect(parseHistoryRequest(x(`<history maxchars='-1' maxstanzas='ten' seconds='1.5' since='yesterday'/>`))).toEqual({});
    expect(parseHistoryRequest(x(`<history maxchars='' maxstanzas='3' since='2024-02-30T00:00:00Z'/>`))).toEqual({ maxstanzas: 3 });
  });

  test('a <history/> in another namespace is not read', () => {
    const foreign = parse(`<x xmlns='http://jabber.org/protocol/muc'><history xmlns='urn:example' maxstanzas='1'/></x>`);
    expect(parseHistoryRequest(foreign)).toEqual({});
  });
});

describe('XEP-0082 datetimes and XEP-0203 delay', () => {
  test.each([
    ['1970-01-01T00:00:00Z', 0],
    ['2002-10-13T23:58:37Z', Date.parse('2002-10-13T23:58:37Z')],
    ['2002-10-13T23:58:37.123Z', Date.parse('2002-10-13T23:58:37.123Z')],
    ['2002-10-13T23:58:37.123456Z', Date.parse('2002-10-13T23:58:37.123Z')],
    ['2002-10-14T01:58:37+02:00', Date.parse('2002-10-13T23:58:37Z')],
    ['2002-10-13T18:58:37-05:00', Date.parse('2002-10-13T23:58:37Z')],
    ['2024-02-29T00:00:00Z', Date.parse('2024-02-29T00:00:00Z')],
  ])('%s is parsed', (text, millis) => {
    expect(parseDateTime(text)?.getTime()).toBe(millis);
  });

  test.each([
    '2023-02-29T00:00:00Z', '2002-13-01T00:00:00Z', '2002-10-13T24:00:00Z', '2002-10-13T23:60:00Z',
    '2002-10-13 23:58:37Z', '2002-10-13T23:58:37', '2002-10-13', '20021013T235837Z', '2002-10-13T23:58:37+25:00', '',
  ])('%j is not a datetime', (text) => {
    expect(parseDateTime(text)).toBeUndefined();
  });

  test('stamps are UTC, with milliseconds only when there are some', () => {
    expect(formatDateTime(new Date('2002-10-13T23:58:37Z'))).toBe('2002-10-13T23:58:37Z');
    expect(formatDateTime(new Date('2002-10-13T23:58:37.250Z'))).toBe('2002-10-13T23:58:37.250Z');
  });

  test('delayElement', () => {
    const delay = delayElement(new Date('2002-10-13T23:58:37Z'), ROOM);
    expect(delay.toString()).toBe(`<delay xmlns="urn:xmpp:delay" from="${ROOM}" stamp="2002-10-13T23:58:37Z"/>`);
  });
});
