/**
 * XEP-0425 pieces without I/O: both request forms, the tombstone (what it keeps of the original),
 * and the history buffer taking a tombstone in a message's place within its byte bound.
 */
import { describe, expect, test } from '@jest/globals';
import { Element, parse } from 'ltx';
import { HistoryBuffer } from '../../muc/delivery/history.js';
import { parseApplyTo, parseModerate } from '../../muc/moderation/moderation-request.js';
import { moderationAnnouncement, tombstoneOf } from '../../muc/moderation/moderation-stanzas.js';

const ROOM = 'room@conference.example';
const MODERATOR = { occupantJid: `${ROOM}/mod`, occupantId: 'modid' };

describe('moderation requests', () => {
  test('version 0.3 and 0.2 read the same request; other fastenings are not ours', () => {
    const v1 = parse("<iq type='set'><moderate xmlns='urn:xmpp:message-moderate:1' id='abc'><retract xmlns='urn:xmpp:message-retract:1'/><reason>spam</reason></moderate></iq>");
    expect(parseModerate(v1)).toEqual({ ok: true, value: { stanzaId: 'abc', reason: 'spam' } });
    const v0 = parse("<iq type='set'><apply-to xmlns='urn:xmpp:fasten:0' id='abc'><moderate xmlns='urn:xmpp:message-moderate:0'><retract xmlns='urn:xmpp:message-retract:0'/></moderate></apply-to></iq>");
    expect(parseApplyTo(v0)).toEqual({ ok: true, value: { stanzaId: 'abc', reason: undefined } });
    expect(parseApplyTo(parse("<iq><apply-to xmlns='urn:xmpp:fasten:0' id='abc'><other xmlns='x'/></apply-to></iq>"))).toBeUndefined();
  });

  test('a request without an id or without a retraction is refused', () => {
    const noId = parseModerate(parse("<iq><moderate xmlns='urn:xmpp:message-moderate:1'><retract xmlns='urn:xmpp:message-retract:1'/></moderate></iq>"));
    expect(noId.ok ? undefined : noId.error.condition).toBe('bad-request');
    const noRetract = parseModerate(parse("<iq><moderate xmlns='urn:xmpp:message-moderate:1' id='a'/></iq>"));
    expect(noRetract.ok ? undefined : noRetract.error.condition).toBe('feature-not-implemented');
    // A retraction in the other version's namespace is not one.
    const mixed = parseApplyTo(parse("<iq><apply-to xmlns='urn:xmpp:fasten:0' id='a'><moderate xmlns='urn:xmpp:message-moderate:0'><retract xmlns='urn:xmpp:message-retract:1'/></moderate></apply-to></iq>"));
    expect(mixed?.ok).toBe(false);
  });
});

describe('tombstones', () => {
  const original = `<message xmlns='jabber:client' from='${ROOM}/bob' type='groupchat' id='m1'><body>secret</body>`
    + "<occupant-id xmlns='urn:xmpp:occupant-id:0' id='bobid'/><x xmlns='http://jabber.org/protocol/muc#user'><item jid='bob@example' affiliation='none' role='participant'/></x>"
    + `<stanza-id xmlns='urn:xmpp:sid:0' id='s1' by='${ROOM}'/><stanza-id xmlns='urn:xmpp:sid:0' id='s9' by='elsewhere'/><html xmlns='http://jabber.org/protocol/xhtml-im'><body>secret</body></html></message>`;

  test('keeps the sender, its ids and the room\'s stanza id; drops every payload', () => {
    const tombstone = tombstoneOf(original, ROOM, { stanzaId: 's1', reason: 'why' }, MODERATOR, new Date('2026-01-02T03:04:05Z'));
    expect(tombstone.attrs).toEqual({ xmlns: 'jabber:client', from: `${ROOM}/bob`, type: 'groupchat', id: 'm1' });
    expect(tombstone.toString()).not.toContain('secret');
    expect(tombstone.children.map((child) => (child as Element).name)).toEqual(['retracted', 'moderated', 'occupant-id', 'x', 'stanza-id']);
    expect(tombstone.getChild('retracted', 'urn:xmpp:message-retract:1')?.attrs.stamp).toBe('2026-01-02T03:04:05Z');
    expect(tombstone.getChild('stanza-id', 'urn:xmpp:sid:0')?.attrs.by).toBe(ROOM);
  });

  test('the announcement names the stanza id in both versions and asks to be stored', () => {
    const announcement = moderationAnnouncement(ROOM, { stanzaId: 's1', reason: undefined }, { occupantJid: undefined, occupantId: 'x' });
    expect(announcement.getChild('retract', 'urn:xmpp:message-retract:1')?.attrs.id).toBe('s1');
    expect(announcement.getChild('apply-to', 'urn:xmpp:fasten:0')?.attrs.id).toBe('s1');
    expect(announcement.getChild('retract', 'urn:xmpp:message-retract:1')?.getChild('moderated')?.attrs.by).toBeUndefined();
    expect(announcement.getChild('store', 'urn:xmpp:hints')).toBeDefined();
  });
});

describe('HistoryBuffer.replace', () => {
  function message(body: string): Element {
    const m = new Element('message', { type: 'groupchat', id: body, from: `${ROOM}/bob` });
    m.c('body').t(body);
    return m;
  }

  test('puts the tombstone in the entry\'s place with its sender and time, and recounts the bytes', () => {
    const buffer = new HistoryBuffer(10, 4096);
    const when = new Date('2026-01-01T00:00:00Z');
    buffer.add(message('a'.repeat(500)), { roomJid: ROOM, occupantJid: `${ROOM}/bob`, now: when, archiveId: 'id1' });
    buffer.add(message('kept'), { roomJid: ROOM, occupantJid: `${ROOM}/carol`, now: when, archiveId: 'id2' });
    const before = buffer.bytes;
    const tombstone = tombstoneOf(buffer.entries()[0]!.stanza, ROOM, { stanzaId: 'id1', reason: undefined }, MODERATOR, when);
    expect(buffer.replace('id1', tombstone, ROOM)).toBe(true);
    const [replaced, kept] = buffer.entries();
    expect(replaced?.stanza.getChild('body')).toBeUndefined();
    expect(replaced?.from).toBe(`${ROOM}/bob`);
    expect(replaced?.timestamp).toEqual(when);
    expect(replaced?.stanza.getChild('delay', 'urn:xmpp:delay')?.attrs.from).toBe(ROOM);
    expect(kept?.stanza.getChildText('body')).toBe('kept');
    expect(buffer.bytes).toBe(replaced!.bytes + kept!.bytes);
    expect(buffer.bytes).toBeLessThan(before);
    expect(buffer.replace('unknown', tombstone, ROOM)).toBe(false);
  });

  test('a replacement that alone exceeds the byte bound drops the entry', () => {
    const buffer = new HistoryBuffer(10, 300);
    buffer.add(message('short'), { roomJid: ROOM, occupantJid: `${ROOM}/bob`, now: new Date(), archiveId: 'id1' });
    const huge = message('x'.repeat(400));
    expect(buffer.replace('id1', huge, ROOM)).toBe(false);
    expect(buffer.size).toBe(0);
    expect(buffer.bytes).toBe(0);
  });
});
