import { describe, expect, test } from '@jest/globals';
import {
  Component, coreOptions, coreOptionsFor, defineConfig, formatConfigError, isServerConfig,
  lookupOption, validateConfig, VirtualHost, type ConfigError, type ServerConfig,
} from '../../server/config/index.js';
import { didYouMean, editDistance } from '../../server/config/did-you-mean.js';
import { moduleCatalog } from '../../module-catalog.js';

const catalog = moduleCatalog;
const FILE = '/etc/salon/salon.config.ts';

function invalid(input: unknown): ConfigError[] {
  const result = validateConfig(input, catalog, FILE);
  if (result.ok) throw new Error('expected the config to be invalid');
  return result.error;
}

function valid(input: unknown): ServerConfig {
  const result = validateConfig(input, catalog, FILE);
  if (!result.ok) throw new Error(result.error.map(formatConfigError).join('\n'));
  return result.value;
}

const minimal = { hosts: [VirtualHost('localhost')] };

describe('did-you-mean', () => {
  test('counts a transposition as one edit', () => {
    expect(editDistance('abcd', 'abdc')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  test('suggests the closest name only when it is close', () => {
    expect(didYouMean('c2s_require_encyption', ['c2s_ports', 'c2s_require_encryption'])).toBe('c2s_require_encryption');
    expect(didYouMean('completely_different', ['c2s_ports', 'admins'])).toBeUndefined();
  });
});

describe('defaults and lookup', () => {
  test('fills every core default in the globals', () => {
    const config = valid(minimal);
    const core = coreOptions(config);
    expect(core.c2s_ports).toEqual([5222]);
    expect(core.c2s_direct_tls_ports).toEqual([5223]);
    expect(core.c2s_require_encryption).toBe(true);
    expect(core.c2s_stanza_size_limit).toBe(262144);
    expect(core.storage).toBe('internal');
    expect(core.archive_sync).toBe('ordered');
    expect(core.tls_ticket_key_rotation).toBe(43_200);
    expect(core.data_path).toBe('./data');
    expect(core.sasl_iterations).toBe(10000);
    expect(config.globals.log_level).toBe('info');
    expect(config.source).toBe(FILE);
  });

  test('a host option wins over the global one, which wins over the default', () => {
    const config = valid(defineConfig({
      allow_registration: true,
      max_history_messages: 5,
      hosts: [
        VirtualHost('a.example', { allow_registration: false }),
        VirtualHost('b.example'),
        Component('rooms.a.example', 'muc', { max_history_messages: 50 }),
      ],
    }));
    expect(coreOptionsFor(config, 'a.example').allow_registration).toBe(false);
    expect(coreOptionsFor(config, 'b.example').allow_registration).toBe(true);
    expect(coreOptions(config).allow_registration).toBe(true);
    expect(lookupOption(config, 'rooms.a.example', 'max_history_messages')).toBe(50);
    expect(lookupOption(config, 'a.example', 'max_history_messages')).toBe(5);
    expect(lookupOption(config, undefined, 'restrict_room_creation')).toBeUndefined();
  });

  test('validated configs are recognised; raw input is not', () => {
    const input = defineConfig(minimal);
    expect(isServerConfig(input)).toBe(false);
    expect(isServerConfig(valid(input))).toBe(true);
    expect(isServerConfig({ source: undefined, globals: {}, hosts: [] })).toBe(false);
  });

  test('keeps host kinds, component types and normalised names', () => {
    const config = valid({ hosts: [VirtualHost('Example.ORG.'), Component('Rooms.example.org', 'muc')] });
    expect(config.hosts).toEqual([
      { name: 'example.org', kind: 'user', options: {} },
      { name: 'rooms.example.org', kind: 'component', componentType: 'muc', options: {} },
    ]);
  });

  test('normalises admins and treats undefined values as unset', () => {
    const config = valid({ admins: ['Admin@LocalHost'], log_level: undefined, hosts: minimal.hosts });
    expect(coreOptions(config).admins).toEqual(['admin@localhost']);
    expect(config.globals.log_level).toBe('info');
  });

  test('accepts a storage map and a module option set globally', () => {
    const config = valid({ storage: { roster: 'memory' }, http_ports: [8080], hosts: minimal.hosts });
    expect(coreOptions(config).storage).toEqual({ roster: 'memory' });
    expect(config.globals.http_ports).toEqual([8080]);
  });
});

describe('errors', () => {
  test('unknown option in a host section, with did-you-mean', () => {
    const errors = invalid({ hosts: [VirtualHost('localhost', { c2s_require_encyption: false } as never)] });
    expect(errors).toEqual([{
      option: 'c2s_require_encyption', host: 'localhost', file: FILE,
      message: 'unknown option "c2s_require_encyption" (did you mean "c2s_require_encryption"?)',
    }]);
    expect(formatConfigError({ ...errors[0]!, file: 'salon.config.ts' })).toBe(
      'salon.config.ts: host "localhost": unknown option "c2s_require_encyption" (did you mean "c2s_require_encryption"?)');
  });

  test('unknown global option suggests module options too', () => {
    const [error] = invalid({ http_port: [80], hosts: minimal.hosts });
    expect(error?.message).toBe('unknown option "http_port" (did you mean "http_ports"?)');
    expect(error?.host).toBeUndefined();
  });

  test('wrong type names the option and what was found', () => {
    const [error] = invalid({ c2s_ports: '5222', hosts: minimal.hosts });
    expect(error?.option).toBe('c2s_ports');
    expect(error?.message).toBe('option "c2s_ports": expected a list, got the string "5222"');
  });

  test('bad values: bounds, enums, list entries, nested maps, JIDs', () => {
    const messages = invalid({
      c2s_ports: [5222, 70000],
      log_level: 'loud',
      c2s_stanza_size_limit: 10,
      storage: { roster: 'mysql' },
      admins: ['not a jid@'],
      hosts: minimal.hosts,
    }).map((e) => e.message);
    expect(messages).toEqual([
      'option "c2s_ports[1]": must be at most 65535',
      'option "log_level": must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got the string "loud"',
      'option "c2s_stanza_size_limit": must be at least 1024',
      'option "storage.roster": must be one of "internal", "memory", "postgres", "sql", got the string "mysql"',
      'option "admins[0]": "not a jid@" is not a valid bare JID',
    ]);
  });

  test('a module option is validated against its module schema on a host', () => {
    const [error] = invalid({ hosts: [VirtualHost('localhost'), Component('muc.localhost', 'muc', { max_history_messages: -1 })] });
    expect(error).toEqual({
      option: 'max_history_messages', host: 'muc.localhost', file: FILE,
      message: 'option "max_history_messages": must be at least 0',
    });
  });

  test('global-only options are refused in a host section', () => {
    const [error] = invalid({ hosts: [VirtualHost('localhost', { c2s_ports: [1] } as never)] });
    expect(error?.message).toBe('option "c2s_ports" can only be set globally, not in a host section');
    expect(error?.host).toBe('localhost');
  });

  test('unknown modules in module lists, with did-you-mean', () => {
    const errors = invalid({ modules_enabled: ['pnig'], hosts: [VirtualHost('localhost', { modules_disabled: ['zzz'] })] });
    expect(errors.map((e) => [e.option, e.host, e.message])).toEqual([
      ['modules_enabled', undefined, 'unknown module "pnig" in modules_enabled (did you mean "ping"?)'],
      ['modules_disabled', 'localhost', 'unknown module "zzz" in modules_disabled'],
    ]);
  });

  test('hosts: missing, empty of VirtualHosts, malformed entries, bad and duplicate names, unknown types', () => {
    expect(invalid({}).map((e) => e.message)).toEqual(['"hosts" must be a list of VirtualHost(...) and Component(...) entries']);
    expect(invalid({ hosts: [Component('muc.localhost', 'muc')] }).map((e) => e.message))
      .toEqual(['"hosts" must contain at least one VirtualHost']);
    expect(invalid({ hosts: [VirtualHost('localhost'), 'example.org'] })[0]?.message)
      .toBe('hosts[1] is not a VirtualHost(name, options) or Component(name, type, options) entry');
    expect(invalid({ hosts: [VirtualHost('bad host')] })[0]?.message).toBe('host name "bad host" is not a valid domain name');
    expect(invalid({ hosts: [VirtualHost('localhost'), VirtualHost('LOCALHOST')] })[0]?.message)
      .toBe('host "localhost" is declared more than once');
    expect(invalid({ hosts: [VirtualHost('localhost'), Component('c.localhost', 'mcu')] })[0]?.message)
      .toBe('unknown component type "mcu" for host "c.localhost" (did you mean "muc"?)');
  });

  test('the config itself must be an object', () => {
    expect(invalid(42)[0]?.message).toMatch(/^the config must be an object/);
  });

  test('module-level checks: wrong host kind and the module validate hook', () => {
    const kind = invalid({ hosts: [VirtualHost('localhost', { modules_enabled: ['muc'] })] });
    expect(kind.map((e) => e.message)).toEqual(['module "muc" cannot load on a VirtualHost']);
    const cross = invalid({ hosts: [VirtualHost('localhost'), Component('rooms.localhost', 'muc', { modules_enabled: ['muc_http_auth'] })] });
    expect(cross).toEqual([{
      host: 'rooms.localhost', file: FILE,
      message: 'module "muc_http_auth": option "muc_http_auth_url" is not set: give the absolute http(s) URL of the authorization service',
    }]);
  });

  test('an unknown key inside an option (ssl, the fixture section, a room\'s config) gets a did-you-mean too', () => {
    expect(invalid({ ssl: { certificat: 'a.crt', key: 'a.key' }, hosts: [VirtualHost('localhost')] }).map((e) => e.message))
      .toEqual(['option "ssl.certificate": expected a string, got nothing', 'option "ssl": unknown key "certificat" (did you mean "certificate"?)']);
    expect(invalid({ fixture: { user: { alice: 'pw' }, romos: ['lobby'] }, hosts: [VirtualHost('localhost')] }).map((e) => e.message))
      .toEqual(['option "fixture": unknown keys "user" (did you mean "users"?), "romos" (did you mean "rooms"?)']);
    expect(invalid({ fixture: { rooms: [{ name: 'lobby', config: { membrsonly: true } }] }, hosts: [VirtualHost('localhost')] }).map((e) => e.message))
      .toEqual(['option "fixture.rooms[0].config": unknown key "membrsonly" (did you mean "membersonly"?)']);
    expect(invalid({ fixture: { zzz: 1 }, hosts: [VirtualHost('localhost')] }).map((e) => e.message))
      .toEqual(['option "fixture": unknown key "zzz"']);
  });

  test('collects every problem in one pass', () => {
    const errors = invalid({ bogus: 1, log_level: 3, hosts: [VirtualHost('localhost', { nope: true })] });
    expect(errors.map((e) => e.option)).toEqual(['bogus', 'log_level', 'nope']);
  });
});
