import { describe, expect, test } from '@jest/globals';
import { withClientNamespace } from '../../http/web-clients/client-namespace.js';

describe('withClientNamespace (RFC 7395 §3.3.3, XEP-0206)', () => {
  test.each([
    ['<message to="a@b"><body>x</body></message>', `<message xmlns='jabber:client' to="a@b"><body>x</body></message>`],
    ['<presence/>', `<presence xmlns='jabber:client'/>`],
    ['<iq type="result" id="1"/>', `<iq xmlns='jabber:client' type="result" id="1"/>`],
    ['<message>\n</message>', `<message xmlns='jabber:client'>\n</message>`],
  ])('adds the declaration to %s', (input, expected) => {
    expect(withClientNamespace(input)).toBe(expected);
  });

  test.each([
    `<message xmlns="jabber:client" to="a@b"/>`,
    `<iq xmlns='jabber:client' id='1' type='get'><query xmlns='jabber:iq:roster'/></iq>`,
    `<success xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/>`,
    `<stream:features xmlns:stream='http://etherx.jabber.org/streams'/>`,
    `<messages/>`,
    `<iqx/>`,
    `<open xmlns='urn:ietf:params:xml:ns:xmpp-framing'/>`,
  ])('leaves %s as it is', (input) => {
    expect(withClientNamespace(input)).toBe(input);
  });

  test('a declaration inside a child does not count for the stanza', () => {
    const input = `<message to="a@b"><x xmlns="jabber:x:conference"/></message>`;
    expect(withClientNamespace(input)).toBe(`<message xmlns='jabber:client' to="a@b"><x xmlns="jabber:x:conference"/></message>`);
  });

  test('a prefixed declaration is not the default namespace', () => {
    expect(withClientNamespace(`<message xmlns:foo="urn:x" to="a@b"/>`)).toBe(`<message xmlns='jabber:client' xmlns:foo="urn:x" to="a@b"/>`);
  });
});
