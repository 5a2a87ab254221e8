import { describe, test, expect } from '@jest/globals';
import { NS } from '../../server/xml/index.js';
import { HEADER, LIMITS, setup } from '../helpers/xml-stream-recorder.js';

const MULTIBYTE_STANZA = "<message id='\u20ac\u{1F600}'><body>a\u20acb\u{1F600}c\u00e9</body></message>";

function feedBytewise(write: (chunk: Buffer) => void, text: string): void {
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i++) write(bytes.subarray(i, i + 1));
}

describe('stanza size limit (bytes)', () => {
  const stanza = `<message><body>${'\u00e9'.repeat(200)}</body></message>`;
  const bytes = Buffer.byteLength(stanza);

  test.each([['one write', false], ['byte by byte', true]])('a stanza of exactly the limit passes, one byte less fails (%s)', (_, bytewise) => {
    for (const [limit, expected] of [[bytes, 'stanza'], [bytes - 1, 'error'], [stanza.length, 'error']] as const) {
      const { parser, events } = setup({ ...LIMITS, maxStanzaBytes: limit });
      const write = (chunk: Buffer | string) => parser.write(chunk);
      if (bytewise) feedBytewise(write, HEADER + stanza);
      else write(HEADER + stanza);
      expect(events.map((e) => e.kind)).toEqual(['open', expected]);
      if (expected === 'error') expect(events[1]).toMatchObject({ error: { condition: 'policy-violation', text: 'Stanza too large' } });
    }
  });

  test.each([
    ['text', '<message><body>', 'x'.repeat(100)],
    ['an attribute value', "<message id='", 'y'.repeat(100)],
    ['a tag name', '<message><b', 'z'.repeat(100)],
    ['nested elements', '<message>', '<a>'.repeat(25)],
    ['a comment between stanzas', '<!--', 'c'.repeat(100)],
  ])('an endless stanza fails as soon as the limit is passed: %s', (_, start, chunk) => {
    const { parser, errors, stanzas } = setup({ ...LIMITS, maxStanzaBytes: 1000, maxDepth: 10_000 });
    parser.write(HEADER + start);
    let fed = start.length;
    while (errors().length === 0 && fed < 100_000) {
      parser.write(chunk);
      fed += chunk.length;
    }
    expect(errors().map((e) => e.condition)).toEqual(['policy-violation']);
    expect(fed).toBeLessThanOrEqual(1100);
    expect(stanzas()).toEqual([]);
  });

  test('one huge chunk is refused without parsing to its end', () => {
    const { parser, errors, stanzas } = setup({ ...LIMITS, maxStanzaBytes: 1000 });
    // Were the chunk parsed to its end, the mismatched end tag would be reported first.
    parser.write(`${HEADER}<message><body>${'x'.repeat(1_000_000)}</wrong></message><presence/>`);
    expect(errors().map((e) => e.text)).toEqual(['Stanza too large']);
    expect(stanzas()).toEqual([]);
  });

  test('the prolog and root start tag count against the limit', () => {
    const big = setup({ ...LIMITS, maxStanzaBytes: 100 });
    big.parser.write(HEADER);
    expect(big.events.map((e) => e.kind)).toEqual(['error']);
    expect(big.errors()[0]).toMatchObject({ condition: 'policy-violation', text: 'Stream header too large' });
    const endless = setup({ ...LIMITS, maxStanzaBytes: 1000, maxAttributes: 100_000 });
    endless.parser.write('<stream:stream');
    for (let i = 0; i < 100 && endless.errors().length === 0; i++) endless.parser.write(` a${i}='${'v'.repeat(50)}'`);
    expect(endless.errors().map((e) => e.condition)).toEqual(['policy-violation']);
    const spaces = setup({ ...LIMITS, maxStanzaBytes: 1000 });
    for (let i = 0; i < 20; i++) spaces.parser.write(' '.repeat(100));
    expect(spaces.errors().map((e) => e.condition)).toEqual(['policy-violation']);
  });
});

describe('depth and attribute limits', () => {
  const limits = { ...LIMITS, maxDepth: 3, maxAttributes: 3 };
  const SHORT_HEADER = `<stream:stream xmlns='jabber:client' xmlns:stream='${NS.stream}'>`;

  test('nesting up to the limit passes; one deeper fails before the stanza ends', () => {
    const ok = setup(limits);
    ok.parser.write(`${SHORT_HEADER}<a><b><c/></b></a>`);
    expect(ok.stanzas()).toHaveLength(1);
    const deep = setup(limits);
    deep.parser.write(`${SHORT_HEADER}<a><b><c><d>`);
    expect(deep.errors()).toEqual([expect.objectContaining({ condition: 'policy-violation', text: 'XML nesting too deep' })]);
  });

  test('attributes up to the limit pass; one more fails, namespace declarations included', () => {
    const ok = setup(limits);
    ok.parser.write(`${SHORT_HEADER}<a x='1' y='2' z='3'><b xmlns='urn:b' xmlns:p='urn:p' p:q='1'/></a>`);
    expect(ok.errors()).toEqual([]);
    expect(ok.stanzas()).toHaveLength(1);
    const many = setup(limits);
    many.parser.write(`${SHORT_HEADER}<a><b xmlns='urn:b' x='1' y='2' z='3'/></a>`);
    expect(many.errors().map((e) => e.condition)).toEqual(['policy-violation']);
  });

  test('the root start tag is bound by the attribute limit too', () => {
    const { parser, events } = setup({ ...LIMITS, maxAttributes: 3 });
    parser.write(HEADER);
    expect(events).toEqual([{ kind: 'error', error: expect.objectContaining({ condition: 'policy-violation' }) }]);
  });
});

describe('setLimits', () => {
  const stanza = `<message><body>${'x'.repeat(200)}</body></message>`;

  test('raising the stanza size limit after authentication lets larger stanzas through', () => {
    const before = setup({ ...LIMITS, maxStanzaBytes: 200 });
    before.parser.write(HEADER + stanza);
    expect(before.errors().map((e) => e.condition)).toEqual(['policy-violation']);
    const after = setup({ ...LIMITS, maxStanzaBytes: 200, maxDepth: 2 });
    after.parser.write(HEADER);
    after.parser.setLimits({ maxStanzaBytes: 1000 });
    after.parser.write(stanza);
    expect(after.stanzas()).toHaveLength(1);
    after.parser.write('<a><b><c/></b></a>'); // the depth limit was left as it was
    expect(after.errors().map((e) => e.text)).toEqual(['XML nesting too deep']);
  });

  test('lowering the depth and attribute limits applies to the next stanza', () => {
    const { parser, stanzas, errors } = setup(LIMITS);
    parser.write(`${HEADER}<a><b><c/></b></a>`);
    parser.setLimits({ maxDepth: 2 });
    parser.write('<a><b><c/></b></a>');
    expect(stanzas()).toHaveLength(1);
    expect(errors().map((e) => e.text)).toEqual(['XML nesting too deep']);
  });
});

describe('reset', () => {
  test('a new stream can be parsed after an error', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}<a></b>`);
    parser.reset();
    parser.write(`${HEADER}<presence/>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'error', 'open', 'stanza']);
  });

  test('reset from a stanza handler discards the rest of that input (RFC 6120 §5.4.3.3)', () => {
    const { parser, events } = setup(LIMITS, (p, element) => { if (element.name === 'starttls') p.reset(); });
    parser.write(`${HEADER}<starttls/><message>injected</message>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'stanza']);
    parser.write(`${HEADER}<message>real</message>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'stanza', 'open', 'stanza']);
    expect(events.at(-1)).toMatchObject({ kind: 'stanza', local: 'message' });
  });

  test('input discarded by a reset cannot disturb the new stream, even when malformed', () => {
    const { parser, events } = setup(LIMITS, (p, element) => { if (element.name === 'starttls') p.reset(); });
    parser.write(`${HEADER}<starttls></starttls><x></y></stream:stream>`);
    parser.write(`${HEADER}<message/>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'stanza', 'open', 'stanza']);
  });

  test('reset drops a partial multibyte character and a partial stanza', () => {
    const { parser, stanzas, errors } = setup();
    const euro = Buffer.from('\u20ac');
    parser.write(Buffer.concat([Buffer.from(`${HEADER}<message><body>`), euro.subarray(0, 2)]));
    parser.reset();
    parser.write(Buffer.from(`${HEADER}<message><body>ok</body></message>`));
    expect(errors()).toEqual([]);
    expect(stanzas().map((s) => s.toString())).toEqual(['<message xmlns="jabber:client"><body>ok</body></message>']);
  });

  test('a stream can start again after the previous one closed', () => {
    const { parser, events } = setup();
    parser.write(`${HEADER}</stream:stream>`);
    parser.reset();
    parser.write(`${HEADER}<presence/>`);
    expect(events.map((e) => e.kind)).toEqual(['open', 'close', 'open', 'stanza']);
  });
});

describe('chunk splitting', () => {
  test('3- and 4-byte characters split at every byte boundary survive', () => {
    const whole = Buffer.from(HEADER + MULTIBYTE_STANZA);
    for (let cut = 1; cut < whole.length; cut++) {
      const { parser, stanzas, errors } = setup();
      parser.write(whole.subarray(0, cut));
      parser.write(whole.subarray(cut));
      expect(errors()).toEqual([]);
      const [message] = stanzas();
      expect(message?.attrs.id).toBe('\u20ac\u{1F600}');
      expect(message?.getChildText('body')).toBe('a\u20acb\u{1F600}c\u00e9');
    }
  });

  test('a surrogate pair split between string writes survives', () => {
    const { parser, stanzas } = setup();
    const text = HEADER + MULTIBYTE_STANZA;
    const cut = text.indexOf('\u{1F600}') + 1;
    parser.write(text.slice(0, cut));
    parser.write(text.slice(cut));
    expect(stanzas()[0]?.attrs.id).toBe('\u20ac\u{1F600}');
  });

  test('byte-by-byte input gives the same events as one write', () => {
    const stream = `${HEADER} <presence/>\n${MULTIBYTE_STANZA}<iq type='get' id='1'><query xmlns='jabber:iq:roster'/></iq> </stream:stream>`;
    const whole = setup();
    whole.parser.write(Buffer.from(stream));
    const bytewise = setup();
    feedBytewise((chunk) => bytewise.parser.write(chunk), stream);
    const summary = (events: typeof whole.events) => events.map((e) => (e.kind === 'stanza' ? e.element.toString() : e.kind));
    expect(summary(bytewise.events)).toEqual(summary(whole.events));
    expect(summary(whole.events)).toEqual(['open', '<presence xmlns="jabber:client"/>',
      MULTIBYTE_STANZA.replace(/'/g, '"').replace('<message', '<message xmlns="jabber:client"'),
      '<iq xmlns="jabber:client" type="get" id="1"><query xmlns="jabber:iq:roster"/></iq>', 'close']);
  });
});
