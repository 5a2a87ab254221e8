/**
 * `salon/testing`: watching what the server routes, waiting for a stanza, and injecting faults,
 * from a consumer's test suite.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { startServer, type RunningServer } from 'salon';
import { delayDelivery, dropSession, tapStanzas, waitForStanza } from 'salon/testing';
import { login, xml, type Client } from './client.js';

let server: RunningServer;
let alice: Client;
let bob: Client;

beforeAll(async () => {
  server = await startServer({ tls: false, users: { alice: 'a', bob: 'b', carol: 'c' }, rosters: 'all' });
  [alice, bob] = await Promise.all([
    login({ port: server.c2s!.port, jid: 'alice@localhost', password: 'a', resource: 'desk' }),
    login({ port: server.c2s!.port, jid: 'bob@localhost', password: 'b', resource: 'phone' }),
  ]);
});
afterAll(async () => {
  await Promise.all([alice?.stop(), bob?.stop()]);
  await server?.stop();
});

const chat = (to: string, body: string) => xml('message', { to, type: 'chat' }, xml('body', {}, body));
const bodyIs = (body: string) => (el: { name: string; getChildText(name: string): string | null }) => el.name === 'message' && el.getChildText('body') === body;

describe('tapStanzas and waitForStanza', () => {
  test('a tap for a JID records the stanzas routed to it (all resources), with normalised addresses and a copy', async () => {
    const tap = tapStanzas(server, { jid: 'bob@localhost' });
    try {
      await alice.send(chat('carol@localhost', 'not for bob'));
      await alice.send(chat('Bob@LocalHost', 'hello bob'));
      const seen = await tap.waitFor((s) => s.name === 'message');
      expect(seen).toMatchObject({ from: 'alice@localhost/desk', to: 'bob@localhost', type: 'chat', host: 'localhost' });
      expect(seen.element.getChildText('body')).toBe('hello bob');
      expect(seen.xml).toContain('<body>hello bob</body>');
      expect(tap.filter((s) => s.element.getChildText('body') === 'not for bob')).toEqual([]);
    } finally {
      tap.stop();
    }
  });

  test('match "from", marks with count/since, and a timeout that names what was seen', async () => {
    const tap = tapStanzas(server, { jid: 'alice@localhost', match: 'from' });
    try {
      await alice.send(chat('bob@localhost', 'one'));
      await tap.waitFor((s) => s.element.getChildText('body') === 'one');
      const mark = tap.count;
      await alice.send(chat('bob@localhost', 'two'));
      const second = await tap.waitFor((s) => s.name === 'message', { since: mark });
      expect(second.element.getChildText('body')).toBe('two');
      await expect(tap.waitFor((s) => s.element.getChildText('body') === 'never', { timeoutMs: 50 })).rejects.toThrow(/no matching stanza within 50 ms/);
    } finally {
      tap.stop();
    }
  });

  test('waitForStanza resolves with the next matching stanza; a throwing predicate fails the wait, not the delivery', async () => {
    const next = waitForStanza(server, (s) => s.to === 'alice@localhost' && s.element.getChildText('body') === 'ping back');
    await bob.send(chat('alice@localhost', 'ping back'));
    expect((await next).from).toBe('bob@localhost/phone');
    const broken = waitForStanza(server, () => {
      throw new Error('predicate bug');
    }, { jid: 'alice@localhost' });
    const seen = alice.received.length;
    await bob.send(chat('alice@localhost', 'still delivered'));
    await expect(broken).rejects.toThrow('predicate bug');
    await alice.waitFor(bodyIs('still delivered'), 5000, seen);
  });
});

describe('delayDelivery', () => {
  test('holds stanzas to the JID for the delay, in order, without holding up the sender', async () => {
    const fault = delayDelivery(server, 'bob@localhost', 300);
    try {
      const seen = bob.received.length;
      const sent = performance.now();
      await alice.send(chat('bob@localhost', 'slow 1'));
      await alice.send(chat('bob@localhost', 'slow 2'));
      // Alice's own traffic is not held: the server answers her at once.
      await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
      expect(performance.now() - sent).toBeLessThan(300);
      await bob.waitFor(bodyIs('slow 2'), 5000, seen);
      expect(performance.now() - sent).toBeGreaterThanOrEqual(300);
      const bodies = bob.received.slice(seen).filter((el) => el.name === 'message').map((el) => el.getChildText('body'));
      expect(bodies).toEqual(['slow 1', 'slow 2']);
    } finally {
      fault.remove();
    }
  });

  test('a tap records a held stanza when it is delivered; remove() delivers what is held at once', async () => {
    const tap = tapStanzas(server, { jid: 'bob@localhost' });
    const fault = delayDelivery(server, 'bob@localhost', 60_000);
    try {
      const seen = bob.received.length;
      await alice.send(chat('bob@localhost', 'held'));
      // The server handles a client's stanzas in order: once the ping is answered, the message was routed (and held).
      await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
      expect(tap.filter((s) => s.name === 'message')).toEqual([]);
      const released = performance.now();
      fault.remove();
      await bob.waitFor(bodyIs('held'), 5000, seen);
      expect(performance.now() - released).toBeLessThan(1000);
      expect(tap.filter((s) => s.name === 'message').map((s) => s.element.getChildText('body'))).toEqual(['held']);
    } finally {
      fault.remove();
      tap.stop();
    }
  });
});

describe('dropSession', () => {
  test('cuts the connection without a closing stream; contacts see the user go offline', async () => {
    const before = alice.received.length;
    const carol = await login({ port: server.c2s!.port, jid: 'carol@localhost', password: 'c', resource: 'laptop' });
    const fromCarol = (el: { name: string; attrs: Record<string, unknown> }) => el.name === 'presence' && el.attrs.from === 'carol@localhost/laptop';
    await alice.waitFor(fromCarol, 5000, before);
    const seen = alice.received.length;
    expect(await dropSession(server, 'carol@localhost')).toBe(1);
    await carol.waitForStatus('disconnect');
    expect(carol.statuses).not.toContain('close');
    const gone = await alice.waitFor((el) => fromCarol(el) && el.attrs.type === 'unavailable', 5000, seen);
    expect(gone).toBeDefined();
    expect(await dropSession(server, 'carol@localhost/laptop')).toBe(0);
    await carol.stop();
  });
});

describe('faults and stop', () => {
  test('a server stopped while a delay holds stanzas stops at once', async () => {
    const other = await startServer({ tls: false, users: { dave: 'd', erin: 'e' } });
    const dave = await login({ port: other.c2s!.port, jid: 'dave@localhost', password: 'd' });
    delayDelivery(other, 'erin@localhost', 60_000);
    await dave.send(chat('erin@localhost', 'never delivered'));
    await dave.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'localhost' }, xml('ping', { xmlns: 'urn:xmpp:ping' })));
    const stopping = performance.now();
    await other.stop();
    expect(performance.now() - stopping).toBeLessThan(5_000);
    await dave.stop();
  });
});
