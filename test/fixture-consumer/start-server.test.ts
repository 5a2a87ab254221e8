/**
 * Salon as a test fixture, used only through the package's public API (`salon`), as a bot's or
 * backend's test suite would: one call, real listeners, seeded users, rooms and rosters.
 */
import { connect as connectTls } from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { firstWebSocketFrame, startBoshSession } from './web-probes.js';
import { parseJid, startServer, type RunningServer } from 'salon';
import { login, xml, type Client } from './client.js';

const MUC = 'http://jabber.org/protocol/muc';

describe('a fixture without TLS, seeded', () => {
  let server: RunningServer;
  let alice: Client;
  let bob: Client;

  beforeAll(async () => {
    server = await startServer({
      tls: false,
      users: { alice: 'alice-pw', 'bob@localhost': 'bob-pw' },
      rooms: ['lobby', { name: 'club', config: { membersonly: true }, affiliations: { alice: 'owner' }, subject: 'Members only' }],
      rosters: [['alice', 'bob']],
    });
    alice = await login({ port: server.c2s!.port, jid: server.user('alice').jid, password: 'alice-pw' });
  });
  afterAll(async () => {
    await Promise.all([alice?.stop(), bob?.stop()]);
    await server?.stop();
  });

  test('describes itself: loopback listeners on ephemeral ports, no TLS, the seeded users and rooms', () => {
    expect(server.domain).toBe('localhost');
    expect(server.mucDomain).toBe('conference.localhost');
    expect(server.c2s).toEqual({ host: '127.0.0.1', port: expect.any(Number) });
    expect(server.c2s!.port).toBeGreaterThan(0);
    expect(server.directTls).toBeUndefined();
    expect(server.certificate).toBeUndefined();
    expect(server.httpsUrl).toBeUndefined();
    expect(server.httpUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(server.users.map((u) => u.jid)).toEqual(['alice@localhost', 'bob@localhost']);
    expect(server.user('bob@localhost')).toEqual({ jid: 'bob@localhost', username: 'bob', domain: 'localhost', password: 'bob-pw' });
    expect(() => server.user('carol')).toThrow(/no seeded user "carol"/);
    expect(server.rooms).toEqual(['lobby@conference.localhost', 'club@conference.localhost']);
  });

  test('the handle: the MUC service, the roster service and storage readiness, and no core', async () => {
    const muc = server.muc();
    expect(muc.domain).toBe('conference.localhost');
    expect(server.muc('conference.localhost')).toBe(muc);
    expect(muc.rooms().map((room) => room.jid.toString()).sort()).toEqual(['club@conference.localhost', 'lobby@conference.localhost']);
    const club = muc.room('club@conference.localhost');
    expect(club?.subject).toBe('Members only');
    expect(club?.affiliations().map((entry) => [entry.jid.toString(), entry.affiliation])).toEqual([['alice@localhost', 'owner']]);
    expect(() => server.muc('localhost')).toThrow(RangeError);
    const alicesJid = parseJid(server.user('alice').jid);
    if (!alicesJid.ok) throw new Error(alicesJid.error);
    const roster = await server.rosters().load(alicesJid.value);
    expect(roster.ok && roster.value.items.get('bob@localhost')?.subscription).toBe('both');
    expect(() => server.rosters('conference.localhost')).toThrow(RangeError);
    expect(await server.storage.ready()).toEqual({ ready: true });
    expect(Object.keys(server)).not.toContain('core');
  });

  test('a seeded user logs in; a wrong password is refused', async () => {
    expect(alice.jid).toBe('alice@localhost/test');
    await expect(login({ port: server.c2s!.port, jid: 'alice@localhost', password: 'wrong' })).rejects.toThrow();
  });

  test('seeded rosters: each has the other with subscription both, and sees their presence', async () => {
    const roster = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    const items = roster.getChild('query')?.getChildren('item').map((item) => item.attrs);
    expect(items).toEqual([{ jid: 'bob@localhost', subscription: 'both' }]);
    const seen = alice.received.length;
    bob = await login({ port: server.c2s!.port, jid: 'bob@localhost', password: 'bob-pw', resource: 'phone' });
    const presence = await alice.waitFor((el) => el.name === 'presence' && el.attrs.from === 'bob@localhost/phone', 5000, seen);
    expect(presence.attrs.type).toBeUndefined();
  });

  test('seeded rooms: the subject on entry, members-only enforced, the owner affiliation kept', async () => {
    const seen = alice.received.length;
    await alice.send(xml('presence', { to: 'club@conference.localhost/Alice' }, xml('x', { xmlns: MUC })));
    const subject = await alice.waitFor((el) => el.name === 'message' && el.getChild('subject') !== undefined, 5000, seen);
    expect(subject.getChildText('subject')).toBe('Members only');
    const self = alice.received.slice(seen).find((el) => el.name === 'presence' && el.attrs.from === 'club@conference.localhost/Alice');
    expect(self?.getChild('x', `${MUC}#user`)?.getChild('item')?.attrs.affiliation).toBe('owner');
    const bobSeen = bob.received.length;
    await bob.send(xml('presence', { to: 'club@conference.localhost/Bob' }, xml('x', { xmlns: MUC })));
    const refusal = await bob.waitFor((el) => el.name === 'presence' && el.attrs.type === 'error', 5000, bobSeen);
    expect(refusal.getChild('error')?.getChild('registration-required')).toBeDefined();
  });

  test('the WebSocket URL speaks RFC 7395 and the BOSH URL XEP-0206', async () => {
    expect(server.websocketUrl).toBe(`${server.httpUrl!.replace('http', 'ws')}/xmpp-websocket`);
    const first = await firstWebSocketFrame(server.websocketUrl!);
    expect(first).toMatch(/^<open [^>]*xmlns=.urn:ietf:params:xml:ns:xmpp-framing./);
    expect(server.boshUrl).toBe(`${server.httpUrl}/http-bind`);
    const response = await startBoshSession(server.boshUrl!);
    expect(response.status).toBe(200);
    expect(response.body).toMatch(/<body [^>]*sid=/);
  });
});

describe('a fixture with TLS (the default)', () => {
  test('Direct TLS and HTTPS listen with the returned certificate, which a client can trust', async () => {
    const server = await startServer({ users: { alice: 'pw' } });
    try {
      expect(server.directTls?.port).toBeGreaterThan(0);
      expect(server.httpsUrl).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const header = await new Promise<string>((resolve, reject) => {
        const socket = connectTls({ host: '127.0.0.1', port: server.directTls!.port, servername: 'localhost', ca: server.certificate! }, () => {
          socket.write("<?xml version='1.0'?><stream:stream to='localhost' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
        });
        socket.once('error', reject);
        socket.once('data', (data) => {
          socket.destroy();
          resolve(data.toString('utf8'));
        });
      });
      expect(header).toContain("from='localhost'");
    } finally {
      await server.stop();
    }
  });
});

describe('several fixtures side by side', () => {
  test('three servers with their own domains, ports and users start together and stop independently', async () => {
    const servers = await Promise.all(['one.test', 'two.test', 'three.test'].map((domain) => startServer({ domain, tls: false, users: { alice: domain } })));
    try {
      expect(new Set(servers.map((s) => s.c2s!.port)).size).toBe(3);
      expect(servers.map((s) => s.mucDomain)).toEqual(['conference.one.test', 'conference.two.test', 'conference.three.test']);
      const [one, two] = servers as [RunningServer, RunningServer, RunningServer];
      const client = await login({ port: one.c2s!.port, jid: 'alice@one.test', password: 'one.test' });
      await client.stop();
      await expect(login({ port: two.c2s!.port, jid: 'alice@one.test', password: 'one.test' })).rejects.toThrow();
      await one.stop();
      const still = await login({ port: two.c2s!.port, jid: 'alice@two.test', password: 'two.test' });
      await still.stop();
    } finally {
      await Promise.all(servers.map((s) => s.stop()));
    }
  });
});

describe('plugins and mistakes', () => {
  test('plugins add options per host: a disabled module takes its URL away', async () => {
    const server = await startServer({ tls: false, plugins: { host: { modules_disabled: ['bosh'] } } });
    try {
      expect(server.boshUrl).toBeUndefined();
      expect(server.websocketUrl).toBeDefined();
    } finally {
      await server.stop();
    }
  });

  test('an unknown option fails start-up with the option named; so does an unknown plugin host', async () => {
    await expect(startServer({ plugins: { muc: { muc_room_locking: 'yes' } } })).rejects.toThrow(/muc_room_locking/);
    await expect(startServer({ plugins: { global: { c2s_require_encyption: false } } })).rejects.toThrow(/did you mean "c2s_require_encryption"/);
    await expect(startServer({ plugins: { 'elsewhere.test': {} } })).rejects.toThrow(/"elsewhere.test" is not/);
    await expect(startServer({ users: { 'eve@elsewhere.test': 'pw' } })).rejects.toThrow(/elsewhere.test is not a VirtualHost/);
  });

  test('a room the MUC service refuses fails start-up after modules loaded, and the server is stopped', async () => {
    await expect(startServer({ tls: false, rooms: [{ name: 'crowd', config: { maxusers: 0 } }] }))
      .rejects.toThrow('fixture: cannot create room crowd@conference.localhost: invalid-config');
  });
});
