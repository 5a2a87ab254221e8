/** XEP-0352 with csi_simple's rules: what is urgent, and the bounded, ordered buffer of the rest. */
import { describe, expect, test } from '@jest/globals';
import { clone, type Element } from 'ltx';
import { HeldStanzas } from '../../im/csi/held-stanzas.js';
import { isImportant, parsePayloadName } from '../../im/csi/importance.js';
import type { OutgoingStanza } from '../../server/session/index.js';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';

function element(text: string): Element {
  const parsed = parseXmlFragment(text, { maxStanzaBytes: 65_536, maxDepth: 32, maxAttributes: 32 });
  if (!parsed.ok) throw new Error(String(parsed.error));
  return parsed.value.element;
}

function outgoing(text: string): OutgoingStanza {
  const el = element(text);
  return { name: el.name, type: el.attrs.type as string | undefined, xml: serializeElement(el), element: () => clone(el) };
}

const RING = parsePayloadName('{urn:example:ring}ring')!;

describe('what is urgent', () => {
  test.each([
    ["<iq xmlns='jabber:client' type='get' id='1'><ping xmlns='urn:xmpp:ping'/></iq>", true],
    ["<presence xmlns='jabber:client'/>", false],
    ["<presence xmlns='jabber:client' type='unavailable'/>", false],
    ["<presence xmlns='jabber:client' type='error'/>", false],
    ["<presence xmlns='jabber:client' type='subscribe'/>", true],
    ["<presence xmlns='jabber:client' type='unsubscribed'/>", true],
    ["<message xmlns='jabber:client' type='chat'><body>hi</body></message>", true],
    ["<message xmlns='jabber:client' type='groupchat'><body>hi</body></message>", true],
    ["<message xmlns='jabber:client' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>", false],
    ["<message xmlns='jabber:client' type='groupchat'><subject>topic</subject></message>", true],
    ["<message xmlns='jabber:client' type='headline'><body>news</body></message>", false],
    ["<message xmlns='jabber:client' type='error'/>", true],
    ["<message xmlns='jabber:client'><encryption xmlns='urn:xmpp:eme:0' namespace='x'/></message>", true],
    ["<message xmlns='jabber:client'><x xmlns='jabber:x:conference' jid='r@muc'/></message>", true],
    ["<message xmlns='jabber:client'><x xmlns='http://jabber.org/protocol/muc#user'><invite from='a@b'/></x></message>", true],
    ["<message xmlns='jabber:client'><x xmlns='http://jabber.org/protocol/muc#user'/></message>", false],
    ["<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:1' id='c'/></message>", true],
    ["<message xmlns='jabber:client'><ring xmlns='urn:example:ring'/></message>", true],
    ["<message xmlns='jabber:client'><sent xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' type='chat'><active xmlns='http://jabber.org/protocol/chatstates'/></message></forwarded></sent></message>", true],
    ["<message xmlns='jabber:client'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' type='chat'><body>hi</body></message></forwarded></received></message>", true],
    ["<message xmlns='jabber:client'><received xmlns='urn:xmpp:carbons:2'><forwarded xmlns='urn:xmpp:forward:0'><message xmlns='jabber:client' type='chat'><paused xmlns='http://jabber.org/protocol/chatstates'/></message></forwarded></received></message>", false],
  ])('%s → %s', (xml, expected) => {
    expect(isImportant(outgoing(xml), [RING])).toBe(expected);
  });

  test('csi_important_payloads entries are {namespace}name', () => {
    expect(parsePayloadName('{urn:a}b')).toEqual({ xmlns: 'urn:a', name: 'b' });
    expect(parsePayloadName('{urn:a}')).toEqual({ xmlns: 'urn:a', name: '' });
    expect(parsePayloadName('urn:a b')).toBeUndefined();
  });
});

describe('the held buffer', () => {
  const written: string[] = [];
  const next = (stanza: OutgoingStanza): boolean => {
    const el = stanza.element();
    written.push(`${el.getChildText('status') ?? el.getChildText('body') ?? el.name}${el.getChild('delay', 'urn:xmpp:delay') === undefined ? '' : '+delay'}`);
    return true;
  };
  const presence = (status: string): OutgoingStanza => outgoing(`<presence xmlns='jabber:client'><status>${status}</status></presence>`);

  test('holds what is not urgent, stamped, and writes it before the next urgent stanza', () => {
    written.length = 0;
    const held = new HeldStanzas({ stanzas: 10, bytes: 100_000, importantPayloads: [] }, 'alice@localhost');
    expect(held.filter(presence('a'), next)).toBe(true);
    expect(held.filter(presence('b'), next)).toBe(true);
    expect(written).toEqual([]);
    held.filter(outgoing("<message xmlns='jabber:client' type='chat'><body>hi</body></message>"), next);
    expect(written).toEqual(['a+delay', 'b+delay', 'hi']);
    expect(held.size).toBe(0);
  });

  test('a full buffer (stanzas or bytes) is written before the stanza that would overfill it', () => {
    written.length = 0;
    const byCount = new HeldStanzas({ stanzas: 2, bytes: 100_000, importantPayloads: [] }, 'alice@localhost');
    for (const status of ['1', '2', '3']) byCount.filter(presence(status), next);
    expect(written).toEqual(['1+delay', '2+delay', '3']);
    written.length = 0;
    // A stamped presence here is about 130 bytes: the second one would pass 200.
    const byBytes = new HeldStanzas({ stanzas: 100, bytes: 200, importantPayloads: [] }, 'alice@localhost');
    for (const status of ['1', '2', '3']) byBytes.filter(presence(status), next);
    expect(written).toEqual(['1+delay', '2']);
    expect(byBytes.size).toBe(1);
    expect(byBytes.take().map((stanza) => stanza.name)).toEqual(['presence']);
    expect(byBytes.size).toBe(0);
  });
});
