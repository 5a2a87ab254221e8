import { describe, expect, test } from '@jest/globals';
import { bodyXml, parseBoshBody, terminateXml } from '../../http/bosh/bosh-body.js';
import { classifyRid, parseRid } from '../../http/bosh/rid-window.js';

const LIMITS = { maxStanzaBytes: 4096, maxDepth: 8, maxAttributes: 32 };
const BOSH = 'http://jabber.org/protocol/httpbind';

describe('rid window (XEP-0124 §14)', () => {
  test('in order, ahead within the window, repeated, beyond', () => {
    expect(classifyRid(11, 10, 2)).toBe('in-order');
    expect(classifyRid(12, 10, 2)).toBe('ahead');
    expect(classifyRid(13, 10, 2)).toBe('out-of-window');
    expect(classifyRid(10, 10, 2)).toBe('repeat');
    expect(classifyRid(3, 10, 2)).toBe('repeat');
  });

  test('a rid is a positive integer below 2^53', () => {
    expect(parseRid('1')).toBe(1);
    expect(parseRid('9007199254740991')).toBe(9007199254740991);
    expect(parseRid('9007199254740992')).toBeUndefined();
    expect(parseRid('0')).toBeUndefined();
    expect(parseRid('-1')).toBeUndefined();
    expect(parseRid('1e3')).toBeUndefined();
    expect(parseRid(undefined)).toBeUndefined();
  });
});

describe('parseBoshBody', () => {
  test('reads the attributes, the xbosh ones under any prefix, and the payload', () => {
    const parsed = parseBoshBody(
      `<body xmlns='${BOSH}' xmlns:x='urn:xmpp:xbosh' rid='5' sid='abc' x:restart='true' x:version='1.0'>` +
      `<message xmlns='jabber:client' to='a@b'><body>hi</body></message><auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl'/></body>`,
      LIMITS,
    );
    if (!parsed.ok) throw new Error('expected a body');
    expect(parsed.value).toMatchObject({ rid: 5, sid: 'abc', restart: true, xmppVersion: '1.0', terminate: false });
    expect(parsed.value.payload.map((p) => [p.local, p.uri])).toEqual([
      ['message', 'jabber:client'], ['auth', 'urn:ietf:params:xml:ns:xmpp-sasl'],
    ]);
    expect(parsed.value.payload[0]!.element.parent).toBeNull();
  });

  test('a payload element without a namespace of its own is jabber:client and says so', () => {
    const parsed = parseBoshBody(`<body xmlns='${BOSH}' rid='1' type='terminate'><presence type='unavailable'/></body>`, LIMITS);
    if (!parsed.ok) throw new Error('expected a body');
    expect(parsed.value.terminate).toBe(true);
    expect(parsed.value.payload[0]!.uri).toBe('jabber:client');
    expect(parsed.value.payload[0]!.element.toString()).toBe(`<presence xmlns="jabber:client" type="unavailable"/>`);
  });

  test.each([
    ['not XML', '<body'],
    ['another root', `<iq xmlns='jabber:client'/>`],
    ['a body in no namespace', `<body rid='1'/>`],
    ['no rid', `<body xmlns='${BOSH}'/>`],
    ['text in the body', `<body xmlns='${BOSH}' rid='1'>text</body>`],
    ['two roots', `<body xmlns='${BOSH}' rid='1'/><body xmlns='${BOSH}' rid='2'/>`],
  ])('%s is a bad request', (_name, text) => {
    const parsed = parseBoshBody(text, LIMITS);
    expect(parsed.ok ? undefined : parsed.error.kind).toBe('bad-request');
  });

  test('a body past the limits is a policy violation', () => {
    const parsed = parseBoshBody(`<body xmlns='${BOSH}' rid='1'>${'<a>'.repeat(10)}${'</a>'.repeat(10)}</body>`, LIMITS);
    expect(parsed.ok ? undefined : parsed.error.kind).toBe('stream-error');
  });
});

describe('response bodies', () => {
  test('attributes are escaped and an empty body is self-closing', () => {
    expect(bodyXml({ sid: `a'b`, none: undefined }, '')).toBe(`<body xmlns='${BOSH}' sid='a&apos;b'/>`);
    expect(bodyXml({}, '<presence/>')).toBe(`<body xmlns='${BOSH}'><presence/></body>`);
    expect(terminateXml('item-not-found')).toBe(`<body xmlns='${BOSH}' type='terminate' condition='item-not-found'/>`);
    expect(terminateXml(undefined)).toBe(`<body xmlns='${BOSH}' type='terminate'/>`);
  });
});
