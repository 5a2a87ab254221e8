/** The fixture's pure parts: its config, the seed plan, the CLI arguments and the printed facts. */
import { describe, expect, test } from '@jest/globals';
import { fixtureConfig, withFixtureListeners } from '../../fixture/fixture-config.js';
import { parseFixtureArgs } from '../../fixture/fixture-args.js';
import { envName, fixtureEnv, formatEnvLines, formatJson } from '../../fixture/fixture-env.js';
import { planSeeds } from '../../fixture/seed-plan.js';
import { tlsModeOf } from '../../fixture/start-plan.js';
import { Component, VirtualHost } from '../../server/config/define.js';
import { validateConfig } from '../../server/config/index.js';
import { moduleCatalog } from '../../module-catalog.js';

function validated(input: unknown) {
  const result = validateConfig(input, moduleCatalog, undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

describe('fixtureConfig', () => {
  test('defaults: localhost and its MUC service, every listener on an ephemeral loopback port, TLS listeners on', () => {
    const config = fixtureConfig({ tls: true });
    expect(config.hosts.map((h) => [h.kind, h.name])).toEqual([['user', 'localhost'], ['component', 'conference.localhost']]);
    expect(config).toMatchObject({
      c2s_ports: [0], c2s_direct_tls_ports: [0], http_ports: [0], https_ports: [0], c2s_interfaces: ['127.0.0.1'],
      http_default_host: 'localhost', sasl_iterations: 4096,
    });
    expect(config.c2s_require_encryption).toBeUndefined();
    expect(validateConfig(config, moduleCatalog, undefined).ok).toBe(true);
  });

  test('without TLS: no TLS listeners, and plain clients may authenticate', () => {
    expect(fixtureConfig({ tls: false })).toMatchObject({
      c2s_direct_tls_ports: [], https_ports: [], c2s_require_encryption: false, allow_unencrypted_plain_auth: true,
    });
  });

  test('domains, no MUC, plugins by role and by host name (the role wins), unknown plugin keys refused', () => {
    const config = fixtureConfig({
      tls: true, domain: 'chat.test', mucDomain: 'rooms.chat.test', listenAddress: '::1',
      plugins: { global: { c2s_timeout: 5 }, muc: { muc_room_locking: false }, 'rooms.chat.test': { muc_room_locking: true, max_history_messages: 5 } },
    });
    expect(config.c2s_timeout).toBe(5);
    expect(config.c2s_interfaces).toEqual(['::1']);
    expect(config.hosts[1]?.options).toEqual({ muc_room_locking: false, max_history_messages: 5 });
    expect(fixtureConfig({ tls: true, mucDomain: false }).hosts).toHaveLength(1);
    expect(() => fixtureConfig({ tls: true, plugins: { 'conference.example': {} } })).toThrow(/"conference.example" is not "global", "host", "muc" or a host name \(localhost, conference.localhost\)/);
  });

  test('withFixtureListeners keeps the file\'s options and an explicit http_default_host', () => {
    const input = { c2s_ports: [5222], admins: ['a@x.test'], hosts: [VirtualHost('x.test'), VirtualHost('y.test')] };
    expect(withFixtureListeners(input, '127.0.0.1', false)).toMatchObject({ c2s_ports: [0], admins: ['a@x.test'], http_default_host: 'x.test' });
    expect(withFixtureListeners({ ...input, http_default_host: 'y.test' }, '127.0.0.1', false).http_default_host).toBe('y.test');
  });
});

describe('tlsModeOf', () => {
  test('true and unset mean the config\'s certificates with a config, the test certificate without', () => {
    expect([tlsModeOf(undefined, true), tlsModeOf(true, true), tlsModeOf(undefined, false), tlsModeOf(true, false)]).toEqual(['auto', 'auto', 'test', 'test']);
    expect(tlsModeOf(false, false)).toBe(false);
    expect(tlsModeOf({ cert: 'c', key: 'k' }, true)).toEqual({ cert: 'c', key: 'k' });
  });
});

describe('planSeeds', () => {
  const config = validated({ hosts: [VirtualHost('a.test'), VirtualHost('b.test'), Component('rooms.a.test', 'muc')] });

  test('short names go to the first VirtualHost and the first MUC service; later sources win', () => {
    const plan = planSeeds(config, [
      { users: { alice: 'one', 'bob@b.test': 'two' }, rooms: ['lobby'] },
      { users: { 'Alice@A.test': 'three' }, rooms: [{ name: 'lobby@rooms.a.test', config: { persistentroom: false }, subject: 'Hi' }] },
    ]);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.value.users.map((u) => [u.jid.toString(), u.password])).toEqual([['alice@a.test', 'three'], ['bob@b.test', 'two']]);
    expect(plan.value.rooms).toHaveLength(1);
    expect(plan.value.rooms[0]?.options).toEqual({ config: { persistentroom: false }, affiliations: {}, subject: 'Hi' });
  });

  test('fixture rooms are persistent unless configured otherwise; affiliations may name remote users', () => {
    const plan = planSeeds(config, [{ rooms: [{ name: 'club', affiliations: { alice: 'owner', 'eve@remote.test': 'outcast' } }] }]);
    expect(plan.ok && plan.value.rooms[0]?.options).toEqual({
      config: { persistentroom: true }, affiliations: { 'alice@a.test': 'owner', 'eve@remote.test': 'outcast' },
    });
  });

  test('rosters: pairs, and "all" for every pair of seeded users', () => {
    const pairs = (rosters: 'all' | Array<[string, string]>) => {
      const plan = planSeeds(config, [{ users: { alice: 'p', bob: 'p', carol: 'p' }, rosters }]);
      return plan.ok ? plan.value.rosters.map(([a, b]) => `${a.local}-${b.local}`) : plan.error;
    };
    expect(pairs('all')).toEqual(['alice-bob', 'alice-carol', 'bob-carol']);
    expect(pairs([['alice', 'carol@a.test']])).toEqual(['alice-carol']);
  });

  test('every problem is collected, naming the entry', () => {
    const plan = planSeeds(config, [{
      users: { 'eve@elsewhere.test': 'p', 'a b': 'p', 'full@a.test/res': 'p' },
      rooms: ['hall@a.test'],
      rosters: [['alice', 'alice']],
    }]);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.error.map((e) => e.message)).toEqual([
      'user "eve@elsewhere.test": elsewhere.test is not a VirtualHost of this server',
      'user "a b" is not a valid user name or bare JID',
      'user "full@a.test/res" is not a valid user name or bare JID',
      'room "hall@a.test": a.test is not a MUC service of this server',
      'roster pair "alice", "alice": a user cannot be in their own roster',
    ]);
    const noMuc = planSeeds(validated({ hosts: [VirtualHost('a.test')] }), [{ rooms: ['lobby'] }]);
    expect(!noMuc.ok && noMuc.error[0]).toEqual({ option: 'fixture', message: 'room "lobby": the config has no MUC component' });
  });
});

describe('salon fixture arguments', () => {
  test('repeatable users (passwords may hold colons), rooms and roster pairs; defaults', () => {
    const parsed = parseFixtureArgs(['-u', 'alice:se:cret', '--user', 'bob@x.test:pw', '-r', 'lobby', '--room', 'club', '--roster', 'alice,bob']);
    expect(parsed).toEqual({
      ok: true,
      value: {
        help: false, json: false, users: { alice: 'se:cret', 'bob@x.test': 'pw' }, rooms: ['lobby', 'club'], rosters: [['alice', 'bob']],
        domain: undefined, mucDomain: undefined, host: '127.0.0.1', tls: true, configPath: undefined, logLevel: 'silent', exitWithParent: true,
      },
    });
    expect(parseFixtureArgs(['--no-exit-with-parent'])).toMatchObject({ ok: true, value: { exitWithParent: false } });
    expect(parseFixtureArgs(['--roster', 'all', '--no-tls', '--json']).ok && parseFixtureArgs(['--roster', 'all', '--no-tls', '--json'])).toMatchObject({ value: { rosters: 'all', tls: false, json: true } });
  });

  test('mistakes are messages', () => {
    const error = (argv: string[]) => {
      const parsed = parseFixtureArgs(argv);
      return parsed.ok ? undefined : parsed.error;
    };
    expect(error(['--user', 'alice:'])).toBe('--user "alice:": expected NAME:PASSWORD');
    expect(error(['--roster', 'alice'])).toBe('--roster "alice": expected A,B or all');
    expect(error(['--roster', 'all', '--roster', 'a,b'])).toBe('--roster all cannot be combined with pairs');
    expect(error(['--json', '--print-env'])).toBe('--json and --print-env exclude each other');
    expect(error(['--log-level', 'loud'])).toMatch(/^--log-level must be one of/);
    expect(error(['--config', 'f.ts', '--domain', 'x'])).toMatch(/come from the config file/);
    expect(error(['--frobnicate'])).toMatch(/frobnicate/);
    expect(error(['extra'])).toMatch(/extra/);
  });
});

describe('printed facts', () => {
  const facts = {
    domain: 'localhost', mucDomain: 'conference.localhost',
    c2s: { host: '127.0.0.1', port: 5222 }, directTls: undefined,
    httpUrl: 'http://127.0.0.1:5280', httpsUrl: undefined, websocketUrl: 'ws://127.0.0.1:5280/xmpp-websocket', boshUrl: undefined,
    users: [{ jid: 'alice.smith@localhost', username: 'alice.smith', domain: 'localhost', password: "it's $HOME" }],
    rooms: ['team-room@conference.localhost'],
  };

  test('KEY=value lines, unset facts left out, unsafe values single-quoted for a shell', () => {
    expect(envName('alice.smith-2')).toBe('ALICE_SMITH_2');
    expect(formatEnvLines(fixtureEnv(facts, { pid: 42 }))).toBe([
      'SALON_HOST=127.0.0.1', 'SALON_DOMAIN=localhost', 'SALON_MUC_DOMAIN=conference.localhost', 'SALON_C2S_PORT=5222',
      'SALON_HTTP_URL=http://127.0.0.1:5280', 'SALON_WEBSOCKET_URL=ws://127.0.0.1:5280/xmpp-websocket',
      'SALON_USER_ALICE_SMITH_JID=alice.smith@localhost', "SALON_USER_ALICE_SMITH_PASSWORD='it'\\''s $HOME'",
      'SALON_ROOM_TEAM_ROOM_JID=team-room@conference.localhost', 'SALON_PID=42', '',
    ].join('\n'));
  });

  test('the same keys as one JSON object, ports as numbers', () => {
    const json = JSON.parse(formatJson(fixtureEnv(facts, { pid: 42, certificateFile: '/tmp/c.pem' }))) as Record<string, unknown>;
    expect(json).toMatchObject({ SALON_C2S_PORT: 5222, SALON_CERTIFICATE_FILE: '/tmp/c.pem', SALON_USER_ALICE_SMITH_PASSWORD: "it's $HOME" });
  });
});
