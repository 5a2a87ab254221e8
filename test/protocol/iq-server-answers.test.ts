/**
 * What the server answers on behalf of an account, and what it never answers: pings without `to`
 * or to a bare JID (RFC 6120 §10.3.3, RFC 6121 §8.5.2.1.3, XEP-0199), iq responses nobody asked
 * for (RFC 6120 §8.2.3), and resources PRECIS forbids (RFC 7622 §3.4, RFC 6120 §7.7.2.1).
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { rawLogin } from '../helpers/raw-login.js';
import { RawClient } from '../helpers/raw-client.js';

let server: TestServer;
let alice: RawClient;

beforeAll(async () => {
  server = await startTestServer();
  alice = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'desk');
});
afterAll(async () => {
  alice.close();
  await server.stop();
});

function errorCondition(el: Element): string | undefined {
  const error = el.getChild('error');
  const condition = error?.children.find((c): c is Element => typeof c !== 'string' && c.name !== 'text');
  return condition?.name;
}

const PING = "<ping xmlns='urn:xmpp:ping'/>";

describe('pings the server answers for the account', () => {
  test('a ping without `to` is answered by the server for the account (RFC 6120 §10.3.3)', async () => {
    alice.send(`<iq type='get' id='p-no-to'>${PING}</iq>`);
    const reply = await alice.waitFor((el) => el.attrs.id === 'p-no-to');
    expect(reply.attrs.type).toBe('result');
    expect(reply.attrs.to).toBe('alice@localhost/desk');
    // The reply comes from the account: no `from`, or the account's bare JID.
    expect([undefined, 'alice@localhost']).toContain(reply.attrs.from);
  });

  test("a ping to the user's own bare JID is answered from that bare JID", async () => {
    alice.send(`<iq type='get' id='p-own-bare' to='alice@localhost'>${PING}</iq>`);
    const reply = await alice.waitFor((el) => el.attrs.id === 'p-own-bare');
    expect(reply.attrs).toMatchObject({ type: 'result', from: 'alice@localhost', to: 'alice@localhost/desk' });
  });

  test("a ping to another existing account's bare JID is answered on its behalf (RFC 6121 §8.5.2.1.3)", async () => {
    alice.send(`<iq type='get' id='p-bob-bare' to='bob@localhost'>${PING}</iq>`);
    const reply = await alice.waitFor((el) => el.attrs.id === 'p-bob-bare');
    expect(reply.attrs).toMatchObject({ type: 'result', from: 'bob@localhost' });
  });

  test('a ping to an account that does not exist → service-unavailable (RFC 6121 §8.5.1)', async () => {
    alice.send(`<iq type='get' id='p-nobody' to='nobody@localhost'>${PING}</iq>`);
    const reply = await alice.waitFor((el) => el.attrs.id === 'p-nobody');
    expect(reply.attrs.type).toBe('error');
    expect(errorCondition(reply)).toBe('service-unavailable');
  });

  test('a ping with type set is not a ping: service-unavailable', async () => {
    alice.send(`<iq type='set' id='p-set'>${PING}</iq>`);
    const reply = await alice.waitFor((el) => el.attrs.id === 'p-set');
    expect(errorCondition(reply)).toBe('service-unavailable');
  });
});

describe('iq responses are never answered (RFC 6120 §8.2.3)', () => {
  const addresses: [string, string][] = [
    ['the server domain', " to='localhost'"],
    ['no to', ''],
    ['the own bare JID', " to='alice@localhost'"],
    ["another account's bare JID", " to='bob@localhost'"],
    ['an account that does not exist', " to='nobody@localhost'"],
    ['an offline full JID', " to='bob@localhost/gone'"],
    ['the MUC service', " to='conference.localhost'"],
    ['a room that does not exist', " to='nowhere@conference.localhost'"],
    ['an unknown domain', " to='remote.example'"],
  ];
  test.each(addresses)('a result or error iq to %s gets no reply', async (_name, to) => {
    const before = alice.received.length;
    const tag = `r${before}`;
    alice.send(`<iq type='result' id='${tag}-result'${to}/>`);
    alice.send(`<iq type='result' id='${tag}-payload'${to}>${PING}</iq>`);
    alice.send(`<iq type='error' id='${tag}-error'${to}><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>`);
    // A request sent after them is answered: the server has processed the three responses by then.
    alice.send(`<iq type='get' id='${tag}-after' to='localhost'>${PING}</iq>`);
    await alice.waitFor((el) => el.attrs.id === `${tag}-after`, 3000, before);
    const answered = alice.received.slice(before).filter((el) => String(el.attrs.id).startsWith(tag) && el.attrs.id !== `${tag}-after`);
    expect(answered.map(String)).toEqual([]);
  });

  test('a response without id or with a malformed `to` gets no reply either', async () => {
    const before = alice.received.length;
    alice.send("<iq type='result'/>");
    alice.send("<iq type='error'><error type='cancel'><item-not-found xmlns='urn:ietf:params:xml:ns:xmpp-stanzas'/></error></iq>");
    alice.send("<iq type='result' id='bad-to' to='a@b@c'/>");
    alice.send(`<iq type='get' id='bad-after' to='localhost'>${PING}</iq>`);
    await alice.waitFor((el) => el.attrs.id === 'bad-after', 3000, before);
    expect(alice.received.slice(before).filter((el) => el.attrs.id !== 'bad-after').map(String)).toEqual([]);
  });
});

describe('resources PRECIS forbids are refused at bind (RFC 7622 §3.4, RFC 6120 §7.7.2.1)', () => {
  const forbidden: [string, string][] = [
    ['a right-to-left override and a zero-width space', '\u202eevil\u200b'],
    ['a zero-width joiner outside its context', 'a\u200db'],
    ['a byte order mark', '\ufeffdesk'],
    ['a soft hyphen', 'de\u00adsk'],
    ['a left-to-right isolate', 'desk\u2066'],
    ['a line separator', 'desk\u2028'],
    ['a private-use character', 'desk\ue000'],
    ['a noncharacter', 'desk\ufdd0'],
    ['a variation selector', 'desk\ufe0f'],
    ['a C1 control', 'desk\u0085'],
  ];
  test.each(forbidden)('%s → bad-request, and nothing is bound', async (_name, resource) => {
    const client = await rawLoginWithoutBind(server.port);
    const seen = client.received.length;
    client.send(`<iq type='set' id='bind-bad'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
    const reply = await client.waitFor((el) => el.attrs.id === 'bind-bad', 3000, seen);
    expect(reply.attrs.type).toBe('error');
    expect(errorCondition(reply)).toBe('bad-request');
    // The stream stays usable: a valid resource binds afterwards.
    client.send("<iq type='set' id='bind-good'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>good</resource></bind></iq>");
    const good = await client.waitFor((el) => el.attrs.id === 'bind-good', 3000, seen);
    expect(good.getChild('bind')?.getChildText('jid')).toBe('bob@localhost/good');
    client.close();
  });

  test('letters of any script, symbols, spaces, an emoji sequence and a joiner after a virama are accepted', async () => {
    // U+0915 U+094D U+200D: Devanagari KA, VIRAMA, ZERO WIDTH JOINER (RFC 5892 Appendix A.2).
    const resource = 'Büro 日本 ☕ \u{1F469}\u200d\u{1F4BB} क\u094d\u200d';
    const client = await rawLoginWithoutBind(server.port);
    const seen = client.received.length;
    client.send(`<iq type='set' id='bind-ok'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>${resource}</resource></bind></iq>`);
    const reply = await client.waitFor((el) => el.attrs.id === 'bind-ok', 3000, seen);
    expect(reply.getChild('bind')?.getChildText('jid')).toBe(`bob@localhost/${resource}`);
    client.close();
  });

  test('a non-ASCII space is mapped to an ASCII space (RFC 8265 §4.2.1)', async () => {
    const client = await rawLoginWithoutBind(server.port);
    const seen = client.received.length;
    client.send("<iq type='set' id='bind-space'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>my\u00a0desk</resource></bind></iq>");
    const reply = await client.waitFor((el) => el.attrs.id === 'bind-space', 3000, seen);
    expect(reply.getChild('bind')?.getChildText('jid')).toBe('bob@localhost/my desk');
    client.close();
  });

  test('a stanza addressed to a full JID with a forbidden resource → jid-malformed', async () => {
    alice.send("<message type='chat' id='m-bidi' to='bob@localhost/\u202eevil'><body>x</body></message>");
    const reply = await alice.waitFor((el) => el.attrs.id === 'm-bidi');
    expect(errorCondition(reply)).toBe('jid-malformed');
  });
});

/** Logs bob in up to the bind step (STARTTLS, SASL PLAIN, stream restart). */
async function rawLoginWithoutBind(port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features');
  client.send("<starttls xmlns='urn:ietf:params:xml:ns:xmpp-tls'/>");
  await client.waitFor((el) => el.name === 'proceed');
  await client.startTls();
  let seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  client.send(`<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>${Buffer.from('\0bob\0bob-secret').toString('base64')}</auth>`);
  await client.waitFor((el) => el.name === 'success', 3000, seen);
  client.restartParser();
  seen = client.received.length;
  client.openStream('localhost');
  await client.waitFor((el) => el.name === 'stream:features', 3000, seen);
  return client;
}
