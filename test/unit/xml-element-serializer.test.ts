import { describe, expect, test } from '@jest/globals';
import { Element } from 'ltx';
import { parseXmlFragment, serializeElement } from '../../server/xml/index.js';

const LIMITS = { maxStanzaBytes: 65536, maxDepth: 32, maxAttributes: 64 };

describe('serializeElement', () => {
  test('writes what ltx writes for stanzas: attributes, nested children, empty elements, escaped text', () => {
    const message = new Element('message', { to: 'b@localhost', from: 'a@localhost/r', type: 'chat', id: "it's <1> & \"2\"", xmlns: 'jabber:client' });
    message.c('body').t('caf\u00e9 \u2615 <b> & </b> \ud83d\ude00 \'q\' "dq"');
    message.c('active', { xmlns: 'http://jabber.org/protocol/chatstates' });
    message.c('x', { xmlns: 'jabber:x:data', type: 'form' }).c('field', { var: 'a' }).c('value').t('1');
    expect(serializeElement(message)).toBe(message.toString());
    expect(serializeElement(new Element('presence'))).toBe('<presence/>');
  });

  test('skips undefined and null attributes and children; numbers are written as text', () => {
    const iq = new Element('iq', { type: 'result', id: 'x', to: undefined, from: null });
    iq.c('query', { count: 3 }).t('').up().children.push(null as unknown as string, 42 as unknown as string);
    expect(serializeElement(iq)).toBe('<iq type="result" id="x"><query count="3"></query>42</iq>');
  });

  test('keeps tabs and line breaks of attribute values as references, so they survive parsing (XML 1.0 §3.3.3)', () => {
    const message = new Element('message', { id: 'a\tb\nc\rd' });
    message.c('body').t('line one\nline two\ttab');
    const xml = serializeElement(message);
    expect(xml).toBe('<message id="a&#9;b&#10;c&#13;d"><body>line one\nline two\ttab</body></message>');
    const parsed = parseXmlFragment(xml, LIMITS);
    expect(parsed.ok && parsed.value.element.attrs.id).toBe('a\tb\nc\rd');
    expect(parsed.ok && parsed.value.element.getChildText('body')).toBe('line one\nline two\ttab');
  });
});
