import { describe, test, expect } from '@jest/globals';
import type { Element } from 'ltx';
import { NS } from '../../server/xml/index.js';
import { HEADER, LIMITS, errorOf, setup } from '../helpers/xml-stream-recorder.js';

describe('stream open, stanzas, close', () => {
  test('the root is reported with its name, namespace and attributes as written', () => {
    const { parser, events } = setup();
    parser.write(HEADER);
    expect(events).toEqual([{
      kind: 'open',
      open: {
        name: 'stream:stream', local: 'stream', uri: NS.stream,
        attrs: { xmlns: 'jabber:client', 'xmlns:stream': NS.stream, to: 'example.com', version: '1.0' },
      },
    }]);
  });

  test('stanzas state the namespace they inherit from the root, first (canonical form)', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}<message to='a@b' type='chat'><body>hi</body></message><iq type='get' id='1'/>`);
    const [, first, second] = events;
    expect(first).toMatchObject({ kind: 'stanza', uri: 'jabber:client', local: 'message' });
    expect(second).toMatchObject({ kind: 'stanza', uri: 'jabber:client', local: 'iq' });
    const message = (first as { element: Element }).element;
    expect(message.attrs).toEqual({ xmlns: 'jabber:client', to: 'a@b', type: 'chat' });
    expect(Object.keys(message.attrs)[0]).toBe('xmlns');
    expect(message.getChildText('body')).toBe('hi');
    expect(message.parent).toBeNull();
  });

  test('an element round-trips to the same XML', () => {
    const stanza = '<message xmlns="jabber:client" to="a@b" id="x&quot;1&apos;" xml:lang="en"><body>a &lt; b &amp;&amp; c &gt; d</body>'
      + '<x xmlns="urn:example"><y k="v"/>tail</x></message>';
    const { parser, stanzas } = setup();
    parser.write(HEADER + stanza);
    expect(stanzas().map((s) => s.toString())).toEqual([stanza]);
  });

  test('text and attribute values are entity-decoded', () => {
    const { parser, stanzas } = setup();
    parser.write(`${HEADER}<message id='&lt;&#65;&#x42;&quot;'><body>&amp;&#x1F600;&#233;&gt;<![CDATA[<raw>]]>!</body></message>`);
    const [message] = stanzas();
    expect(message?.attrs.id).toBe('<AB"');
    expect(message?.getChild('body')?.children).toEqual(['&😀é><raw>!']);
  });

  test('a prefix declared only on the root is resolved: local names, xmlns, attributes under ns1', () => {
    const header = HEADER.replace("version='1.0'>", "version='1.0' xmlns:foo='urn:foo'>");
    const { parser, stanzas, errors } = setup();
    parser.write(`${header}<foo:x foo:a='1'><foo:y/></foo:x><message foo:b='2'/><stream:error><x/></stream:error>`
      + `<bar:z xmlns:bar='urn:bar'><bar:w/></bar:z>`);
    expect(errors()).toEqual([]);
    const [x, message, streamError, z] = stanzas();
    expect(x?.attrs).toEqual({ xmlns: 'urn:foo', 'ns1:a': '1', 'xmlns:ns1': 'urn:foo' });
    expect(x?.getChildren('y')[0]?.attrs).toEqual({});
    expect(x?.toString()).toBe('<x xmlns="urn:foo" ns1:a="1" xmlns:ns1="urn:foo"><y/></x>');
    expect(message?.attrs).toEqual({ xmlns: 'jabber:client', 'ns1:b': '2', 'xmlns:ns1': 'urn:foo' });
    expect(streamError?.toString()).toBe(`<error xmlns="${NS.stream}"><x xmlns="jabber:client"/></error>`);
    expect(z?.toString()).toBe('<z xmlns="urn:bar"><w/></z>');
  });

  test('whitespace keepalives between stanzas are ignored', () => {
    const { parser, events, stanzas } = setup();
    parser.write(`${HEADER}\n `);
    parser.write(' \t\r\n');
    parser.write('<presence/> ');
    parser.write(' ');
    parser.write('<presence/>');
    expect(stanzas()).toHaveLength(2);
    expect(events.filter((e) => e.kind === 'error')).toEqual([]);
  });

  test('a long run of whitespace between stanzas is neither an error nor a size problem', () => {
    const { parser, stanzas, errors } = setup({ ...LIMITS, maxStanzaBytes: 200 });
    parser.write(HEADER);
    for (let i = 0; i < 100; i++) parser.write(' '.repeat(1000));
    parser.write('<presence/>');
    expect(errors()).toEqual([]);
    expect(stanzas()).toHaveLength(1);
  });

  test('the root closing is reported and later bytes are ignored', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}<presence/></stream:stream>junk<oops`);
    parser.write('</more>');
    expect(events.map((e) => e.kind)).toEqual(['open', 'stanza', 'close']);
  });

  test('a self-closing root opens and closes', () => {
    const { parser, events } = setup();
    parser.write(`<stream:stream xmlns:stream='${NS.stream}'/>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'close']);
  });
});

describe('not-well-formed', () => {
  test.each([
    ['mismatched end tag inside a stanza', '<message><body></message>'],
    ['stanza closed by the wrong name', '<message></iq>'],
    ['root closed while a stanza is open', '<message></stream:stream>'],
    ['root closed by the wrong name', '</stream:foo>'],
    ['duplicate attribute', "<message id='1' id='2'/>"],
    ['disallowed character', '<message>\u0001</message>'],
    ['unbound element prefix', '<foo:message/>'],
    ['unbound attribute prefix', "<message foo:a='1'/>"],
    ['< in an attribute value', "<message id='<'/>"],
    ['unquoted attribute', '<message id=1/>'],
    ['XML declaration later in the stream', "<?xml version='1.0'?>"],
  ])('%s', (_, xml) => {
    const { parser, events } = setup();
    parser.write(HEADER + xml);
    expect(events.map((e) => e.kind)).toEqual(['open', 'error']);
    expect(events[1]).toMatchObject({ kind: 'error', error: { condition: 'not-well-formed' } });
  });

  test('garbage before the root', () => {
    expect(errorOf('hello<stream:stream/>')?.condition).toBe('not-well-formed');
  });

  test('a valid stanza before the error is still delivered', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}<presence/><message>text</message><iq></message>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'stanza', 'stanza', 'error']);
  });

  test('nothing is emitted after an error', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}<a></b>`);
    parser.write('<presence/></stream:stream>');
    expect(events.map((e) => e.kind)).toEqual(['open', 'error']);
  });
});

describe('restricted-xml (RFC 6120 §11.1)', () => {
  test.each([
    ['DOCTYPE before the root', `<?xml version='1.0'?><!DOCTYPE stream>${HEADER.slice(21)}`],
    ['DTD with an entity', `<!DOCTYPE s [<!ENTITY e "x">]>${HEADER.slice(21)}`],
    ['DOCTYPE inside the stream', `${HEADER}<!DOCTYPE x>`],
    ['processing instruction in a stanza', `${HEADER}<message><?php x?></message>`],
    ['processing instruction between stanzas', `${HEADER}<?foo bar?>`],
    ['processing instruction before the root', `<?xml version='1.0'?><?foo?>${HEADER.slice(21)}`],
    ['comment in a stanza', `${HEADER}<message><!-- hi --></message>`],
    ['comment between stanzas', `${HEADER}<!-- hi -->`],
    ['comment before the root', `<!-- hi -->${HEADER.slice(21)}`],
    ['undefined entity in text', `${HEADER}<message>&nbsp;</message>`],
    ['undefined entity in an attribute', `${HEADER}<message id='&foo;'/>`],
  ])('%s', (_, xml) => {
    expect(errorOf(xml)?.condition).toBe('restricted-xml');
  });

  test('the XML declaration, predefined entities and character references are allowed', () => {
    const { parser, stanzas, errors } = setup();
    parser.write(`${HEADER}<message id='&amp;&lt;&gt;&quot;&apos;&#10;'>&#x20AC;</message>`);
    expect(errors()).toEqual([]);
    expect(stanzas()[0]?.getText()).toBe('€');
  });
});

describe('encoding (RFC 6120 §11.6)', () => {
  test('a declared encoding other than UTF-8 is refused', () => {
    expect(errorOf(`<?xml version='1.0' encoding='ISO-8859-1'?><stream:stream xmlns:stream='${NS.stream}'>`)?.condition)
      .toBe('unsupported-encoding');
  });

  test('bytes that are not UTF-8 are refused', () => {
    const { parser, errors } = setup();
    parser.write(Buffer.from(HEADER));
    parser.write(Buffer.from([0x3c, 0x61, 0x3e, 0xff, 0x3c, 0x2f, 0x61, 0x3e]));
    expect(errors().map((e) => e.condition)).toEqual(['unsupported-encoding']);
  });
});

describe('bad-format: character data between stanzas', () => {
  test.each([
    ['text', 'hello<presence/>'],
    ['text after a stanza', '<presence/>x'],
    ['an entity', '&amp;'],
    ['a CDATA section', '<![CDATA[ ]]>'],
    ['text before the close tag', 'x</stream:stream>'],
  ])('%s', (_, xml) => {
    const { parser, events } = setup();
    parser.write(HEADER + xml);
    expect(events.at(-1)).toMatchObject({ kind: 'error', error: { condition: 'bad-format' } });
    expect(events.some((e) => e.kind === 'close')).toBe(false);
  });

  test('text split across writes is still caught', () => {
    const { parser, errors } = setup();
    parser.write(`${HEADER}  `);
    parser.write(' x ');
    expect(errors().map((e) => e.condition)).toEqual(['bad-format']);
  });
});
