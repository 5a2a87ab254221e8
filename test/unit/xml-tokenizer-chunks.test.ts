/**
 * The tokenizer across chunk boundaries and its byte accounting, through XmlStreamParser: tokens
 * cut anywhere are carried over and read once complete, and sizes are exact UTF-8 byte counts.
 */
import { describe, expect, test } from '@jest/globals';
import { HEADER, LIMITS, setup } from '../helpers/xml-stream-recorder.js';

/** Every kind of token and boundary: names, values with references, CDATA, `]]`, CR LF, astral characters. */
const STANZA = "<message xmlns:p='urn:p' p:k=\"a&amp;b\r\nc\" to='\u00e9\u{1F600}'><body>x &lt; y\r\nz]]&gt;<![CDATA[ <raw>]]] ]]>"
  + '\u20ac\u{1F600}&#x1F601;</body><\u540d\u524d \u540d\u524d="\u{10000}"/><p:x/></message  >';

function stanzasOf(chunks: (string | Buffer)[]): string[] {
  const { parser, stanzas, errors } = setup();
  for (const chunk of chunks) parser.write(chunk);
  expect(errors()).toEqual([]);
  return stanzas().map((s) => s.toString());
}

describe('chunk boundaries', () => {
  const whole = stanzasOf([HEADER + STANZA]);

  test('the reference stanza parses as expected', () => {
    expect(whole).toEqual(["<message xmlns=\"jabber:client\" ns1:k=\"a&amp;b c\" to=\"\u00e9\u{1F600}\" xmlns:ns1=\"urn:p\"><body>x &lt; y\nz]]&gt; &lt;raw&gt;]]] "
      + '\u20ac\u{1F600}\u{1F601}</body><\u540d\u524d \u540d\u524d="\u{10000}"/><x xmlns="urn:p"/></message>']);
  });

  test('a cut at every position, as strings and as bytes, changes nothing', () => {
    const text = HEADER + STANZA;
    const bytes = Buffer.from(text);
    for (let cut = HEADER.length; cut < text.length; cut++) expect(stanzasOf([text.slice(0, cut), text.slice(cut)])).toEqual(whole);
    for (let cut = HEADER.length; cut < bytes.length; cut++) expect(stanzasOf([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(whole);
  });

  test('one code unit or one byte at a time changes nothing', () => {
    const text = HEADER + STANZA;
    expect(stanzasOf([...text.split('')])).toEqual(whole);
    expect(stanzasOf([...Buffer.from(text)].map((byte) => Buffer.from([byte])))).toEqual(whole);
  });

  test('a CR at the end of a chunk and a LF at the start of the next are one line break', () => {
    expect(stanzasOf([`${HEADER}<a>1\r`, '\n2\r', '3</a>'])).toEqual(['<a xmlns="jabber:client">1\n2\n3</a>']);
  });

  test('a token cut off is read again as soon as the next chunk decides it', () => {
    const { parser, errors } = setup();
    parser.write(`${HEADER}<message `);
    parser.write("'x'");
    expect(errors().map((e) => e.condition)).toEqual(['not-well-formed']);
    const quoted = setup();
    quoted.parser.write(`${HEADER}<message id='`);
    quoted.parser.write("a>b'");
    expect(quoted.stanzas()).toEqual([]);
    quoted.parser.write('/>');
    expect(quoted.stanzas().map((s) => s.attrs.id)).toEqual(['a>b']);
  });

  test('a huge value fed a byte at a time is still read (the carried part is not re-read each time)', () => {
    const { parser, stanzas } = setup({ ...LIMITS, maxStanzaBytes: 200_000 });
    parser.write(`${HEADER}<message id='`);
    const value = Buffer.from('\u00e9'.repeat(50_000));
    const start = performance.now();
    for (let i = 0; i < value.length; i++) parser.write(value.subarray(i, i + 1));
    parser.write("'/>");
    // Linear work takes a fraction of a second; re-reading the carried value each time takes ~100x longer.
    expect(performance.now() - start).toBeLessThan(5000);
    expect(stanzas()[0]?.attrs.id).toHaveLength(50_000);
  });
});

describe('byte accounting', () => {
  test.each([
    ['non-ASCII element and attribute names', '<\u540d\u524d \u00e9\u00e9="1"></\u540d\u524d>'],
    ['astral characters in a value and in text', "<a v='\u{1F600}'>\u{1F600}\u20ac</a>"],
    ['CR LF in text and in a value', "<a v='1\r\n2'>3\r\n4</a>"],
    ['references', '<a v="&#x1F600;">&#233;&amp;</a>'],
  ])('a stanza with %s is measured in exact UTF-8 bytes', (_, inner) => {
    const stanza = `<m>${'x'.repeat(200)}${inner}</m>`; // longer than the header, which the limit bounds too
    const bytes = Buffer.byteLength(stanza);
    for (const [limit, outcome] of [[bytes, 'stanza'], [bytes - 1, 'error']] as const) {
      for (const bytewise of [false, true]) {
        const { parser, events } = setup({ ...LIMITS, maxStanzaBytes: limit });
        parser.write(HEADER);
        if (bytewise) for (const byte of Buffer.from(stanza)) parser.write(Buffer.from([byte]));
        else parser.write(Buffer.from(stanza));
        expect(events.map((e) => e.kind)).toEqual(['open', outcome]);
      }
    }
  });

  test('the stream header counts its byte order mark, declaration and non-ASCII attribute values', () => {
    const header = `\ufeff${HEADER.replace("to='example.com'", "to='\u00e9xample.com'")}`;
    const bytes = Buffer.byteLength(header);
    expect(setup({ ...LIMITS, maxStanzaBytes: bytes }).errors()).toEqual([]);
    for (const [limit, kinds] of [[bytes, ['open']], [bytes - 1, ['error']]] as const) {
      const { parser, events } = setup({ ...LIMITS, maxStanzaBytes: limit });
      parser.write(header);
      expect(events.map((e) => e.kind)).toEqual(kinds);
    }
  });

  test('a start tag still being received counts against the limit', () => {
    const { parser, errors } = setup({ ...LIMITS, maxStanzaBytes: 1000 });
    parser.write(`${HEADER}<message id='`);
    for (let i = 0; i < 60 && errors().length === 0; i++) parser.write('\u20ac'.repeat(10));
    expect(errors().map((e) => e.text)).toEqual(['Stanza too large']);
  });
});
