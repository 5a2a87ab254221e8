/**
 * Canonical stanzas at the edge (DESIGN.md §1): whatever prefixes a client chooses — on the
 * stanza, on a child, on the stream root or the BOSH `<body/>` — the stream parser, the framed
 * (WebSocket) parser and the BOSH unwrapper hand over exactly the element the plain form gives:
 * local names, `xmlns` where the namespace changes, no declarations left, the same serialisation.
 */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { parseBoshBody } from '../../http/bosh/bosh-body.js';
import { NS, parseXmlFragment, serializeElement, XmlStreamParser, type XmlLimits } from '../../server/xml/index.js';
import { declarations, randomBindings, writePlain, writePrefixed, type ElementSpec, type XmlContext } from '../helpers/prefixed-xml.js';
import { Random } from '../helpers/xml-fuzz.js';

const LIMITS: XmlLimits = { maxStanzaBytes: 1_000_000, maxDepth: 50, maxAttributes: 100 };
const CASES = 400;
const VARIANTS = 4;
const CHILD_NAMESPACES = [NS.client, NS.client, NS.mucUser, NS.occupantId, 'urn:x', NS.delay, NS.roster, ''];
const CHILD_NAMES = ['body', 'x', 'item', 'occupant-id', 'query', 'evil', 'delay', 'status', 'thread'];
const ATTRIBUTE_NAMES = ['id', 'type', 'jid', 'role', 'affiliation', 'k', 'stamp'];
const VALUES = ['v', 'bob@example.com/phone', "it's", 'a "q"', '&<>', '\t\n', 'é€😀'];
const TEXTS = ['hi', ' ', 'a < b & c > d', ']]>', 'wörld 😀', '\n'];
const FOREIGN = ['urn:attr:1', 'urn:attr:2', NS.xbosh];

function randomAttributes(rng: Random, names: readonly string[]): ElementSpec['attrs'] {
  const attrs: { uri: string; local: string; value: string }[] = [];
  for (const local of names) if (rng.chance(0.4)) attrs.push({ uri: '', local, value: rng.pick(VALUES) });
  if (rng.chance(0.2)) attrs.push({ uri: 'http://www.w3.org/XML/1998/namespace', local: 'lang', value: rng.pick(['en', 'de']) });
  // Foreign attributes: at most one per namespace and local name (a duplicate is not well-formed).
  for (const uri of FOREIGN) if (rng.chance(0.12)) attrs.push({ uri, local: rng.pick(['k', 'restart']), value: rng.pick(VALUES) });
  return attrs;
}

function randomChild(rng: Random, depth: number): ElementSpec {
  const children: (ElementSpec | string)[] = [];
  for (let n = depth > 0 ? rng.int(3) : 0; n > 0; n--) children.push(rng.chance(0.7) ? randomChild(rng, depth - 1) : rng.pick(TEXTS));
  return { ns: rng.pick(CHILD_NAMESPACES), local: rng.pick(CHILD_NAMES), attrs: randomAttributes(rng, ATTRIBUTE_NAMES), children };
}

function randomStanza(rng: Random): ElementSpec {
  const children: ElementSpec[] = [];
  for (let n = rng.int(4); n > 0; n--) children.push(randomChild(rng, 2));
  return { ns: NS.client, local: rng.pick(['message', 'presence', 'iq']), attrs: randomAttributes(rng, ['to', 'type', 'id']), children };
}

/** Name, attributes in order, children: a deep comparison that also sees attribute order. */
type Shape = [string, [string, unknown][], (Shape | string)[]];
function shapeOf(element: Element): Shape {
  return [element.name, Object.entries(element.attrs), element.children.map((c) => (typeof c === 'string' ? c : shapeOf(c)))];
}

function viaStream(stanza: string, bindings: ReadonlyMap<string, string> = new Map()): Element {
  const stanzas: Element[] = [];
  const errors: unknown[] = [];
  const parser = new XmlStreamParser({
    onStreamOpen: () => undefined,
    onStanza: (element) => stanzas.push(element),
    onStreamClose: () => undefined,
    onError: (error) => errors.push(error),
  }, LIMITS);
  parser.write(`<stream:stream xmlns='jabber:client' xmlns:stream='${NS.stream}'${declarations(bindings)} to='h' version='1.0'>${stanza}`);
  expect(errors).toEqual([]);
  expect(stanzas).toHaveLength(1);
  return stanzas[0]!;
}

function viaFrame(stanza: string): Element {
  const parsed = parseXmlFragment(stanza, LIMITS);
  if (!parsed.ok) throw parsed.error;
  return parsed.value.element;
}

function viaBosh(stanza: string, bindings: ReadonlyMap<string, string>): Element {
  const parsed = parseBoshBody(`<body xmlns='${NS.bosh}' rid='1'${declarations(bindings)}>${stanza}</body>`, LIMITS);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.error));
  expect(parsed.value.payload).toHaveLength(1);
  return parsed.value.payload[0]!.element;
}

const STREAM: XmlContext = { defaultNs: NS.client, bindings: new Map([['stream', NS.stream]]) };
const FRAME: XmlContext = { defaultNs: '', bindings: new Map() };

describe('prefixed and plain stanzas parse to the same canonical element', () => {
  test(`${CASES} random stanzas, ${VARIANTS} prefix choices each, over the stream, WebSocket frames and BOSH bodies`, () => {
    const rng = new Random(0xca70);
    const mismatches: string[] = [];
    let prefixed = 0;
    for (let i = 0; i < CASES; i++) {
      const spec = randomStanza(rng);
      const plainText = writePlain(spec, STREAM);
      const plain = viaStream(plainText);
      const expected = JSON.stringify(shapeOf(plain));
      const expectedXml = serializeElement(plain);
      // The canonical form is a fixed point: its serialisation parses back to itself.
      if (JSON.stringify(shapeOf(viaStream(expectedXml))) !== expected) mismatches.push(`not a fixed point: ${expectedXml}`);
      for (let v = 0; v < VARIANTS; v++) {
        const rootBindings = randomBindings(rng, spec, ['stream']);
        const bodyBindings = randomBindings(rng, spec);
        const bosh: XmlContext = { defaultNs: NS.bosh, bindings: bodyBindings };
        const cases: [string, string, () => Element][] = [];
        const overStream = writePrefixed(spec, { defaultNs: NS.client, bindings: new Map([...STREAM.bindings, ...rootBindings]) }, rng);
        cases.push(['stream', overStream, () => viaStream(overStream, rootBindings)]);
        const overFrame = writePrefixed(spec, FRAME, rng);
        cases.push(['frame', overFrame, () => viaFrame(overFrame)]);
        const overBosh = writePrefixed(spec, bosh, rng);
        cases.push(['bosh', overBosh, () => viaBosh(overBosh, bodyBindings)]);
        for (const [path, text, parse] of cases) {
          // A prefixed element name or a prefixed attribute other than a declaration or xml:lang.
          if (/<[\w-]+:|\s(?!xmlns:|xml:)[\w-]+:[\w-]+=/.test(text)) prefixed++;
          const element = parse();
          if (JSON.stringify(shapeOf(element)) !== expected || serializeElement(element) !== expectedXml) {
            mismatches.push(`${path}: ${text}\n  gave ${serializeElement(element)}\n  plain ${expectedXml}`);
          }
        }
      }
    }
    expect(mismatches.slice(0, 3).join('\n')).toBe('');
    // Most variants must really use prefixes, or the test proves nothing.
    expect(prefixed).toBeGreaterThan(CASES * VARIANTS * 3 * 0.8);
  });
});

describe('canonical form, case by case', () => {
  test('no prefix and no declaration is left: a copied child stays namespace-well-formed (finding 1)', () => {
    const message = viaStream(`<message to='room@conf' type='groupchat' xmlns:x='urn:x'><body>hi</body><x:evil/></message>`);
    expect(serializeElement(message)).toBe(`<message xmlns="jabber:client" to="room@conf" type="groupchat"><body>hi</body><evil xmlns="urn:x"/></message>`);
    const evil = message.getChildElements()[1]!;
    expect(serializeElement(evil)).toBe('<evil xmlns="urn:x"/>');
  });

  test('a prefix declared on the BOSH body is resolved in the payload', () => {
    const element = viaBosh(`<message xmlns='jabber:client' to='a@b'><p:evil/></message>`, new Map([['p', 'urn:x']]));
    expect(serializeElement(element)).toBe('<message xmlns="jabber:client" to="a@b"><evil xmlns="urn:x"/></message>');
  });

  test('a prefixed stanza name is the local name (finding 2)', () => {
    const iq = viaStream(`<c:iq xmlns:c='jabber:client' type='get' to='bob@host' id='1'><c:query xmlns:c='jabber:iq:version'/></c:iq>`);
    expect(serializeElement(iq)).toBe(`<iq xmlns="jabber:client" type="get" to="bob@host" id="1"><query xmlns="jabber:iq:version"/></iq>`);
  });

  test('a prefixed extension is matched by its namespace (finding 3)', () => {
    const presence = viaStream(`<presence><m:x xmlns:m='${NS.mucUser}'><m:item affiliation='owner'/></m:x></presence>`);
    const x = presence.getChildElements()[0]!;
    expect([x.name, x.attrs.xmlns]).toEqual(['x', NS.mucUser]);
    expect(presence.getChild('x', NS.mucUser)?.getChild('item')?.attrs.affiliation).toBe('owner');
  });

  test('xml:lang stays; foreign attributes get ns1, ns2 declared on their element; xmlns comes first', () => {
    const element = viaStream(`<message a:k='1' id='i' xmlns:a='urn:a' xml:lang='en' b:k='2' xmlns:b='urn:b' c:j='3' xmlns:c='urn:a'/>`);
    expect(Object.entries(element.attrs)).toEqual([
      ['xmlns', NS.client], ['ns1:k', '1'], ['id', 'i'], ['xml:lang', 'en'], ['ns2:k', '2'], ['ns1:j', '3'],
      ['xmlns:ns1', 'urn:a'], ['xmlns:ns2', 'urn:b'],
    ]);
  });

  test('a change to no namespace is stated; a redundant declaration is not', () => {
    const element = viaStream(`<message><body xmlns='jabber:client'>x</body><q xmlns=''><r/></q></message>`);
    expect(serializeElement(element)).toBe(`<message xmlns="jabber:client"><body>x</body><q xmlns=""><r/></q></message>`);
  });

  test('a stream-level element keeps its namespace under its local name', () => {
    const error = viaStream(`<stream:error><conflict xmlns='${NS.streams}'/></stream:error>`);
    expect([error.name, error.attrs.xmlns]).toEqual(['error', NS.stream]);
  });

  test('BOSH and WebSocket payloads without a namespace become jabber:client, descendants included', () => {
    const bosh = parseBoshBody(`<body xmlns='${NS.bosh}' rid='1'><message to='a@b'><body>hi</body><x xmlns='jabber:client'/></message></body>`, LIMITS);
    if (!bosh.ok) throw new Error('expected a body');
    expect(serializeElement(bosh.value.payload[0]!.element)).toBe('<message xmlns="jabber:client" to="a@b"><body>hi</body><x/></message>');
    expect(bosh.value.payload[0]!.uri).toBe(NS.client);
  });

  test('the xbosh attributes are read under any prefix', () => {
    for (const prefix of ['xmpp', 'x', 'ns2']) {
      const parsed = parseBoshBody(`<body xmlns='${NS.bosh}' rid='1' xmlns:${prefix}='${NS.xbosh}' ${prefix}:restart='true' ${prefix}:version='1.0'/>`, LIMITS);
      expect(parsed.ok && [parsed.value.restart, parsed.value.xmppVersion]).toEqual([true, '1.0']);
    }
  });
});
