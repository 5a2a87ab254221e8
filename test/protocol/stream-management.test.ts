/** XEP-0198 stream management over real sockets, byte by byte: enable, acks, resumption, failures. */
import { describe, expect, test } from '@jest/globals';
import type { Element } from 'ltx';
import { dropSession } from '../../server/testing/index.js';
import type { RawClient } from '../helpers/raw-client.js';
import { login, sync } from '../helpers/roster-raw.js';
import { authenticate, bind, enable, messageBodies, resume, SM, smLogin, stanzas, untilMessages } from '../helpers/sm-raw.js';
import { rawServerPerTest } from '../helpers/server-per-test.js';

const fixture = rawServerPerTest();

function track<T extends RawClient>(client: T): T {
  return fixture.track(client);
}

function chat(to: string, body: string): string {
  return `<message to='${to}' type='chat' id='${body}'><body>${body}</body></message>`;
}

function smElements(client: RawClient, name: string, from = 0): Element[] {
  return client.received.slice(from).filter((el) => el.name === name && el.attrs.xmlns === SM);
}

describe('enabling and acknowledging', () => {
  test('<sm/> is offered after authentication only; enable answers with an id, resume and the shipped default max of 600 s', async () => {
    const alice = track(await authenticate(fixture.server.port, 'alice'));
    const offered = alice.received.filter((el) => el.name === 'stream:features');
    expect(offered[0]!.getChild('sm', SM)).toBeUndefined();
    expect(offered.at(-1)!.getChild('sm', SM)).toBeDefined();
    await bind(alice, 'phone');
    const enabled = await enable(alice);
    expect(enabled.name).toBe('enabled');
    expect(enabled.attrs.resume).toBe('true');
    expect(enabled.attrs.max).toBe('600');
    expect(String(enabled.attrs.id).length).toBeGreaterThanOrEqual(16);
    // Enabling twice is refused (XEP-0198 §3).
    const again = await enable(alice);
    expect(again.name).toBe('failed');
    expect(again.getChild('unexpected-request')).toBeDefined();
  });

  test("a client's shorter max is honoured; enable before bind fails", async () => {
    const alice = track(await authenticate(fixture.server.port, 'alice'));
    const early = await enable(alice);
    expect(early.name).toBe('failed');
    await bind(alice, 'phone');
    const enabled = await enable(alice, "resume='1' max='5'");
    expect(enabled.attrs.max).toBe('5');
  });

  test('<r/> is answered with the count of stanzas handled; the server asks for acks and accepts them', async () => {
    const { client: alice } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(alice);
    const bob = track(await login(fixture.server.port, 'bob', 'desk'));
    await sync(alice);
    alice.send("<inactive xmlns='urn:xmpp:csi:0'/><active xmlns='urn:xmpp:csi:0'/>"); // not stanzas: not counted
    await sync(alice);
    let seen = alice.received.length;
    alice.send(`<r xmlns='${SM}'/>`);
    const answer = await alice.waitFor((el) => el.name === 'a' && el.attrs.xmlns === SM, 3000, seen);
    expect(answer.attrs.h).toBe('2'); // the two pings
    // The server asked after the first pong and waits for that answer before asking again.
    expect(smElements(alice, 'r').length).toBe(1);
    alice.send(`<a xmlns='${SM}' h='2'/>`);

    seen = alice.received.length;
    bob.send(chat('alice@localhost/phone', 'one'));
    bob.send(chat('alice@localhost/phone', 'two'));
    await untilMessages(alice, 2, seen);
    const request = await alice.waitFor((el) => el.name === 'r' && el.attrs.xmlns === SM, 3000, seen);
    expect(request).toBeDefined();
    // The server has written 2 pongs and 2 messages: 4 stanzas.
    alice.send(`<a xmlns='${SM}' h='4'/>`);
    await sync(alice);
    expect(alice.closed).toBe(false);
  });

  test("an h above what the server sent is a stream error with <handled-count-too-high/> (XEP-0198 §4)", async () => {
    const { client: alice } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(alice);
    await sync(alice); // one pong sent
    alice.send(`<a xmlns='${SM}' h='7'/>`);
    const error = await alice.waitFor((el) => el.name === 'stream:error');
    expect(error.getChild('undefined-condition', 'urn:ietf:params:xml:ns:xmpp-streams')).toBeDefined();
    const tooHigh = error.getChild('handled-count-too-high', SM);
    expect(tooHigh?.attrs).toMatchObject({ h: '7', 'send-count': '1' });
    await alice.waitForClose();
  });

  test('an h above by no more than the stanzas written before <enabled/> is taken once (xmpp.js counts one of those), then counts line up', async () => {
    const alice = await authenticate(fixture.server.port, 'alice');
    track(alice);
    await bind(alice, 'phone'); // the bind result: one stanza before <enabled/>
    let seen = alice.received.length;
    alice.send('<presence/>');
    await alice.waitFor((el) => el.name === 'presence', 3000, seen); // and the self-presence: two
    expect((await enable(alice)).name).toBe('enabled');
    await sync(alice); // one pong: the server's count is 1
    // The client counts the self-presence too, as xmpp.js does when it arrives just before <enabled/>.
    alice.send(`<a xmlns='${SM}' h='2'/>`);
    await sync(alice); // a second pong: the server's count is now 3
    seen = alice.received.length;
    alice.send(`<r xmlns='${SM}'/>`);
    alice.send(`<a xmlns='${SM}' h='3'/>`);
    await alice.waitFor((el) => el.name === 'a' && el.attrs.xmlns === SM, 3000, seen);
    await sync(alice); // a third pong: 4 (the server's own <a/> is not a stanza)
    expect(alice.closed).toBe(false);
    // Taken once only: a later count above what was sent is the usual error.
    alice.send(`<a xmlns='${SM}' h='9'/>`);
    const error = await alice.waitFor((el) => el.name === 'stream:error');
    expect(error.getChild('handled-count-too-high', SM)?.attrs).toMatchObject({ h: '9', 'send-count': '4' });
  });

  test('an h behind the last acknowledged count is an error too (counts are modulo 2^32, so 4294967295 is one behind 0)', async () => {
    const { client: alice } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(alice);
    await sync(alice);
    alice.send(`<a xmlns='${SM}' h='4294967295'/>`);
    const error = await alice.waitFor((el) => el.name === 'stream:error');
    // 2^32 - 1 is "one behind 0": an h going backwards, not a count too high.
    expect(error.getChild('handled-count-too-high', SM)).toBeUndefined();
    expect(error.getChild('undefined-condition', 'urn:ietf:params:xml:ns:xmpp-streams')).toBeDefined();
  });
});

describe('resumption', () => {
  test('after a cut connection every unacknowledged stanza comes again, once and in order', async () => {
    const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(phone);
    const bob = track(await login(fixture.server.port, 'bob', 'desk'));
    for (const body of ['m1', 'm2', 'm3']) bob.send(chat('alice@localhost/phone', body));
    await untilMessages(phone, 3);
    phone.send(`<a xmlns='${SM}' h='1'/>`); // only m1 acknowledged
    await sync(phone); // the ping is stanza 4 out, and the ack is processed before it
    expect(await dropSession(fixture.server, 'alice@localhost/phone', { resumable: true })).toBe(1);
    for (const body of ['m4', 'm5']) bob.send(chat('alice@localhost/phone', body));
    await sync(bob);

    const again = track(await authenticate(fixture.server.port, 'alice'));
    const start = again.received.length;
    const resumed = await resume(again, id, 1);
    expect(resumed.name).toBe('resumed');
    expect(resumed.attrs.previd).toBe(id);
    expect(resumed.attrs.h).toBe('1'); // the ping was the one stanza the server handled
    const bodies = await untilMessages(again, 4, start);
    await sync(again);
    expect(messageBodies(again, start)).toEqual(['m2', 'm3', 'm4', 'm5']);
    expect(bodies).toEqual(['m2', 'm3', 'm4', 'm5']);
    // The ping's answer (unacknowledged) came again too, exactly once.
    expect(stanzas(again, start).filter((el) => el.name === 'iq' && el.attrs.type === 'result').length).toBe(2);
    // The resumed session is the bound one: new messages reach it.
    bob.send(chat('alice@localhost/phone', 'm6'));
    await untilMessages(again, 5, start);
  });

  test('resuming while the old connection still looks alive takes the session over and closes the old one', async () => {
    const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(phone);
    const bob = track(await login(fixture.server.port, 'bob', 'desk'));
    bob.send(chat('alice@localhost/phone', 'before'));
    await untilMessages(phone, 1);
    const again = track(await authenticate(fixture.server.port, 'alice'));
    const start = again.received.length;
    expect((await resume(again, id, 0)).name).toBe('resumed');
    await untilMessages(again, 1, start);
    await phone.waitForClose();
    expect(phone.received.some((el) => el.name === 'stream:error')).toBe(false);
    bob.send(chat('alice@localhost/phone', 'after'));
    expect(await untilMessages(again, 2, start)).toEqual(['before', 'after']);
  });

  test('the testing API dropSession ends even a resumable session unless asked to let it hibernate', async () => {
    const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(phone);
    expect(await dropSession(fixture.server, 'alice@localhost/phone')).toBe(1);
    const again = track(await authenticate(fixture.server.port, 'alice'));
    const failed = await resume(again, id, 0);
    expect(failed.name).toBe('failed');
    expect(failed.getChild('item-not-found')).toBeDefined();
  });

  test("an unknown id, another account's id, and a resume after binding all fail", async () => {
    const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(phone);
    const bob = track(await authenticate(fixture.server.port, 'bob'));
    const stolen = await resume(bob, id, 0);
    expect(stolen.name).toBe('failed');
    expect(stolen.getChild('item-not-found')).toBeDefined();
    const unknown = await resume(bob, 'no-such-id', 0);
    expect(unknown.getChild('item-not-found')).toBeDefined();
    await bind(bob, 'desk');
    const bound = await resume(bob, id, 0);
    expect(bound.getChild('unexpected-request')).toBeDefined();
    // alice's session was left alone.
    await sync(phone);
  });

  test('a session that ended can not be resumed; failed carries the h it had reached (XEP-0198 §5)', async () => {
    const { client: phone, id } = await smLogin(fixture.server.port, 'alice', 'phone');
    track(phone);
    await sync(phone);
    await sync(phone);
    phone.send('</stream:stream>');
    await phone.waitForClose();
    const again = track(await authenticate(fixture.server.port, 'alice'));
    const failed = await resume(again, id, 0);
    expect(failed.name).toBe('failed');
    expect(failed.getChild('item-not-found')).toBeDefined();
    expect(failed.attrs.h).toBe('2');
    // The closing stream said so too: the last <a/> before </stream:stream>.
    expect(smElements(phone, 'a').at(-1)?.attrs.h).toBe('2');
  });
});
