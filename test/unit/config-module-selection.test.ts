import { describe, expect, test } from '@jest/globals';
import { Component, modulesForHost, moduleOptionsFor, validateConfig, VirtualHost, type ServerConfig } from '../../server/config/index.js';
import { fakeModuleCatalog } from '../helpers/fake-module-catalog.js';

const catalog = fakeModuleCatalog();

function config(input: unknown): ServerConfig {
  const result = validateConfig(input, catalog, undefined);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

function modules(c: ServerConfig, host: string): string[] {
  const settings = c.hosts.find((h) => h.name === host);
  if (settings === undefined) throw new Error(`no host ${host}`);
  return modulesForHost(c, catalog, settings).modules.sort();
}

describe('module selection (Prosody rule)', () => {
  test('auto-loaded, global, component and host modules; disabled ones removed; requirements added', () => {
    const c = config({
      modules_enabled: ['http'],
      hosts: [
        VirtualHost('a.example', { modules_enabled: ['pinger'] }),
        VirtualHost('b.example', { modules_disabled: ['http', 'disco'] }),
        Component('rooms.a.example', 'muc'),
      ],
    });
    expect(modules(c, 'a.example')).toEqual(['disco', 'http', 'ping', 'pinger']);
    expect(modules(c, 'b.example')).toEqual([]);
    expect(modules(c, 'rooms.a.example')).toEqual(['disco', 'http', 'muc']);
  });

  test('a globally enabled user-only module is not loaded on components', () => {
    const c = config({ modules_enabled: ['ping'], hosts: [VirtualHost('a.example'), Component('rooms.a.example', 'muc')] });
    expect(modules(c, 'rooms.a.example')).toEqual(['disco', 'muc']);
    expect(modules(c, 'a.example')).toEqual(['disco', 'ping']);
  });

  test('module options: host, then global, then default', () => {
    const c = config({ max_history_messages: 7, hosts: [VirtualHost('a.example'), Component('r.a.example', 'muc', { restrict_room_creation: 'local' })] });
    const muc = catalog.get('muc');
    if (muc === undefined) throw new Error('fake catalog lacks muc');
    const options = moduleOptionsFor(c, muc, 'r.a.example');
    expect(options).toEqual({ ok: true, value: { max_history_messages: 7, restrict_room_creation: 'local' } });
  });
});
