import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSalon } from '../helpers/cli-harness.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'salon-cli-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function configFile(name: string, body: string): Promise<string> {
  await writeFile(join(dir, name), `import { defineConfig, VirtualHost, Component } from 'salon';\nexport default defineConfig(${body});\n`);
  return name;
}

describe('salon check', () => {
  test('an unknown option: did-you-mean, option and file named, exit 2', async () => {
    const file = await configFile('typo.ts', `{ hosts: [VirtualHost('localhost', { c2s_require_encyption: false })] }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('typo.ts: host "localhost": unknown option "c2s_require_encyption" (did you mean "c2s_require_encryption"?)\n');
    expect(run.stdout).toBe('');
  });

  test('a wrong type', async () => {
    const file = await configFile('type.ts', `{ c2s_ports: '5222', hosts: [VirtualHost('localhost')] }`);
    const run = await runSalon(['check', '-c', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('type.ts: option "c2s_ports": expected a list, got the string "5222"\n');
  });

  test('a bad value, in a module option on a component', async () => {
    const file = await configFile('value.ts', `{ hosts: [VirtualHost('localhost'), Component('rooms.localhost', 'muc', { max_history_messages: 5000 })] }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('value.ts: host "rooms.localhost": option "max_history_messages": must be at most 1000\n');
  });

  test('an unknown module', async () => {
    const file = await configFile('module.ts', `{ modules_enabled: ['pign'], hosts: [VirtualHost('localhost')] }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('module.ts: unknown module "pign" in modules_enabled (did you mean "ping"?)\n');
  });

  test('several problems: one line each', async () => {
    const file = await configFile('many.ts', `{ log_level: 'loud', hosts: [VirtualHost('localhost', { bogus: 1 })] }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'many.ts: option "log_level": must be one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got the string "loud"',
      'many.ts: host "localhost": unknown option "bogus"',
    ]);
  });

  test('a required plugin option left unset: the same validation for every plugin, exit 2 naming option and file', async () => {
    const file = await configFile('plugins.ts', `{ hosts: [VirtualHost('localhost'), Component('conference.localhost', 'muc', { modules_enabled: ['muc_http_auth', 'http_muc_kick'] })] }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trimEnd().split('\n')).toEqual([
      'plugins.ts: host "conference.localhost": module "muc_http_auth": option "muc_http_auth_url" is not set: give the absolute http(s) URL of the authorization service',
      'plugins.ts: host "conference.localhost": module "http_muc_kick": option "http_muc_kick_authorization_header" is not set: add it to the configuration before using http_muc_kick (authorization is never optional)',
    ]);
  });

  test('a missing config file', async () => {
    const run = await runSalon(['check', '--config', 'absent.ts'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('absent.ts: config file not found\n');
  });

  test('a valid config: exit 0 with the resolved data path, hosts, kinds, listeners and modules', async () => {
    const file = await configFile('good.ts', `{
      modules_enabled: ['ping', 'http'],
      c2s_ports: [15222],
      https_ports: [],
      hosts: [VirtualHost('example.org'), Component('rooms.example.org', 'muc')],
    }`);
    const run = await runSalon(['check', '--config', file], { cwd: dir });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toBe([
      'Config: good.ts is valid.',
      `Data: ${join(dir, 'data')}   Storage: internal   Log level: info`,
      'Listeners:',
      '  c2s (STARTTLS)     15222 on *',
      '  c2s (Direct TLS)   5223 on *',
      '  http               5280 on 127.0.0.1, ::1',
      '  https              off',
      'Hosts:',
      '  example.org  VirtualHost',
      '      modules: disco, ping, version, time, register, smacks, roster, presence, offline, blocklist, mam, carbons, csi, csi_simple, private, uptime, vcard, pep, vcard_legacy, bookmarks, websocket, bosh, http_altconnect, http',
      '  rooms.example.org  Component (muc)',
      '      modules: disco, ping, version, http, muc, muc_mam, muc_moderation',
      '',
    ].join('\n'));
  });

  test('data_path is relative to the config file, whatever the working directory', async () => {
    const sub = await mkdtemp(join(dir, 'site-'));
    await writeFile(join(sub, 'salon.config.ts'), `import { defineConfig, VirtualHost } from 'salon';\nexport default defineConfig({ data_path: 'store', hosts: [VirtualHost('localhost')] });\n`);
    const elsewhere = await mkdtemp(join(dir, 'elsewhere-'));
    const run = await runSalon(['check', '--config', join(sub, 'salon.config.ts')], { cwd: elsewhere });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Data: ${join(sub, 'store')}   Storage`);
    // SALON_DATA_PATH is typed in a shell: relative to the working directory.
    const env = await runSalon(['check', '--config', join(sub, 'salon.config.ts')], { cwd: elsewhere, env: { SALON_DATA_PATH: 'mine' } });
    expect(env.stdout).toContain(`Data: ${join(elsewhere, 'mine')}   Storage`);
  });

  test('without a config file: the built-in default (data in ./data of the working directory), with environment overrides', async () => {
    const empty = await mkdtemp(join(dir, 'empty-'));
    const run = await runSalon(['check'], { cwd: empty, env: { SALON_C2S_PORT: 'off', SALON_HTTP_PORT: '8080' } });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Config: built-in default (no config file found) is valid.');
    expect(run.stdout).toContain(`Data: ${join(empty, 'data')}   Storage`);
    expect(run.stdout).toContain('  c2s (STARTTLS)     off\n');
    expect(run.stdout).toContain('  http               8080 on 127.0.0.1, ::1\n');
    expect(run.stdout).toContain('  conference.localhost  Component (muc)\n');
  });
});

describe('usage', () => {
  test('--version prints the package version', async () => {
    expect(await runSalon(['--version'], { cwd: dir })).toEqual({ code: 0, stdout: 'salon 9.9.9-test\n', stderr: '' });
  });

  test('--help, per command too; check --help lists the core options', async () => {
    const general = await runSalon(['--help'], { cwd: dir });
    expect(general.code).toBe(0);
    expect(general.stdout).toContain('adduser JID [PASSWORD]');
    const adduser = await runSalon(['adduser', '--help'], { cwd: dir });
    expect(adduser.stdout).toMatch(/^Usage: salon adduser JID \[PASSWORD\]/);
    const check = await runSalon(['check', '--help'], { cwd: dir });
    expect(check.stdout).toContain('  c2s_stanza_size_limit = 262144 [global only]\n      Largest stanza accepted');
    expect(check.stdout).toContain('  allow_registration = false\n');
  });

  test('usage errors exit 2', async () => {
    for (const argv of [[], ['frobnicate'], ['check', '--bogus'], ['deluser'], ['deluser', 'a@b', 'extra']]) {
      const run = await runSalon(argv, { cwd: dir });
      expect([argv, run.code]).toEqual([argv, 2]);
      expect(run.stderr).toMatch(/^salon: /);
    }
  });
});
