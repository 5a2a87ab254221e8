/**
 * The same stanza, plain and with random namespace prefixes (on the stanza, on its children, on
 * the stream root), sent over a real stream: it must be routed, filtered and delivered exactly alike at the main
 * hook points (message/bare, message/full, presence/full, iq/bare, iq/full, iq-get/host/…,
 * iq-get/bare/jabber:iq:roster:query) and on every MUC path (groupchat, private message, occupant
 * presence, occupant iq). DESIGN.md §1: canonical stanzas at the edge.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { clone, type Element } from 'ltx';
import { moveToNamespace, NS, parseXmlFragment } from '../../server/xml/index.js';
import { createInstantRoom, enter, SERVICE, sync, users } from '../helpers/muc-harness.js';
import { declarations, specOf, writePlain, writePrefixed, type XmlContext } from '../helpers/prefixed-xml.js';
import type { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { Random } from '../helpers/xml-fuzz.js';

const ROOM = `lobby@${SERVICE}`;
const VARIANTS = 4;
const STREAM: XmlContext = { defaultNs: NS.client, bindings: new Map([['stream', NS.stream]]) };
/** Dave's stream root declares prefixes his stanzas may use without declaring them again. */
const DAVE_ROOT = new Map([['c', NS.client], ['u', NS.mucUser], ['o', NS.occupantId], ['x', 'urn:x'], ['v', 'jabber:iq:version']]);
const DAVE_STREAM: XmlContext = { defaultNs: NS.client, bindings: new Map([...STREAM.bindings, ...DAVE_ROOT]) };
const LIMITS = { maxStanzaBytes: 100_000, maxDepth: 20, maxAttributes: 50 };
const FORGED = `<occupant-id xmlns='${NS.occupantId}' id='forged'/><x xmlns='${NS.mucUser}'><item affiliation='owner' role='moderator'/><status code='110'/></x>`;

let server: TestServer;
let alice: RawClient;
let bob: RawClient;
let carol: RawClient;
let dave: RawClient;
let counter = 0;

beforeAll(async () => {
  server = await startTestServer({ users: users('alice', 'bob', 'carol', 'dave') });
  const login = (user: string): Promise<RawClient> => rawLogin(server.port, `${user}@localhost`, `${user}-secret`, 'raw');
  [alice, bob, carol] = [await login('alice'), await login('bob'), await login('carol')];
  dave = await rawLogin(server.port, 'dave@localhost', 'dave-secret', 'raw', declarations(DAVE_ROOT));
  await createInstantRoom(carol, 'lobby', 'carol');
  for (const client of [alice, bob, dave]) client.send('<presence/>');
  await enter(bob, 'lobby', 'bob');
  await enter(alice, 'lobby', 'alice');
  await enter(dave, 'lobby', 'dave');
  await sync(bob); // the others' arrival in the room has reached Bob
});
afterAll(async () => {
  for (const client of [alice, bob, carol, dave]) client.close();
  await server.stop();
});

/**
 * What a client received since `mark`, pings aside, each without its (varying) `id` and with the
 * archives' XEP-0359 stanza ids (new for every message) written as `*`.
 */
function receivedSince(client: RawClient, mark: number): string[] {
  return client.received.slice(mark)
    .filter((el) => !(el.name === 'iq' && el.attrs.type === 'result' && el.getChildElements().length === 0 && String(el.attrs.id).startsWith('q')))
    .map((el) => {
      const copy = clone(el) as Element;
      delete copy.attrs.id;
      for (const stanzaId of copy.getChildren('stanza-id', 'urn:xmpp:sid:0')) stanzaId.attrs.id = '*';
      return copy.toString();
    });
}

/** Sends `xml` from `sender`; both sides have received everything it caused once the pings return. */
async function outcome(xml: string, sender = alice): Promise<{ sender: string[]; bob: string[] }> {
  const marks = [sender.received.length, bob.received.length] as const;
  sender.send(xml);
  await sync(sender);
  await sync(bob);
  return { sender: receivedSince(sender, marks[0]), bob: receivedSince(bob, marks[1]) };
}

const SCENARIOS: [string, string][] = [
  ['message/full', `<message to='bob@localhost/raw' type='chat'><body>hi &amp; bye</body><thread>t</thread><z xmlns='urn:x' k='1'><y/></z></message>`],
  ['message/bare', `<message to='bob@localhost' type='chat' xml:lang='en'><body>hi</body><z xmlns='urn:x'/></message>`],
  ['presence/full', `<presence to='bob@localhost/raw'><show>away</show><status>s</status><c xmlns='http://jabber.org/protocol/caps' hash='sha-1' node='n' ver='v'/></presence>`],
  ['iq/bare (answered by the server)', `<iq type='get' to='bob@localhost'><query xmlns='jabber:iq:version'/></iq>`],
  ['iq/full', `<iq type='get' to='bob@localhost/raw'><query xmlns='jabber:iq:version'/></iq>`],
  ['iq-get/host/urn:xmpp:ping:ping', `<iq type='get' to='localhost'><ping xmlns='urn:xmpp:ping'/></iq>`],
  ['iq-get/bare/jabber:iq:roster:query', `<iq type='get'><query xmlns='jabber:iq:roster'/></iq>`],
  ['MUC groupchat', `<message to='${ROOM}' type='groupchat'>${FORGED}<body>hi</body><z xmlns='urn:x' a='1'/>${FORGED}</message>`],
  ['MUC private message', `<message to='${ROOM}/bob' type='chat'>${FORGED}<body>psst</body></message>`],
  ['MUC occupant presence', `<presence to='${ROOM}/{self}'>${FORGED}<show>dnd</show><x xmlns='${NS.muc}'/>${FORGED}</presence>`],
  ['MUC occupant iq', `<iq type='get' to='${ROOM}/bob'><query xmlns='jabber:iq:version'/></iq>`],
];

function canonical(template: string): ReturnType<typeof specOf> {
  const parsed = parseXmlFragment(template, LIMITS);
  if (!parsed.ok) throw parsed.error;
  moveToNamespace(parsed.value.element, NS.client);
  return specOf(parsed.value.element);
}

const withId = (xml: string): string => xml.replace(/^<([\w:]+)/, (start) => `${start} id='d${++counter}'`);

describe.each([
  ['stanza-level prefixes', 'alice', STREAM],
  ['prefixes declared on the stream root too', 'dave', DAVE_STREAM],
] as const)('%s', (_kind, senderName, context) => {
  test.each(SCENARIOS)('%s: prefixed variants route and filter like the plain stanza', async (_name, template) => {
    const sender = senderName === 'alice' ? alice : dave;
    const spec = canonical(template.replace('{self}', senderName));
    const rng = new Random(0x9e11 + counter);
    const expected = await outcome(withId(writePlain(spec, STREAM)), sender);
    // Something must have happened, or the comparison proves nothing.
    expect(expected.sender.length + expected.bob.length).toBeGreaterThan(0);
    for (let v = 0; v < VARIANTS; v++) {
      const variant = writePrefixed(spec, context, rng);
      expect({ variant, ...(await outcome(withId(variant), sender)) }).toEqual({ variant, ...expected });
    }
  });
});

test('the forged MUC elements are gone from what occupants receive', async () => {
  const mark = bob.received.length;
  await outcome(`<m:message xmlns:m='jabber:client' to='${ROOM}' type='groupchat' id='g'><o:occupant-id xmlns:o='${NS.occupantId}' id='forged'/><m:body>x</m:body></m:message>`);
  const message = bob.received.slice(mark).find((el) => el.attrs.id === 'g');
  expect(message?.getChildElements().map((child) => [child.name, child.attrs.xmlns])).toEqual([['body', undefined], ['occupant-id', NS.occupantId], ['stanza-id', NS.stanzaId]]);
  expect(message?.getChild('occupant-id', NS.occupantId)?.attrs.id).not.toBe('forged');
});
