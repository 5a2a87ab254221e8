/** XEP-0280 §6 eligibility (Prosody's rules) and §7's removal of `<private/>`, as pure functions. */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { carbonCopy } from '../../im/carbons/carbon-copy.js';
import { carbonsVerdict, stripPrivate, type CopyQuestion } from '../../im/carbons/eligibility.js';
import { Jid } from '../../server/jid/index.js';
import { parseXmlFragment } from '../../server/xml/index.js';

function element(text: string): Element {
  const parsed = parseXmlFragment(text, { maxStanzaBytes: 65_536, maxDepth: 32, maxAttributes: 32 });
  if (!parsed.ok) throw new Error(String(parsed.error));
  return parsed.value.element;
}

const USER = 'alice@localhost';

function verdict(xml: string, overrides: Partial<CopyQuestion> = {}): string {
  const result = carbonsVerdict({ message: element(xml), direction: 'received', user: USER, toBare: false, fromBare: false, ...overrides });
  return `${result.copy ? 'copy' : 'skip'}:${result.reason}`;
}

describe('which messages are copied', () => {
  test.each([
    ["<message xmlns='jabber:client' type='chat'><body>hi</body></message>", 'copy:chat'],
    ["<message xmlns='jabber:client' type='chat'><composing xmlns='http://jabber.org/protocol/chatstates'/></message>", 'copy:chat'],
    ["<message xmlns='jabber:client'><body>hi</body></message>", 'copy:normal-with-body'],
    ["<message xmlns='jabber:client' type='normal'><body>hi</body></message>", 'copy:normal-with-body'],
    ["<message xmlns='jabber:client'><received xmlns='urn:xmpp:receipts' id='1'/></message>", 'skip:default'],
    ["<message xmlns='jabber:client' type='groupchat'><body>hi</body></message>", 'skip:groupchat'],
    ["<message xmlns='jabber:client' type='headline'><body>news</body></message>", 'skip:headline'],
    ["<message xmlns='jabber:client' type='chat'><body>hi</body><private xmlns='urn:xmpp:carbons:2'/></message>", 'skip:private'],
    ["<message xmlns='jabber:client' type='chat'><body>hi</body><no-copy xmlns='urn:xmpp:hints'/></message>", 'skip:no-copy'],
    ["<message xmlns='jabber:client' type='chat'><body>pm</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>", 'skip:muc-pm'],
    ["<message xmlns='jabber:client'><propose xmlns='urn:xmpp:jingle-message:0' id='c1'/></message>", 'copy:jingle-message'],
    ["<message xmlns='jabber:client'><displayed xmlns='urn:xmpp:chat-markers:0' id='1'/><stanza-id xmlns='urn:xmpp:sid:0' by='alice@localhost' id='s1'/></message>", 'copy:archived'],
    ["<message xmlns='jabber:client'><displayed xmlns='urn:xmpp:chat-markers:0' id='1'/><stanza-id xmlns='urn:xmpp:sid:0' by='room@muc' id='s1'/></message>", 'skip:default'],
    ["<message xmlns='jabber:client' type='error'><error type='cancel'/></message>", 'skip:default'],
  ])('%s → %s', (xml, expected) => {
    expect(verdict(xml)).toBe(expected);
  });

  test('an error from a bare JID is the bounce of a copied message; from a full JID it is not', () => {
    const error = "<message xmlns='jabber:client' type='error'><error type='cancel'/></message>";
    expect(verdict(error, { fromBare: true })).toBe('copy:bounce');
    expect(verdict(error, { fromBare: true, direction: 'sent' })).toBe('skip:default');
  });

  test('a room PM the user sends, or one sent to the bare JID, is copied', () => {
    const pm = "<message xmlns='jabber:client' type='chat'><body>pm</body><x xmlns='http://jabber.org/protocol/muc#user'/></message>";
    expect(verdict(pm, { direction: 'sent' })).toBe('copy:chat');
    expect(verdict(pm, { toBare: true })).toBe('copy:chat');
  });
});

test('stripPrivate removes only the carbons <private/>', () => {
  const message = element("<message xmlns='jabber:client'><body>x</body><private xmlns='urn:xmpp:carbons:2'/><private xmlns='urn:example'/></message>");
  stripPrivate(message);
  expect(message.getChildElements().map((c) => `${c.name} ${String(c.attrs.xmlns ?? '')}`)).toEqual(['body ', 'private urn:example']);
});

test('a carbon comes from the bare JID, keeps the type and wraps the original in jabber:client', () => {
  const original = element("<message xmlns='jabber:client' from='alice@localhost/a' type='chat'><body>hi</body></message>");
  const carbon = carbonCopy('sent', original, new Jid('alice', 'localhost'));
  const inner = carbon.getChild('sent', 'urn:xmpp:carbons:2')?.getChild('forwarded', 'urn:xmpp:forward:0')?.getChild('message');
  expect(carbon.attrs).toEqual({ from: 'alice@localhost', type: 'chat' });
  // Sent without `to`: addressed to the sender's own account (RFC 6120 §8.1.1.1).
  expect(inner?.attrs).toMatchObject({ xmlns: 'jabber:client', to: 'alice@localhost', from: 'alice@localhost/a' });
  expect(original.attrs.to).toBeUndefined();
});
