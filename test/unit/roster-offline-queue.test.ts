import { describe, expect, test } from '@jest/globals';
import { parse } from 'ltx';
import {
  DEFAULT_OFFLINE_MAX_BYTES, OfflineDataError, offlineUsage, usageAfterAppend, isChatStateOnly,
  isStorableType, readOfflineQueue, type OfflineMessage,
} from '../../roster/offline-queue.js';
import { delayStamp, withDelay } from '../../roster/delay.js';
import { parseStoredStanza } from '../../roster/stored-stanza.js';

const first: OfflineMessage = { stanza: "<message to='bob@localhost'><body>1</body></message>", stamp: '2024-05-01T10:00:00Z' };
const second: OfflineMessage = { stanza: "<message to='bob@localhost'><body>2</body></message>", stamp: '2024-05-01T10:00:01Z' };

describe('offline queue values', () => {
  test('a missing queue is empty; a stored one reads back as it was', () => {
    expect(readOfflineQueue(undefined)).toEqual([]);
    expect(readOfflineQueue(JSON.parse(JSON.stringify([first, second])))).toEqual([first, second]);
  });

  test.each([
    ['not a list', { stanza: 'x' }],
    ['an entry that is not an object', ['x']],
    ['an entry without a stamp', [{ stanza: '<message/>' }]],
    ['a stanza that is not text', [{ stanza: 5, stamp: 'now' }]],
  ])('damaged data is an error, never a silent drop: %s', (_name, value) => {
    expect(() => readOfflineQueue(value)).toThrow(OfflineDataError);
  });

  test('appending stops at the message bound without changing the usage', () => {
    const limits = { maxMessages: 2, maxBytes: DEFAULT_OFFLINE_MAX_BYTES };
    const one = usageAfterAppend(offlineUsage([]), first, limits);
    expect(one).toEqual(offlineUsage([first]));
    const two = usageAfterAppend(one!, second, limits);
    expect(two).toEqual(offlineUsage([first, second]));
    expect(usageAfterAppend(two!, first, limits)).toBeUndefined();
    expect(two).toEqual(offlineUsage([first, second]));
    expect(usageAfterAppend(offlineUsage([]), first, { maxMessages: 0, maxBytes: DEFAULT_OFFLINE_MAX_BYTES })).toBeUndefined();
  });

  test('appending stops at the byte bound, counted in UTF-8 bytes of the stanza', () => {
    const accented: OfflineMessage = { stanza: '<message><body>é</body></message>', stamp: first.stamp };
    const bytes = Buffer.byteLength(accented.stanza, 'utf8');
    expect(offlineUsage([accented])).toEqual({ messages: 1, bytes });
    expect(bytes).toBe(accented.stanza.length + 1);
    const exact = { maxMessages: 100, maxBytes: bytes * 2 };
    const once = usageAfterAppend(offlineUsage([]), accented, exact);
    expect(usageAfterAppend(once!, accented, exact)).toEqual({ messages: 2, bytes: bytes * 2 });
    expect(usageAfterAppend(once!, accented, { ...exact, maxBytes: bytes * 2 - 1 })).toBeUndefined();
    // The shipped bound holds a normal queue: 100 messages of 4 KiB.
    const normal: OfflineMessage = { stanza: `<message><body>${'x'.repeat(4096)}</body></message>`, stamp: first.stamp };
    let usage = offlineUsage([]);
    for (let i = 0; i < 100; i++) usage = usageAfterAppend(usage, normal, { maxMessages: 100, maxBytes: DEFAULT_OFFLINE_MAX_BYTES })!;
    expect(usage.messages).toBe(100);
  });
});

describe('which messages are kept (XEP-0160 §3, XEP-0085 §5.5)', () => {
  test.each([
    ['chat', true], ['normal', true], [undefined, true], ['unknown-type', true],
    ['headline', false], ['groupchat', false], ['error', false],
  ])('type %s → %s', (type, expected) => {
    const message = parse(type === undefined ? '<message><body>x</body></message>' : `<message type='${type}'><body>x</body></message>`);
    expect(isStorableType(message)).toBe(expected);
  });

  test('a message with only a chat state is not worth keeping; one with a body is', () => {
    expect(isChatStateOnly(parse("<message><composing xmlns='http://jabber.org/protocol/chatstates'/></message>"))).toBe(true);
    expect(isChatStateOnly(parse("<message><active xmlns='http://jabber.org/protocol/chatstates'/><body>hi</body></message>"))).toBe(false);
    expect(isChatStateOnly(parse('<message><body>hi</body></message>'))).toBe(false);
    expect(isChatStateOnly(parse('<message/>'))).toBe(false);
  });
});

describe('delayed delivery (XEP-0203)', () => {
  test('stamps are XEP-0082 UTC date-times to the second', () => {
    expect(delayStamp(new Date(Date.UTC(2024, 4, 1, 10, 0, 0, 456)))).toBe('2024-05-01T10:00:00Z');
  });

  test('the delay element is added to a copy, the original is untouched', () => {
    const original = parse("<message from='alice@localhost/desk' to='bob@localhost'><body>hi</body></message>");
    const delayed = withDelay(original, 'localhost', '2024-05-01T10:00:00Z');
    expect(delayed.getChild('delay', 'urn:xmpp:delay')?.attrs).toEqual({ xmlns: 'urn:xmpp:delay', from: 'localhost', stamp: '2024-05-01T10:00:00Z' });
    expect(delayed.getChildText('body')).toBe('hi');
    expect(original.getChild('delay')).toBeUndefined();
  });
});

describe('stored stanzas', () => {
  test('a stored stanza parses back with its content', () => {
    const stanza = parseStoredStanza("<presence from='a@b' type='subscribe'><status>x &amp; y</status></presence>");
    expect(stanza?.attrs.type).toBe('subscribe');
    expect(stanza?.getChildText('status')).toBe('x & y');
  });

  test.each(['', 'not xml', '<a><b></a>', '<a/><b/>', "<!DOCTYPE x><a/>"])('damaged text gives nothing: %p', (text) => {
    expect(parseStoredStanza(text)).toBeUndefined();
  });
});
