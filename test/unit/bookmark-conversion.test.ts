/** XEP-0411 conversion between XEP-0048 `<storage/>` and XEP-0402 items (pure). */
import { describe, expect, test } from '@jest/globals';
import { parse, type Element } from 'ltx';
import { keepExtensions, legacyStorage, nativeItems, sameBookmark } from '../../im/bookmarks/bookmark-conversion.js';

const legacy = (inner: string): Element => parse(`<storage xmlns='storage:bookmarks'>${inner}</storage>`);

describe('XEP-0048 to XEP-0402 and back', () => {
  test('a conference keeps its room, name, autojoin, nick and password both ways; url bookmarks and jid-less conferences are dropped', () => {
    const items = nativeItems(legacy(
      "<conference jid='a@muc' name='A' autojoin='true'><nick>n</nick><password>p</password></conference>"
      + "<conference name='no room'/><url name='site' url='https://example.org/'/><conference jid='b@muc'/>"));
    expect([...items.keys()]).toEqual(['a@muc', 'b@muc']);
    expect(items.get('a@muc')?.toString()).toBe(
      '<item id="a@muc"><conference xmlns="urn:xmpp:bookmarks:1" name="A" autojoin="true"><nick>n</nick><password>p</password></conference></item>');
    expect(legacyStorage([...items.values()]).toString()).toBe(
      '<storage xmlns="storage:bookmarks"><conference jid="a@muc" name="A" autojoin="true"><nick>n</nick><password>p</password></conference>'
      + '<conference jid="b@muc"/></storage>');
  });

  test('sameBookmark compares what XEP-0048 can say; keepExtensions carries the native extensions over', () => {
    const [a] = nativeItems(legacy("<conference jid='a@muc' name='A'><nick>n</nick></conference>")).values();
    const [renamed] = nativeItems(legacy("<conference jid='a@muc' name='B'><nick>n</nick></conference>")).values();
    const previous = parse("<item id='a@muc'><conference xmlns='urn:xmpp:bookmarks:1' name='A'><nick>n</nick><extensions><x xmlns='urn:t'/></extensions></conference></item>");
    expect(sameBookmark(a!, previous)).toBe(true);
    expect(sameBookmark(renamed!, previous)).toBe(false);
    expect(keepExtensions(renamed!, previous).getChild('conference')?.getChild('extensions')?.getChild('x', 'urn:t')).toBeDefined();
  });
});
