/**
 * Bad input at the stream level (RFC 6120 §4.9.3, §11): each case gets its exact stream error and
 * the connection closes, while an already connected client keeps being served.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { RawClient } from '../helpers/raw-client.js';
import { rawLogin } from '../helpers/raw-login.js';

let server: TestServer;
let bob: RawClient;
let alice: RawClient;
let messageCount = 0;

beforeAll(async () => {
  server = await startTestServer({ globals: { c2s_stanza_size_limit: 20_000 } });
  bob = await rawLogin(server.port, 'bob@localhost', 'bob-secret', 'watcher');
  alice = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'sender');
});
afterAll(async () => {
  bob.close();
  alice.close();
  await server.stop();
});

/** After each bad client, bob must still get alice's message. */
async function othersStillServed(): Promise<void> {
  const id = `still-${++messageCount}`;
  alice.send(`<message to='bob@localhost/watcher' id='${id}' type='chat'><body>ok</body></message>`);
  const got = await bob.waitFor((el) => el.name === 'message' && el.attrs.id === id);
  expect(got.attrs.from).toBe('alice@localhost/sender');
}

async function expectStreamError(input: string | Buffer | (string | Buffer)[], condition: string, open = true): Promise<void> {
  const client = await RawClient.connect(server.port);
  if (open) {
    client.openStream();
    await client.waitFor((el) => el.name === 'stream:features');
  }
  for (const part of Array.isArray(input) ? input : [input]) client.send(part);
  expect(await client.streamError()).toBe(condition);
  await client.waitForClose();
  await othersStillServed();
}

describe('stream errors', () => {
  test('malformed XML → not-well-formed', () => expectStreamError('<message><body>x</bodyx></message>', 'not-well-formed'));
  test('mismatched root close → not-well-formed', () => expectStreamError('</stream:features>', 'not-well-formed'));
  test('DOCTYPE → restricted-xml', () =>
    expectStreamError("<?xml version='1.0'?><!DOCTYPE foo [<!ENTITY x 'y'>]><stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>", 'restricted-xml', false));
  test('entity reference → restricted-xml', () => expectStreamError('<message><body>&xxe;</body></message>', 'restricted-xml'));
  test('processing instruction → restricted-xml', () => expectStreamError('<?evil stuff?>', 'restricted-xml'));
  test('comment → restricted-xml', () => expectStreamError('<!-- hello -->', 'restricted-xml'));
  test('wrong stream namespace → invalid-namespace', () =>
    expectStreamError("<stream:stream xmlns='jabber:client' xmlns:stream='urn:wrong' to='localhost' version='1.0'>", 'invalid-namespace', false));
  test('wrong content namespace → invalid-namespace', () =>
    expectStreamError("<stream:stream xmlns='jabber:server' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='1.0'>", 'invalid-namespace', false));
  test('wrong version → unsupported-version', () =>
    expectStreamError("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost' version='2.0'>", 'unsupported-version', false));
  test('missing version → unsupported-version', () =>
    expectStreamError("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='localhost'>", 'unsupported-version', false));
  test('unknown host → host-unknown', () =>
    expectStreamError("<stream:stream xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams' to='nowhere.example' version='1.0'>", 'host-unknown', false));
  test('stanza over the unauthenticated limit → policy-violation', () =>
    expectStreamError(`<message><body>${'a'.repeat(10_001)}</body></message>`, 'policy-violation'));
  test('an endless stanza is cut off at the limit → policy-violation', () =>
    expectStreamError(['<message><body>', ...Array.from({ length: 20 }, () => 'b'.repeat(1000))], 'policy-violation'));
  test('nesting too deep → policy-violation', () => expectStreamError('<a>'.repeat(200), 'policy-violation'));
  test('text at stream level → bad-format', () => expectStreamError('hello there', 'bad-format'));
  test('unknown top-level element before auth → not-authorized', () => expectStreamError('<foo/>', 'not-authorized'));
});

describe('after authentication', () => {
  test('the stanza limit is c2s_stanza_size_limit and over it → policy-violation', async () => {
    const carol = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'big');
    carol.send(`<message to='bob@localhost/watcher' id='big-ok' type='chat'><body>${'x'.repeat(15_000)}</body></message>`);
    const got = await bob.waitFor((el) => el.attrs.id === 'big-ok');
    expect(got.getChildText('body')).toHaveLength(15_000);
    carol.send(`<message to='bob@localhost/watcher' type='chat'><body>${'x'.repeat(21_000)}</body></message>`);
    expect(await carol.streamError()).toBe('policy-violation');
    await othersStillServed();
  });

  test('an unknown top-level element → unsupported-stanza-type', async () => {
    const carol = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'odd');
    carol.send("<foo xmlns='urn:example'/>");
    expect(await carol.streamError()).toBe('unsupported-stanza-type');
    await othersStillServed();
  });

  test('a spoofed from → invalid-from', async () => {
    const carol = await rawLogin(server.port, 'alice@localhost', 'alice-secret', 'spoof');
    carol.send("<message from='bob@localhost/x' to='bob@localhost/watcher'><body>hi</body></message>");
    expect(await carol.streamError()).toBe('invalid-from');
    await othersStillServed();
  });

  test('multibyte characters split across TCP chunks arrive intact', async () => {
    const text = 'héllo wörld 日本語 🎉 ✓';
    const bytes = Buffer.from(`<message to='bob@localhost/watcher' id='mb' type='chat'><body>${text}</body></message>`);
    for (let i = 0; i < bytes.length; i++) {
      alice.send(bytes.subarray(i, i + 1));
      await new Promise((resolve) => setImmediate(resolve));
    }
    const got = await bob.waitFor((el) => el.attrs.id === 'mb');
    expect(got.getChildText('body')).toBe(text);
  });

  test('whitespace keepalives are ignored', async () => {
    alice.send('   \n  ');
    await othersStillServed();
  });
});
