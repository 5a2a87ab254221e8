import { describe, test, expect } from '@jest/globals';
import type { StreamError } from '../../server/errors/index.js';
import { NS, parseXmlFragment, type XmlLimits } from '../../server/xml/index.js';

const LIMITS: XmlLimits = { maxStanzaBytes: 10_000, maxDepth: 5, maxAttributes: 5 };

function errorOf(text: string, limits: XmlLimits = LIMITS): StreamError | undefined {
  const result = parseXmlFragment(text, limits);
  return result.ok ? undefined : result.error;
}

describe('parseXmlFragment', () => {
  test('parses one element with its namespace, local name and attributes as written', () => {
    const result = parseXmlFragment(`<open xmlns='${NS.framing}' to='example.com' version='1.0'/>`, LIMITS);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.value.uri).toBe(NS.framing);
    expect(result.value.local).toBe('open');
    expect(result.value.element.attrs).toEqual({ xmlns: NS.framing, to: 'example.com', version: '1.0' });
  });

  test('an element round-trips to the same XML, with text and attributes decoded in between', () => {
    const xml = '<message xmlns="jabber:client" to="a@b" id="&quot;1&apos;"><body>x &lt; y &amp; z</body>'
      + '<x xmlns="urn:foo" ns1:a="&lt;" xmlns:ns1="urn:foo"/></message>';
    const result = parseXmlFragment(xml, LIMITS);
    if (!result.ok) throw result.error;
    expect(result.value.element.attrs.id).toBe(`"1'`);
    expect(result.value.element.getChildText('body')).toBe('x < y & z');
    expect(result.value.element.toString()).toBe(xml);
    expect(result.value).toMatchObject({ uri: 'jabber:client', local: 'message' });
  });

  test('a prefixed element resolves its namespace', () => {
    const result = parseXmlFragment(`<stream:error xmlns:stream='${NS.stream}'><x xmlns='${NS.streams}'/></stream:error>`, LIMITS);
    expect(result.ok && [result.value.uri, result.value.local]).toEqual([NS.stream, 'error']);
  });

  test('whitespace around the element and an XML declaration are allowed', () => {
    expect(parseXmlFragment("<?xml version='1.0'?>\n <presence/> \n", LIMITS).ok).toBe(true);
  });

  test('the shared parser recovers after an error', () => {
    expect(errorOf('<a><b></a>')?.condition).toBe('not-well-formed');
    expect(errorOf('<a>')?.condition).toBe('not-well-formed');
    const result = parseXmlFragment('<a><b/>text</a>', LIMITS);
    expect(result.ok && result.value.element.toString()).toBe('<a><b/>text</a>');
  });

  test.each([
    ['nothing', ''],
    ['only whitespace', '  \n'],
    ['two elements', '<a/><b/>'],
    ['trailing text', '<a/>text'],
    ['leading text', 'text<a/>'],
    ['an unclosed element', '<a><b/>'],
    ['a mismatched end tag', '<a></b>'],
    ['a duplicate attribute', "<a x='1' x='2'/>"],
    ['an unbound prefix', '<p:a/>'],
    ['a disallowed character', '<a>\u0000</a>'],
    ['a bare ampersand', '<a>&</a>'],
  ])('%s is not-well-formed', (_, text) => {
    expect(errorOf(text)?.condition).toBe('not-well-formed');
  });

  test.each([
    ['a comment', '<a><!-- c --></a>'],
    ['a processing instruction', '<a><?pi x?></a>'],
    ['a DOCTYPE', '<!DOCTYPE a><a/>'],
    ['an internal DTD subset', '<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'],
    ['an undefined entity', '<a>&nbsp;</a>'],
  ])('%s is restricted-xml', (_, text) => {
    expect(errorOf(text)?.condition).toBe('restricted-xml');
  });

  test('a declared encoding other than UTF-8 is unsupported-encoding', () => {
    expect(errorOf("<?xml version='1.0' encoding='UTF-16'?><a/>")?.condition).toBe('unsupported-encoding');
  });

  test('the size limit counts bytes', () => {
    const text = `<a>${'\u20ac'.repeat(10)}</a>`; // 7 + 30 bytes, 17 code units
    expect(parseXmlFragment(text, { ...LIMITS, maxStanzaBytes: 37 }).ok).toBe(true);
    expect(errorOf(text, { ...LIMITS, maxStanzaBytes: 36 })).toMatchObject({ condition: 'policy-violation', text: 'Stanza too large' });
  });

  test('depth counts the element itself as 1', () => {
    expect(parseXmlFragment('<a><b><c/></b></a>', { ...LIMITS, maxDepth: 3 }).ok).toBe(true);
    expect(errorOf('<a><b><c/></b></a>', { ...LIMITS, maxDepth: 2 })).toMatchObject({ condition: 'policy-violation', text: 'XML nesting too deep' });
  });

  test('attributes, namespace declarations included, are limited per element', () => {
    expect(parseXmlFragment("<a xmlns='urn:a' x='1'><b y='1' z='2'/></a>", { ...LIMITS, maxAttributes: 2 }).ok).toBe(true);
    expect(errorOf("<a xmlns='urn:a' x='1' y='2'/>", { ...LIMITS, maxAttributes: 2 })?.condition).toBe('policy-violation');
  });

  test('multibyte text survives', () => {
    const result = parseXmlFragment('<a b="\u{1F600}">\u20ac\u{1F600}&#x1F601;</a>', LIMITS);
    expect(result.ok && [result.value.element.attrs.b, result.value.element.getText()]).toEqual(['\u{1F600}', '\u20ac\u{1F600}\u{1F601}']);
  });
});
