/**
 * The XML tokenizer rule by rule (XML 1.0 Fifth Edition, Namespaces in XML 1.0, RFC 6120 §11),
 * through the two public entry points: framed elements and streams.
 */
import { describe, expect, test } from '@jest/globals';
import type { StreamErrorCondition } from '../../server/errors/stream-error.js';
import { parseXmlFragment, type XmlLimits } from '../../server/xml/index.js';
import { HEADER, setup } from '../helpers/xml-stream-recorder.js';

const LIMITS: XmlLimits = { maxStanzaBytes: 100_000, maxDepth: 20, maxAttributes: 50 };

function parse(text: string) {
  const result = parseXmlFragment(text, LIMITS);
  if (!result.ok) throw new Error(`refused: ${result.error.message}`);
  return result.value.element;
}

function conditionOf(text: string): StreamErrorCondition | 'accepted' {
  const result = parseXmlFragment(text, LIMITS);
  return result.ok ? 'accepted' : result.error.condition;
}

describe('start tags, end tags and empty-element tags (XML 1.0 §3.1)', () => {
  test.each([
    ['double quotes', '<a x="1"/>', { x: '1' }],
    ['single quotes', "<a x='1'/>", { x: '1' }],
    ['the other quote inside a value', `<a x="it's" y='say "hi"'/>`, { x: "it's", y: 'say "hi"' }],
    ['spaces around =', "<a x = '1'\ty\n=\n'2'/>", { x: '1', y: '2' }],
    ['line breaks between attributes', "<a\r\nx='1'\r\n\ty='2'\n/>", { x: '1', y: '2' }],
    ['> inside a value', "<a x='>'/>", { x: '>' }],
    [']]> inside a value', "<a x=']]>'/>", { x: ']]>' }],
  ])('%s', (_, xml, attrs) => {
    expect(parse(xml).attrs).toEqual(attrs);
  });

  test('end tags may have whitespace before > and elements may be empty either way', () => {
    expect(parse('<a><b></b ><c/><d\n/></a\r\n>').toString()).toBe('<a><b/><c/><d/></a>');
  });

  test.each([
    ['no whitespace between attributes', "<a x='1'y='2'/>"],
    ['attribute without value', '<a x/>'],
    ['attribute without =', "<a x '1'/>"],
    ['unquoted value', '<a x=1/>'],
    ['empty value position', '<a x=/>'],
    ['space after <', '< a/>'],
    ['space inside />', '<a / >'],
    ['space after </', '<a></ a>'],
    ['text in an end tag', '<a></a b>'],
    ['mismatched end tag', '<a><b></a></b>'],
    ['end tag name longer', '<a></ab>'],
    ['end tag name shorter', '<ab></a>'],
    ['unclosed element', '<a><b/>'],
    ['two root elements', '<a/><b/>'],
    ['end tag without start tag', '<a/></a>'],
    ['< inside a value', "<a x='<'/>"],
    ['bare & inside a value', "<a x='&'/>"],
  ])('%s is not-well-formed', (_, xml) => {
    expect(conditionOf(xml)).toBe('not-well-formed');
  });
});

describe('names (XML 1.0 §2.3, Namespaces in XML 1.0 §3)', () => {
  test.each(['é', '名前', '\u{10000}z', 'a\u00b7b', 'x\u0300', '_a-b.c1', 'A\u203f'])('%s is a name', (name) => {
    expect(parse(`<${name} ${name}='v'/>`).name).toBe(name);
  });

  test.each([
    ['a digit first', '1a'], ['a hyphen first', '-a'], ['a period first', '.a'], ['a combining mark first', '\u0300a'],
    ['U+00D7', 'a\u00d7'], ['U+00B7 first', '\u00b7a'], ['a colon first', ':a'], ['a colon last', 'a:'],
    ['two colons', 'a:b:c'], ['a local part starting with a digit', 'xml:1a'], ['U+FFFF', 'a\uffff'],
  ])('%s is not a name', (_, name) => {
    expect(conditionOf(`<${name}/>`)).toBe('not-well-formed');
    expect(conditionOf(`<a ${name}='v'/>`)).toBe('not-well-formed');
  });
});

describe('character data and references (XML 1.0 §2.4, §4.1, §4.6)', () => {
  test('the five predefined entities and character references are decoded, text and values alike', () => {
    const element = parse("<a v='&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#0067;&#x1F600;'>&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x10FFFF;</a>");
    expect(element.attrs.v).toBe(`<>&"'ABC\u{1F600}`);
    expect(element.getText()).toBe(`<>&"'AB\u{10FFFF}`);
  });

  test.each([
    ['a bare &', '<a>a & b</a>'],
    ['a reference without ;', '<a>&amp b</a>'],
    ['a name with a colon', '<a>&a:b;</a>'],
    ['an empty reference', '<a>&;</a>'],
    ['an uppercase X', '<a>&#X41;</a>'],
    ['no digits', '<a>&#x;</a>'],
    ['a character reference to U+0000', '<a>&#0;</a>'],
    ['a character reference to a surrogate', '<a>&#xD800;</a>'],
    ['a character reference to U+FFFE', '<a>&#xFFFE;</a>'],
    ['a character reference past U+10FFFF', '<a>&#x110000;</a>'],
    ['an enormous character reference', `<a>&#${'9'.repeat(40)};</a>`],
    ['a bare < ', '<a>a < b</a>'],
  ])('%s is not-well-formed', (_, xml) => {
    expect(conditionOf(xml)).toBe('not-well-formed');
  });

  test.each([['in text', '<a>&nbsp;</a>'], ['in a value', "<a x='&copy;'/>"]])('an undefined entity %s is restricted-xml', (_, xml) => {
    expect(conditionOf(xml)).toBe('restricted-xml');
  });

  test('CDATA sections keep markup characters and join the surrounding text', () => {
    expect(parse('<a>x<![CDATA[<b>&amp;]]]]>y<![CDATA[]]></a>').children).toEqual(['x<b>&amp;]]y']);
  });

  test.each([['in text', '<a>x]]>y</a>'], ['after more brackets', '<a>]]]></a>']])(']]> %s is not-well-formed', (_, xml) => {
    expect(conditionOf(xml)).toBe('not-well-formed');
  });

  test(']] without > and ]]&gt; are fine', () => {
    expect(parse('<a>]] ]]&gt; ]</a>').getText()).toBe(']] ]]> ]');
  });
});

describe('line breaks and attribute-value normalisation (XML 1.0 §2.11, §3.3.3)', () => {
  test('CR LF and a lone CR become LF in text and CDATA; a CR written as a reference stays', () => {
    expect(parse('<a>1\r\n2\r3\n4&#13;5<![CDATA[6\r\n7\r]]></a>').getText()).toBe('1\n2\n3\n4\r56\n7\n');
  });

  test('tab, LF, CR and CR LF become one space each in values; references keep their character', () => {
    expect(parse("<a v='1\t2\n3\r4\r\n5&#9;&#10;&#13;&#32;6'/>").attrs.v).toBe('1 2 3 4 5\t\n\r 6');
  });
});

describe('characters (XML 1.0 §2.2 production Char)', () => {
  test.each([
    ['U+0001', '\u0001'], ['U+000B', '\u000b'], ['U+001F', '\u001f'], ['U+0000', '\u0000'], ['U+FFFE', '\ufffe'],
    ['U+FFFF', '\uffff'], ['a lone high surrogate', '\ud800x'], ['a lone low surrogate', 'x\udc00'],
    ['a high surrogate at the end', '\udbff'],
  ])('%s is refused in text and in values', (_, char) => {
    expect(conditionOf(`<a>${char}</a>`)).toBe('not-well-formed');
    expect(conditionOf(`<a v='${char}'/>`)).toBe('not-well-formed');
  });

  test('tab, LF, DEL, C1 controls, U+FFFD and astral characters are allowed', () => {
    const text = '\t\n\u007f\u0085\ufffd\u{1F600}\u{10FFFF}';
    expect(parse(`<a v='${text}'>${text}</a>`).getText()).toBe(text);
  });
});

describe('namespaces (Namespaces in XML 1.0 §3, §5, §6)', () => {
  test.each([
    ['an unbound element prefix', '<p:a/>'],
    ['an unbound attribute prefix', "<a p:x='1'/>"],
    ['a prefix bound only on a sibling', "<a><b xmlns:p='urn:p'/><p:c/></a>"],
    ['the same attribute under two prefixes of one namespace', "<a xmlns:p='urn:x' xmlns:q='urn:x' p:k='1' q:k='2'/>"],
    ['a duplicate attribute', "<a x='1' x='2'/>"],
    ['a duplicate declaration', "<a xmlns:p='urn:p' xmlns:p='urn:p'/>"],
    ['undeclaring a prefix', "<a xmlns:p=''/>"],
    ['xml bound elsewhere', "<a xmlns:xml='urn:x'/>"],
    ['the xml namespace under another prefix', "<a xmlns:p='http://www.w3.org/XML/1998/namespace'/>"],
    ['the xml namespace as default', "<a xmlns='http://www.w3.org/XML/1998/namespace'/>"],
    ['declaring xmlns', "<a xmlns:xmlns='http://www.w3.org/2000/xmlns/'/>"],
    ['the xmlns namespace as default', "<a xmlns='http://www.w3.org/2000/xmlns/'/>"],
    ['an element with the xmlns prefix', '<xmlns:a/>'],
  ])('%s is not-well-formed', (_, xml) => {
    expect(conditionOf(xml)).toBe('not-well-formed');
  });

  test('prefixes resolve through ancestors, may be redeclared, and xml is predefined', () => {
    const result = parseXmlFragment("<p:a xmlns:p='urn:1' xml:lang='en'><p:b xmlns:p='urn:2' p:k='v'/></p:a>", LIMITS);
    expect(result.ok && [result.value.uri, result.value.local]).toEqual(['urn:1', 'a']);
    expect(conditionOf("<a xmlns:xml='http://www.w3.org/XML/1998/namespace' xml:lang='en'/>")).toBe('accepted');
  });

  test('the same local name in different namespaces, and the default namespace undeclared, are fine', () => {
    expect(conditionOf("<a xmlns:p='urn:1' xmlns:q='urn:2' p:k='1' q:k='2' k='3'><b xmlns=''/></a>")).toBe('accepted');
  });

  test('an inner declaration hides an outer one only until its element ends', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER.replace("version='1.0'>", "version='1.0' xmlns:p='urn:1'>")}<x><p:y xmlns:p='urn:2'/><p:y/></x><p:z/>`);
    const stanzas = events.flatMap((e) => (e.kind === 'stanza' ? [[e.uri, e.element.toString()]] : []));
    expect(stanzas).toEqual([
      ['jabber:client', '<x xmlns="jabber:client"><y xmlns="urn:2"/><y xmlns="urn:1"/></x>'],
      ['urn:1', '<z xmlns="urn:1"/>'],
    ]);
  });

  test('a namespace name is the value as written, without trimming', () => {
    const result = parseXmlFragment("<a xmlns=' urn:a '/>", LIMITS);
    expect(result.ok && result.value.uri).toBe(' urn:a ');
  });
});

describe('the XML declaration and forbidden markup (XML 1.0 §2.8, RFC 6120 §11)', () => {
  test.each([
    "<?xml version='1.0'?><a/>", '<?xml version="1.0" encoding="UTF-8"?><a/>', "<?xml version='1.0' encoding='utf-8' standalone='yes' ?><a/>",
    "<?xml version = '1.1'\n?><a/>", "\ufeff<?xml version='1.0'?><a/>",
  ])('%s is accepted', (xml) => {
    expect(conditionOf(xml)).toBe('accepted');
  });

  test.each([
    ['whitespace before it', " <?xml version='1.0'?><a/>"],
    ['no version', "<?xml encoding='UTF-8'?><a/>"],
    ['version 2.0', "<?xml version='2.0'?><a/>"],
    ['encoding before version', "<?xml encoding='UTF-8' version='1.0'?><a/>"],
    ['a bad standalone', "<?xml version='1.0' standalone='maybe'?><a/>"],
    ['no space between pseudo-attributes', "<?xml version='1.0'encoding='UTF-8'?><a/>"],
    ['an uppercase target', "<?XML version='1.0'?><a/>"],
    ['a declaration inside the element', "<a><?xml version='1.0'?></a>"],
    ['a target with a colon', '<a><?a:b x?></a>'],
  ])('%s is not-well-formed', (_, xml) => {
    expect(conditionOf(xml)).toBe('not-well-formed');
  });

  test('an encoding other than UTF-8 is unsupported-encoding', () => {
    expect(conditionOf("<?xml version='1.0' encoding='UTF-16'?><a/>")).toBe('unsupported-encoding');
  });

  test.each([
    ['a DOCTYPE', '<!DOCTYPE a><a/>'], ['an ENTITY declaration', '<!ENTITY e "x"><a/>'], ['an ELEMENT declaration in an element', '<a><!ELEMENT a ANY></a>'],
    ['a comment', '<a><!-- x --></a>'], ['a comment after the element', '<a/><!-- x -->'], ['a processing instruction', '<a><?pi data?></a>'],
    ['a reserved-looking target', '<?xml-stylesheet href="x"?><a/>'],
  ])('%s is restricted-xml', (_, xml) => {
    expect(conditionOf(xml)).toBe('restricted-xml');
  });

  test.each([['<!x'], ['<![CDAT[x]]>'], ['<!-x-->']])('other markup after <! is not-well-formed: %s', (markup) => {
    expect(conditionOf(`<a>${markup}</a>`)).toBe('not-well-formed');
  });
});
