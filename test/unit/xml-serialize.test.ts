import { describe, test, expect } from '@jest/globals';
import { escapeAttr, escapeXml, NS, parseXmlFragment, streamHeader } from '../../server/xml/index.js';
import { setup } from '../helpers/xml-stream-recorder.js';

const LIMITS = { maxStanzaBytes: 10_000, maxDepth: 5, maxAttributes: 10 };

describe('serialisation helpers', () => {
  test('escapeXml escapes markup characters in text and leaves the rest alone', () => {
    expect(escapeXml(`a<b>&c"d'e\n`)).toBe(`a&lt;b&gt;&amp;c"d'e\n`);
    expect(escapeXml('plain \u20ac')).toBe('plain \u20ac');
  });

  test('escapeAttr output survives a parse in either quote style, tabs and newlines included', () => {
    const value = `<&>"'\t\n\r x`;
    for (const quote of [`'`, `"`]) {
      const result = parseXmlFragment(`<a v=${quote}${escapeAttr(value)}${quote}/>`, LIMITS);
      expect(result.ok && result.value.element.attrs.v).toBe(value);
    }
  });

  test('streamHeader opens a jabber:client stream with escaped attributes', () => {
    const header = streamHeader({ from: 'example.com', id: `a'b<c`, version: '1.0', 'xml:lang': 'en' });
    expect(header).toBe(`<?xml version='1.0'?><stream:stream xmlns='jabber:client' xmlns:stream='${NS.stream}'`
      + ` from='example.com' id='a&apos;b&lt;c' version='1.0' xml:lang='en'>`);
    const { parser, events } = setup(LIMITS);
    parser.write(header);
    expect(events).toEqual([{ kind: 'open', open: expect.objectContaining({
      uri: NS.stream, local: 'stream',
      attrs: { xmlns: NS.client, 'xmlns:stream': NS.stream, from: 'example.com', id: `a'b<c`, version: '1.0', 'xml:lang': 'en' },
    }) }]);
  });

  test('streamHeader lets the content namespace be chosen', () => {
    expect(streamHeader({ xmlns: NS.server })).toBe(`<?xml version='1.0'?><stream:stream xmlns='${NS.server}' xmlns:stream='${NS.stream}'>`);
  });
});
