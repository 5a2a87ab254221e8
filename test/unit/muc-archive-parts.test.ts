/**
 * The pure parts of room archives (muc/archive/): which messages are archived, how real JIDs are
 * revealed, history read back from the archive, and the status codes of switching archiving.
 * Reading MAM queries, Prosody's period syntax and `<fin/>` are shared with user archives:
 * mam-protocol.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import { Element, parse } from 'ltx';
import { isArchiveWorthy, readBack, storedCopy } from '../../muc/archive/archived-message.js';
import { configChangeStatusCodes, defaultRoomConfig, diffConfig } from '../../muc/configuration/room-config.js';
import { HistoryBuffer } from '../../muc/delivery/history.js';

describe('archived messages', () => {
  const groupchat = (inner: string) => parse(`<message type='groupchat' from='r@c/Nick' id='1'>${inner}</message>`);

  test('Prosody\'s rule: bodies, store hints, encrypted payloads and markers; never no-store or a bare subject', () => {
    expect(isArchiveWorthy(groupchat('<body>hi</body>'))).toBe(true);
    expect(isArchiveWorthy(groupchat("<store xmlns='urn:xmpp:hints'/>"))).toBe(true);
    expect(isArchiveWorthy(groupchat("<encryption xmlns='urn:xmpp:eme:0' namespace='x'/>"))).toBe(true);
    expect(isArchiveWorthy(groupchat("<displayed xmlns='urn:xmpp:chat-markers:0' id='1'/>"))).toBe(true);
    expect(isArchiveWorthy(groupchat("<body>hi</body><no-permanent-store xmlns='urn:xmpp:hints'/>"))).toBe(false);
    expect(isArchiveWorthy(groupchat('<subject>Topic</subject>'))).toBe(false);
    expect(isArchiveWorthy(parse("<message type='chat'><body>pm</body></message>"))).toBe(false);
  });

  test('the real JID is shown to moderators, and to everyone only for what was said while the room was non-anonymous', () => {
    const message = groupchat('<body>hi</body>');
    const semi = storedCopy(message, { bareJid: 'nick@localhost', affiliation: 'member', role: 'participant', public: false });
    const open = storedCopy(message, { bareJid: 'nick@localhost', affiliation: 'member', role: 'participant', public: true });
    const jidOf = (el: Element) => el.getChild('x', 'http://jabber.org/protocol/muc#user')?.getChild('item')?.attrs.jid;
    expect(jidOf(readBack(semi, 'all'))).toBe('nick@localhost');
    expect(jidOf(readBack(semi, 'public-only'))).toBeUndefined();
    expect(jidOf(readBack(open, 'public-only'))).toBe('nick@localhost');
    expect(jidOf(readBack(open, 'none'))).toBeUndefined();
    expect(readBack(open, 'all').getChild('x', 'http://jabber.org/protocol/muc#user')?.getChildren('status')).toEqual([]);
    expect(readBack(semi, 'none').attrs.xmlns).toBe('jabber:client');
  });
});

describe('history read back from the archive', () => {
  const context = (at: number, archiveId?: string) => ({ roomJid: 'r@c', occupantJid: 'r@c/N', now: new Date(at), archiveId });
  const message = (body: string) => parse(`<message type='groupchat'><body>${body}</body></message>`);
  const bodies = (buffer: HistoryBuffer) => buffer.entries().map((entry) => entry.stanza.getChildText('body'));

  test('older messages go in front, the newest of them first, within the capacity', () => {
    const buffer = new HistoryBuffer(3);
    buffer.add(message('live'), context(5000, 'id5'));
    const added = buffer.addOlder([1, 2, 3, 4].map((n) => ({ message: message(`old${n}`), context: context(n * 1000, `id${n}`) })));
    expect(added).toBe(2);
    expect(bodies(buffer)).toEqual(['old3', 'old4', 'live']);
    expect(buffer.entries().map((entry) => entry.archiveId)).toEqual(['id3', 'id4', 'id5']);
    expect(buffer.entries()[0]?.timestamp.getTime()).toBe(3000);
  });

  test('the byte bound holds', () => {
    const one = new HistoryBuffer(10).add(message('x'), context(0))!.bytes;
    const buffer = new HistoryBuffer(10, one * 2);
    expect(buffer.addOlder([1, 2, 3].map((n) => ({ message: message('x'), context: context(n * 1000) })))).toBe(2);
    expect(buffer.bytes).toBe(one * 2);
  });
});

test('switching archiving is announced with 170 / 171 (XEP-0045 §10.2.1), not 104', () => {
  const before = defaultRoomConfig();
  expect(configChangeStatusCodes(diffConfig(before, { ...before, enablearchiving: false }))).toEqual([171]);
  expect(configChangeStatusCodes(diffConfig({ ...before, enablearchiving: false }, before))).toEqual([170]);
  expect(configChangeStatusCodes(diffConfig(before, { ...before, enablearchiving: false, roomname: 'x' }))).toEqual([171, 104]);
});
