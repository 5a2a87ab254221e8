import { describe, test, expect } from '@jest/globals';
import { StanzaSplitter, attributeOf, textOf } from '../../bench/support/stanza-splitter.js';

type Event = ['open', string] | ['element', string, string] | ['close'];

function collect(): { events: Event[]; splitter: StanzaSplitter } {
  const events: Event[] = [];
  const splitter = new StanzaSplitter({
    onOpen: (header) => events.push(['open', header]),
    onElement: (xml, name) => events.push(['element', name, xml]),
    onClose: () => events.push(['close']),
  });
  return { events, splitter };
}

const HEADER = "<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>";
const FEATURES = "<stream:features><mechanisms xmlns='urn:ietf:params:xml:ns:xmpp-sasl'><mechanism>PLAIN</mechanism></mechanisms></stream:features>";
const MESSAGE = '<message from="a@localhost/r" to="b@localhost" id="m&apos;1" type="chat"><body>caf\u00e9 &lt;b&gt; \u2615</body><active xmlns="http://jabber.org/protocol/chatstates"/></message>';
const PRESENCE = '<presence from="a@localhost/r"/>';
const STREAM = `${HEADER}${FEATURES}${MESSAGE}${PRESENCE}</stream:stream>`;

const EXPECTED: Event[] = [
  ['open', "<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' id='s1' version='1.0'>"],
  ['element', 'stream:features', FEATURES],
  ['element', 'message', MESSAGE],
  ['element', 'presence', PRESENCE],
  ['close'],
];

describe('StanzaSplitter', () => {
  test('cuts a whole stream into its top-level elements', () => {
    const { events, splitter } = collect();
    splitter.write(Buffer.from(STREAM, 'utf8'));
    expect(events).toEqual(EXPECTED);
  });

  test('gives the same elements when the bytes arrive one at a time (multibyte characters split)', () => {
    const { events, splitter } = collect();
    const bytes = Buffer.from(STREAM, 'utf8');
    for (let i = 0; i < bytes.length; i++) splitter.write(bytes.subarray(i, i + 1));
    expect(events).toEqual(EXPECTED);
  });

  test('starts over after reset (a new stream after SASL success)', () => {
    const { events, splitter } = collect();
    splitter.write(Buffer.from(`${HEADER}<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`));
    splitter.reset();
    splitter.write(Buffer.from(`${HEADER}${PRESENCE}`));
    expect(events.map((e) => e[0] === 'element' ? e[1] : e[0])).toEqual(['open', 'success', 'open', 'presence']);
  });

  test('holds back an element until its end tag arrives', () => {
    const { events, splitter } = collect();
    splitter.write(Buffer.from(`${HEADER}<message id="x"><body>par`));
    expect(events).toHaveLength(1);
    splitter.write(Buffer.from('tial</body></message>'));
    expect(events[1]).toEqual(['element', 'message', '<message id="x"><body>partial</body></message>']);
  });
});

describe('attributeOf and textOf', () => {
  test('read attributes in either quote style, unescaped, from the start tag only', () => {
    expect(attributeOf(MESSAGE, 'id')).toBe("m'1");
    expect(attributeOf("<iq type='result' id='bind'/>", 'type')).toBe('result');
    expect(attributeOf(MESSAGE, 'xmlns')).toBeUndefined();
    expect(attributeOf('<message to="b@localhost"><x id="inner"/></message>', 'id')).toBeUndefined();
  });

  test('read the text of a leaf element', () => {
    expect(textOf("<challenge xmlns='urn:ietf:params:xml:ns:xmpp-sasl'>cj1mb28=</challenge>")).toBe('cj1mb28=');
    expect(textOf("<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>")).toBe('');
    expect(textOf('<body>a &amp; b</body>')).toBe('a & b');
  });
});
