/**
 * The pure parts of user archives: the shipped options, what is archived, prefs, stanza ids. The
 * protocol parts shared with room archives (periods, queries, `<fin/>`) are in mam-protocol.test.ts.
 */
import { describe, expect, test } from '@jest/globals';
import * as z from 'zod';
import { Element } from 'ltx';
import { defaultPrefs, parsePrefs, ruleFor } from '../../im/mam/archive-prefs.js';
import { shouldArchive } from '../../im/mam/archiving-policy.js';
import { mamOptions } from '../../im/mam/mam-options.js';
import { stripStanzaIds } from '../../im/stanza-id/stanza-id.js';
import { parseArchivePeriod } from '../../server/mam/index.js';
import { parseXmlFragment } from '../../server/xml/index.js';

const DAY = 86_400;

function xml(text: string): Element {
  const parsed = parseXmlFragment(text, { maxStanzaBytes: 65_536, maxDepth: 32, maxAttributes: 32 });
  if (!parsed.ok) throw new Error(String(parsed.error));
  return parsed.value.element;
}

describe('archive_expires_after', () => {
  test('the shipped default is one week, the page cap 50, the policy "always"', () => {
    const options = z.object(mamOptions).parse({});
    expect(parseArchivePeriod(options.archive_expires_after)).toEqual({ ok: true, value: 7 * DAY });
    expect(options.max_archive_query_results).toBe(50);
    expect(defaultPrefs(options.default_archive_policy).default).toBe('always');
  });
});

describe('what a user archive keeps', () => {
  test.each([
    ["<message type='chat'><body>hi</body></message>", true],
    ["<message><body>normal</body></message>", true],
    ["<message type='chat'><subject>s</subject></message>", true],
    ["<message type='chat'><encrypted xmlns='eu.siacs.conversations.axolotl'/></message>", true],
    ["<message type='chat'><received xmlns='urn:xmpp:receipts' id='1'/></message>", true],
    ["<message type='chat'><displayed xmlns='urn:xmpp:chat-markers:0' id='1'/></message>", true],
    ["<message><x xmlns='http://jabber.org/protocol/muc#user'><invite from='a@b'/></x></message>", true],
    ["<message type='chat'><x xmlns='urn:example'/><store xmlns='urn:xmpp:hints'/></message>", true],
    ["<message type='chat'><gone xmlns='http://jabber.org/protocol/chatstates'/></message>", false],
    ["<message type='chat'><x xmlns='urn:example'/></message>", false],
    ["<message type='chat'><body>x</body><no-store xmlns='urn:xmpp:hints'/></message>", false],
    ["<message type='chat'><body>x</body><no-permanent-store xmlns='urn:xmpp:hints'/><store xmlns='urn:xmpp:hints'/></message>", false],
    ["<message type='groupchat'><body>x</body></message>", false],
    ["<message type='headline'><body>x</body></message>", false],
    ["<message type='error'><body>x</body></message>", false],
  ])('%s → %p', (text, kept) => {
    expect(shouldArchive(xml(text))).toBe(kept);
  });
});

describe('prefs', () => {
  const prefs = { default: 'roster' as const, always: ['a@x'], never: ['n@x'] };
  test('explicit JIDs win over the default', () => {
    expect(ruleFor(prefs, 'a@x')).toBe(true);
    expect(ruleFor(prefs, 'n@x')).toBe(false);
    expect(ruleFor(prefs, 'other@x')).toBe('roster');
    expect(ruleFor(defaultPrefs(false), 'other@x')).toBe(false);
    expect(ruleFor(defaultPrefs('roster'), 'other@x')).toBe('roster');
  });

  test('parsing: bare JIDs, never wins over always, missing default keeps the current one', () => {
    const parsed = parsePrefs(xml("<prefs xmlns='urn:xmpp:mam:2'><always><jid>A@X/r</jid><jid>b@x</jid></always><never><jid>b@x</jid></never></prefs>"), prefs);
    expect(parsed).toEqual({ default: 'roster', always: ['a@x'], never: ['b@x'] });
    expect(parsePrefs(xml("<prefs xmlns='urn:xmpp:mam:2' default='maybe'/>"), prefs)).toMatch(/default/);
    expect(parsePrefs(xml("<prefs xmlns='urn:xmpp:mam:2' default='never'><always><jid>@@</jid></always></prefs>"), prefs)).toMatch(/Invalid JID/);
  });
});

test('stripping stanza ids compares normalised JIDs', () => {
  const message = xml("<message><stanza-id xmlns='urn:xmpp:sid:0' id='1' by='BOB@LOCALHOST'/><stanza-id xmlns='urn:xmpp:sid:0' id='2' by='bob@localhost/res'/></message>");
  expect(stripStanzaIds(message, 'bob@localhost')).toBe(1);
  expect(message.getChildren('stanza-id').map((s) => s.attrs.id)).toEqual(['2']);
});
