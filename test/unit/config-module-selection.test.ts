import { describe, expect, test } from '@jest/globals';
import { Component, modulesForHost, moduleOptionsFor, validateConfig, VirtualHost, type ServerConfig } from '../../server/config/index.js';
import { moduleCatalog } from '../../module-catalog.js';

const catalog = moduleCatalog;

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

describe('module selection (Prosody rule), with this build\'s catalog', () => {
  test('auto-loaded, global, component and host modules; disabled ones removed; requirements added, replaced ones dropped', () => {
    const c = config({
      modules_enabled: ['http'],
      hosts: [
        VirtualHost('a.example', { modules_enabled: ['http_roster_admin'], http_roster_url: 'http://127.0.0.1:9/%s' }),
        VirtualHost('b.example', { modules_disabled: ['http', 'disco', 'ping', 'version', 'time', 'register', 'roster', 'presence', 'offline', 'blocklist', 'websocket', 'bosh', 'http_altconnect', 'carbons', 'csi', 'csi_simple', 'smacks', 'mam', 'vcard', 'private', 'uptime', 'pep', 'vcard_legacy', 'bookmarks'] }),
        Component('rooms.a.example', 'muc'),
      ],
    });
    const a = modules(c, 'a.example');
    expect(a).toEqual(expect.arrayContaining(['disco', 'http', 'http_roster_admin', 'block_subscriptions']));
    expect(a).not.toContain('roster'); // http_roster_admin replaces it
    expect(modules(c, 'b.example')).toEqual([]);
    expect(modules(c, 'rooms.a.example')).toEqual(['disco', 'http', 'muc', 'muc_mam', 'muc_moderation', 'ping', 'version']);
  });

  test('a user-only module enabled globally is not loaded on components', () => {
    const c = config({ modules_enabled: ['offline'], hosts: [VirtualHost('a.example'), Component('rooms.a.example', 'muc')] });
    expect(modules(c, 'rooms.a.example')).not.toContain('offline');
    expect(modules(c, 'a.example')).toContain('offline');
  });

  test('module options: host, then global, then default', () => {
    const c = config({ max_history_messages: 7, hosts: [VirtualHost('a.example'), Component('r.a.example', 'muc', { restrict_room_creation: 'local' })] });
    const muc = catalog.get('muc');
    if (muc === undefined) throw new Error('the catalog lacks muc');
    const options = moduleOptionsFor(c, muc, 'r.a.example');
    expect(options.ok && options.value).toMatchObject({ max_history_messages: 7, restrict_room_creation: 'local', muc_room_locking: true });
  });
});
