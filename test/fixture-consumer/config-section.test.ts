/**
 * Seeding from a config file's `fixture` section: the project keeps its hosts, options and test
 * accounts in one file and starts it on free ports (`ports: 0`), in memory.
 */
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { ConfigValidationError, startServer, type RunningServer } from 'salon';
import { login, xml, type Client } from './client.js';
import seeded from './configs/seeded.config.js';
import typo from './configs/typo.config.js';

const MUC = 'http://jabber.org/protocol/muc';
const DISCO_INFO = 'http://jabber.org/protocol/disco#info';

describe('a config file with a fixture section', () => {
  let server: RunningServer;
  let alice: Client;

  beforeAll(async () => {
    server = await startServer({ config: seeded, ports: 0, tls: false, storage: 'memory', users: { dave: 'dave-pw' }, logLevel: 'silent' });
    alice = await login({ port: server.c2s!.port, jid: 'alice@chat.test', password: 'alice-pw' });
  });
  afterAll(async () => {
    await alice?.stop();
    await server?.stop();
  });

  test('runs on loopback ephemeral ports with the file\'s hosts, the section\'s users and the options\' users', () => {
    expect(server.c2s?.host).toBe('127.0.0.1');
    expect(server.domain).toBe('chat.test');
    expect(server.mucDomain).toBe('rooms.chat.test');
    expect(server.users.map((user) => user.jid)).toEqual(['alice@chat.test', 'bob@chat.test', 'carol@chat.test', 'dave@chat.test']);
    expect(server.rooms).toEqual(['lobby@rooms.chat.test', 'board@rooms.chat.test']);
  });

  test('rosters: "all" puts every pair of seeded users (the options\' too) in each other\'s roster', async () => {
    const roster = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get' }, xml('query', { xmlns: 'jabber:iq:roster' })));
    const items = roster.getChild('query')?.getChildren('item').map((item) => `${item.attrs.jid} ${item.attrs.subscription}`);
    expect(items?.sort()).toEqual(['bob@chat.test both', 'carol@chat.test both', 'dave@chat.test both']);
  });

  test('a room with configuration, affiliations and subject, as the section describes it', async () => {
    const info = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'board@rooms.chat.test' }, xml('query', { xmlns: DISCO_INFO })));
    const query = info.getChild('query');
    expect(query?.getChild('identity')?.attrs.name).toBe('The Board');
    const features = query?.getChildren('feature').map((feature) => feature.attrs.var);
    expect(features).toEqual(expect.arrayContaining(['muc_membersonly', 'muc_moderated', 'muc_persistent', 'muc_hidden']));
    const seen = alice.received.length;
    await alice.send(xml('presence', { to: 'board@rooms.chat.test/Alice' }, xml('x', { xmlns: MUC })));
    const subject = await alice.waitFor((el) => el.name === 'message' && el.getChild('subject') !== undefined, 5000, seen);
    expect(subject.getChildText('subject')).toBe('Quarterly figures');
    const outcasts = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'board@rooms.chat.test' },
      xml('query', { xmlns: `${MUC}#admin` }, xml('item', { affiliation: 'outcast' }))));
    expect(outcasts.getChild('query')?.getChildren('item').map((item) => item.attrs.jid)).toEqual(['mallory@elsewhere.test']);
  });

  test('a room given by name only exists before anyone joins', async () => {
    const info = await alice.xmpp.iqCaller.request(xml('iq', { type: 'get', to: 'lobby@rooms.chat.test' }, xml('query', { xmlns: DISCO_INFO })));
    expect(info.attrs.type).toBe('result');
  });
});

describe('a mistake in the fixture section', () => {
  test('stops start-up with a validation error naming the option and the key', async () => {
    const failure = startServer({ config: typo, ports: 0, tls: false, logLevel: 'silent' });
    await expect(failure).rejects.toBeInstanceOf(ConfigValidationError);
    await expect(failure).rejects.toThrow(/fixture/);
    await expect(failure).rejects.toThrow(/user/);
  });

  test('a section naming a host the config does not have is refused', async () => {
    await expect(startServer({ config: seeded, ports: 0, tls: false, logLevel: 'silent', rooms: ['hall@conference.chat.test'] }))
      .rejects.toThrow(/room "hall@conference.chat.test": conference.chat.test is not a MUC service/);
  });
});
